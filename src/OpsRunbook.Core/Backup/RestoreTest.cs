using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.S3;
using Npgsql;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Storage;

namespace OpsRunbook.Core.Backup;

public enum BackupTestStatus { Success, Failed, Skipped }

/// <summary>What Test-BackupRestore returns for one backup (after dbatools' Test-DbaLastBackup, plus data checks).</summary>
public sealed class BackupRestoreResult
{
    public string Environment { get; set; } = "";
    /// <summary>s3://bucket/key or the local path.</summary>
    public string Backup { get; set; } = "";
    public string Database { get; set; } = "";
    public long SizeBytes { get; set; }
    public DateTimeOffset? BackupTime { get; set; }
    /// <summary>host:port of the server restored into.</summary>
    public string TestServer { get; set; } = "";
    public string? ScratchDatabase { get; set; }
    public string? Sha256 { get; set; }
    public bool? ChecksumOk { get; set; }
    public TimeSpan DownloadDuration { get; set; }
    public TimeSpan RestoreDuration { get; set; }
    public TimeSpan VerifyDuration { get; set; }
    public double DownloadDurationMs => Math.Round(DownloadDuration.TotalMilliseconds, 3);
    public double RestoreDurationMs => Math.Round(RestoreDuration.TotalMilliseconds, 3);
    public double VerifyDurationMs => Math.Round(VerifyDuration.TotalMilliseconds, 3);
    public BackupTestStatus RestoreStatus { get; set; } = BackupTestStatus.Skipped;
    public BackupTestStatus VerifyStatus { get; set; } = BackupTestStatus.Skipped;
    public int TablesChecked { get; set; }
    public long RowsChecked { get; set; }
    public string[] Mismatches { get; set; } = [];
    public bool Dropped { get; set; }
    public string Message { get; set; } = "";
    /// <summary>The error id when the test failed (BackupChecksumMismatch, RestoreFailed...); null otherwise.</summary>
    public string? ErrorId { get; set; }
    public bool Success => ErrorId is null && RestoreStatus != BackupTestStatus.Failed && VerifyStatus != BackupTestStatus.Failed;
    /// <summary>The failure as the core raised it (id, category, message), for the cmdlet to write; not part of the output.</summary>
    internal OpsException? Error { get; set; }
    public override string ToString() => $"{Backup}: restore {RestoreStatus}, verify {VerifyStatus}";
}

/// <summary>What to test: an S3 key (with its bucket's environment) or a local dump file.</summary>
public sealed record RestoreTestRequest
{
    public string? Key { get; init; }
    /// <summary>The key's bucket when it is not the environment's s3.bucket (a backup piped from another environment).</summary>
    public string? Bucket { get; init; }
    public string? Path { get; init; }
    public int Jobs { get; init; } = 2;
    public bool NoDrop { get; init; }
    public long? MaxSizeBytes { get; init; }
    public bool VerifyOnly { get; init; }
    /// <summary>The server to restore on; default: the environment's postgres section.</summary>
    public PostgresConfig? TestServer { get; init; }
}

/// <summary>A located backup: where it is (S3 bucket and key, or a local file), its size and manifest.</summary>
internal sealed record RestoreSource(string Location, string? Bucket, string? Key, string? LocalPath, long SizeBytes, BackupManifest? Manifest, string Database, DateTimeOffset? BackupTime);

/// <summary>
/// Downloads (or reads) a dump, checks its SHA-256 against the manifest, restores it with pg_restore -j
/// --no-owner into a new scratch database, checks every manifest table and its exact row count, and
/// drops the scratch database (also on failure and cancellation) and confirms it is gone.
/// </summary>
public static class RestoreTest
{
    private const int ProgressId = 52;

    public static async Task<BackupRestoreResult> RunAsync(EnvironmentConfig env, RestoreTestRequest req, IOpsReporter reporter, CancellationToken ct)
    {
        var server = req.TestServer ?? env.Require(e => e.Postgres, "postgres");
        var result = new BackupRestoreResult { Environment = env.Name, Backup = req.Key ?? req.Path ?? "", TestServer = $"{server.Host}:{server.Port}" };
        AmazonS3Client? client = null;
        RestoreSource? source = null;
        string? tempFile = null;
        try
        {
            // 1. Locate the backup and its manifest.
            try { (source, client) = await LocateAsync(env, req, reporter, ct).ConfigureAwait(false); }
            catch (OpsException e) { return Fail(result, e); }
            result.Backup = source.Location;
            result.SizeBytes = source.SizeBytes;
            result.Database = source.Database;
            result.BackupTime = source.BackupTime;
            if (req.MaxSizeBytes is { } max && source.SizeBytes > max)
            {
                result.Message = $"Skipped: the backup is {Text.ByteSize.Format(source.SizeBytes)}, above -MaxSize {Text.ByteSize.Format(max)}.";
                return result;
            }
            if (!req.VerifyOnly && !reporter.ShouldProcess(result.TestServer, $"Restore {result.Backup} into a scratch database and drop it"))
            {
                result.Message = "Skipped (WhatIf): nothing was downloaded, created or restored.";
                return result;
            }

            // 2. Enough free disk for the download and the restored database, checked before anything is written.
            var tempDirectory = env.Backup.EffectiveRestoreTempDirectory;
            try { await CheckDiskSpaceAsync(source, req.VerifyOnly ? null : server, tempDirectory, reporter, ct).ConfigureAwait(false); }
            catch (OpsException e) { return Fail(result, e); }

            // 3. Download (to a temporary file: pg_restore -j needs a seekable file) and check the checksum.
            var sw = Stopwatch.StartNew();
            string file, sha;
            try { (file, sha, tempFile) = await FetchAsync(source, client, tempDirectory, reporter, ct).ConfigureAwait(false); }
            catch (OpsException e) { return Fail(result, e); }
            result.DownloadDuration = sw.Elapsed;
            result.Sha256 = sha;
            if (source.Manifest is null) reporter.Warning($"{result.Backup} has no manifest: its checksum and row counts cannot be verified.");
            result.ChecksumOk = source.Manifest is null ? null : true;
            if (CheckChecksum(source, sha, new FileInfo(file).Length) is { } corrupt)
            {
                result.ChecksumOk = false;
                result.VerifyStatus = BackupTestStatus.Failed;
                return Fail(result, corrupt);
            }
            if (source.Manifest is not null) reporter.Verbose($"Checksum OK: {sha}.");

            var pgRestore = PgTools.Find("pg_restore", env.Backup.PgBinDirectory);
            if (req.VerifyOnly)
            {
                int entries;
                try { entries = await ListArchiveAsync(pgRestore, file, source.Location, env.Backup.RestoreTimeout, ct).ConfigureAwait(false); }
                catch (OpsException e) { result.VerifyStatus = BackupTestStatus.Failed; return Fail(result, e); }
                result.VerifyStatus = BackupTestStatus.Success;
                result.Message = $"Checksum {(source.Manifest is null ? "not checked (no manifest)" : "OK")}; pg_restore --list reads {entries} entries. Not restored (-VerifyOnly).";
                return result;
            }

            var scratch = ScratchName(env.Backup.ScratchPrefix, DateTime.UtcNow);
            try
            {
                // 4. Restore into a new scratch database.
                reporter.Progress(new OpsProgress(ProgressId, $"Restore test {result.Backup}", $"Creating {scratch}"));
                try
                {
                    await CreateScratchAsync(server, scratch, ct).ConfigureAwait(false);
                    result.ScratchDatabase = scratch;
                    reporter.Progress(new OpsProgress(ProgressId, $"Restore test {result.Backup}", $"pg_restore -j {req.Jobs} into {scratch}"));
                    sw.Restart();
                    try { await PgRestoreAsync(pgRestore, server, scratch, file, source.Location, req.Jobs, env.Backup.RestoreTimeout, reporter, ct).ConfigureAwait(false); }
                    finally { result.RestoreDuration = sw.Elapsed; }
                }
                catch (OpsException e) { result.RestoreStatus = BackupTestStatus.Failed; return Fail(result, e); }
                result.RestoreStatus = BackupTestStatus.Success;

                // 5. Verify: every manifest table is there, with exactly its row count.
                if (source.Manifest is not { } manifest)
                {
                    result.Message = $"Restored into {scratch} in {result.RestoreDuration.TotalSeconds:0.0} s; not verified (no manifest).";
                    return result;
                }
                reporter.Progress(new OpsProgress(ProgressId, $"Restore test {result.Backup}", $"Counting rows in {manifest.Tables.Count} tables"));
                sw.Restart();
                var (mismatches, rows) = await VerifyAsync(server, scratch, manifest, Math.Max(1, req.Jobs), ct).ConfigureAwait(false);
                result.VerifyDuration = sw.Elapsed;
                result.TablesChecked = manifest.Tables.Count;
                result.RowsChecked = rows;
                result.Mismatches = mismatches.ToArray();
                if (mismatches.Count > 0)
                {
                    result.VerifyStatus = BackupTestStatus.Failed;
                    return Fail(result, new OpsException(ErrorIds.RestoreVerificationFailed,
                        $"{mismatches.Count} of {manifest.Tables.Count} tables differ from the manifest: {string.Join("; ", mismatches.Take(10))}", result.Backup));
                }
                result.VerifyStatus = BackupTestStatus.Success;
                result.Message = $"Restored into {scratch} in {result.RestoreDuration.TotalSeconds:0.0} s; {result.TablesChecked} tables and {rows} rows match the manifest.";
                return result;
            }
            finally
            {
                // 6. Drop the scratch database, also on failure and Ctrl+C, and confirm it is gone.
                if (result.ScratchDatabase is { } name)
                {
                    if (req.NoDrop)
                    {
                        reporter.Warning($"Kept scratch database {name} on {result.TestServer} (-NoDrop). Remove it with Test-BackupRestore -RemoveScratch.");
                    }
                    else
                    {
                        var (dropped, why) = await DropAsync(server, name).ConfigureAwait(false);
                        result.Dropped = dropped;
                        if (!dropped)
                        {
                            result.Message += $" Could not drop {name}: {why}";
                            reporter.Warning($"Could not drop scratch database {name} on {result.TestServer}: {why}");
                        }
                    }
                }
            }
        }
        finally
        {
            client?.Dispose();
            if (tempFile is not null) { try { File.Delete(tempFile); } catch (IOException) { } }
        }
    }

    /// <summary>
    /// Step 1: finds the backup (an S3 key, with the client made for its bucket, or a local file) and reads its manifest.
    /// Throws BackupNotFound, BackupStorageUnavailable, BackupStorageTimeout.
    /// </summary>
    internal static async Task<(RestoreSource Source, AmazonS3Client? Client)> LocateAsync(EnvironmentConfig env, RestoreTestRequest req, IOpsReporter reporter, CancellationToken ct)
    {
        var name = req.Key ?? req.Path ?? "";
        string? database = BackupKeys.TryParse(name, out var db, out var time) ? db : null;
        DateTimeOffset? parsedTime = database is null ? null : time;
        if (req.Path is not null)
        {
            if (!File.Exists(req.Path)) throw new OpsException(ErrorIds.BackupNotFound, $"There is no dump file {req.Path}.", req.Path);
            var mp = BackupKeys.ManifestPath(req.Path);
            var manifest = File.Exists(mp) ? ReadLocalManifest(mp, reporter) : null;
            return (new RestoreSource(req.Path, null, null, req.Path, new FileInfo(req.Path).Length, manifest, manifest?.Database ?? database ?? "", manifest?.StartTime ?? parsedTime), null);
        }
        var s3 = env.Require(e => e.S3, "s3");
        if (req.Bucket is { Length: > 0 } bucket && bucket != s3.Bucket) s3 = s3.WithBucket(bucket);
        var client = S3ClientFactory.Create(s3);
        try
        {
            var info = await BackupCatalog.GetAsync(client, s3.Bucket, env.Name, req.Key!, reporter, ct).ConfigureAwait(false);
            var m = info.Manifest;
            return (new RestoreSource($"s3://{s3.Bucket}/{req.Key}", s3.Bucket, req.Key, null, info.SizeBytes, m, m?.Database ?? database ?? "", m?.StartTime ?? parsedTime), client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Step 2: refuses (RestoreDiskSpaceLow) when the download (into <paramref name="tempDirectory"/>) and the restored
    /// database (estimated from the manifest, on the test server's data directory when that server is on this host)
    /// do not fit in the free space of their filesystems, counted together when they share one. A remote server's
    /// disk cannot be seen from here: that is said in a verbose message, not guessed.
    /// </summary>
    internal static async Task CheckDiskSpaceAsync(RestoreSource source, PostgresConfig? server, string tempDirectory, IOpsReporter reporter, CancellationToken ct)
    {
        var needs = new List<RestoreSpace.Need>();
        if (source.LocalPath is null) needs.Add(new RestoreSpace.Need(tempDirectory, source.SizeBytes, $"the {Text.ByteSize.Format(source.SizeBytes)} download"));
        if (server is not null)
        {
            var (estimate, how) = RestoreSpace.EstimateRestoredBytes(source.Manifest, source.SizeBytes);
            var dataDirectory = await LocalDataDirectoryAsync(server, reporter, ct).ConfigureAwait(false);
            if (dataDirectory is not null) needs.Add(new RestoreSpace.Need(dataDirectory, estimate, $"the restored database, about {Text.ByteSize.Format(estimate)} ({how})"));
            else reporter.Verbose($"The restored database needs about {Text.ByteSize.Format(estimate)} ({how}) on {server.Host}:{server.Port}; its disk is not visible from here and was not checked.");
        }
        if (RestoreSpace.Check(needs, RestoreSpace.ProbeFileSystem) is { } shortfall)
            throw new OpsException(ErrorIds.RestoreDiskSpaceLow, $"Not enough free disk to test {source.Location}: {shortfall}. Nothing was downloaded or restored.",
                source.Location, "Free space there, set backup.restoreTempDirectory to a larger filesystem, or use -TestServer with a server that has room.");
    }

    /// <summary>The test server's data directory when the server runs on this host and the directory is visible; null otherwise.</summary>
    private static async Task<string?> LocalDataDirectoryAsync(PostgresConfig server, IOpsReporter reporter, CancellationToken ct)
    {
        if (!IsThisHost(server.Host)) return null;
        await using var conn = await PgConnector.OpenAsync(server, new PgConnectOptions { Database = "postgres" }, ct).ConfigureAwait(false);
        try
        {
            // Readable by superusers and members of pg_read_all_settings only.
            await using var cmd = new NpgsqlCommand("SELECT current_setting('data_directory')", conn);
            var dir = (string?)await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (dir is { Length: > 0 } && Directory.Exists(dir)) return dir;
            reporter.Verbose($"The data directory {dir} of {server.Host}:{server.Port} is not visible here; its free space was not checked.");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            reporter.Verbose($"{server.Username} may not read data_directory on {server.Host}:{server.Port}; the server's free space was not checked.");
        }
        return null;
    }

    private static bool IsThisHost(string host) =>
        host.StartsWith('/') || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    /// <summary>
    /// Step 3: downloads an S3 backup into a new file in <paramref name="tempDirectory"/> (hashing on the way) or hashes a
    /// local file. Returns the file to restore, its SHA-256 and the temporary file to delete (null for a local file).
    /// </summary>
    internal static async Task<(string File, string Sha256, string? TempFile)> FetchAsync(RestoreSource source, IAmazonS3? client, string tempDirectory, IOpsReporter reporter, CancellationToken ct)
    {
        if (source.LocalPath is { } path) return (path, await HashFileAsync(path, ct).ConfigureAwait(false), null);
        var temp = System.IO.Path.Combine(tempDirectory, $"opsrunbook-restore-{Guid.NewGuid():N}.dump");
        try { return (temp, await DownloadAsync(client!, source.Bucket!, source.Key!, temp, source.SizeBytes, reporter, ct).ConfigureAwait(false), temp); }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Step 3b: BackupChecksumMismatch when the file's SHA-256 or length differ from the manifest; null when they match or there is no manifest.</summary>
    internal static OpsException? CheckChecksum(RestoreSource source, string sha256, long length)
    {
        if (source.Manifest is not { } m) return null;
        if (string.Equals(m.Sha256, sha256, StringComparison.OrdinalIgnoreCase) && m.SizeBytes == length) return null;
        return new OpsException(ErrorIds.BackupChecksumMismatch,
            $"{source.Location} is corrupt: sha256 {sha256} ({length} bytes) does not match the manifest's {m.Sha256} ({m.SizeBytes} bytes). Nothing was restored.", source.Location);
    }

    /// <summary>-VerifyOnly: pg_restore --list reads the archive; returns its entry count, or throws BackupCorrupt.</summary>
    internal static async Task<int> ListArchiveAsync(string pgRestore, string file, string location, TimeSpan timeout, CancellationToken ct)
    {
        var list = new ProcessStartInfo(pgRestore) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        list.ArgumentList.Add("--list");
        list.ArgumentList.Add(file);
        var (code, stdout, stderr) = await Systems.ProcessRunner.RunAsync(list, timeout, "backup.restoreTimeoutMinutes", ct).ConfigureAwait(false);
        if (code != 0) throw new OpsException(ErrorIds.BackupCorrupt, $"pg_restore --list cannot read {location}: {PgTools.CleanStderr(stderr)}", location);
        return stdout.Split('\n').Count(l => l.Length > 0 && !l.StartsWith(';'));
    }

    /// <summary>A scratch database name: the prefix, the UTC time and 6 random hex digits (unique, never an existing database).</summary>
    internal static string ScratchName(string prefix, DateTime utcNow) => $"{prefix}{utcNow:yyyyMMddHHmmss}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    /// <summary>Step 4a: CREATE DATABASE scratch TEMPLATE template0; fails (RestoreFailed) when the name exists: a restore test never restores over a database.</summary>
    internal static async Task CreateScratchAsync(PostgresConfig server, string scratch, CancellationToken ct)
    {
        await using var admin = await PgConnector.OpenAsync(server, new PgConnectOptions { Database = "postgres" }, ct).ConfigureAwait(false);
        await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseBackup.Quote(scratch)} TEMPLATE template0", admin);
        try { await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false); }
        catch (PostgresException e) { throw new OpsException(ErrorIds.RestoreFailed, $"Cannot create {scratch} on {server.Host}:{server.Port}: {e.MessageText}", scratch, null, e); }
    }

    /// <summary>Step 4b: pg_restore -j N --no-owner --no-privileges --exit-on-error into the scratch database; RestoreFailed with pg_restore's own message.</summary>
    internal static async Task PgRestoreAsync(string pgRestore, PostgresConfig server, string scratch, string file, string location, int jobs, TimeSpan timeout, IOpsReporter reporter, CancellationToken ct)
    {
        var psi = PgTools.StartInfo(pgRestore, server, scratch, ["--jobs=" + jobs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-owner", "--no-privileges", "--exit-on-error", file]);
        reporter.Verbose("Running " + PgTools.Describe(psi));
        var (exit, _, err) = await Systems.ProcessRunner.RunAsync(psi, timeout, "backup.restoreTimeoutMinutes", ct).ConfigureAwait(false);
        if (exit != 0) throw new OpsException(ErrorIds.RestoreFailed, $"pg_restore of {location} into {scratch} failed (exit {exit}): {PgTools.CleanStderr(err)}", location);
    }

    /// <summary>
    /// The server a restore test restores into: the environment's own postgres server, or -TestServer host[:port] with
    /// the environment's login and settings. Refuses (RestoreProductionRefused) a production environment's own server
    /// (an environment named prod* or live) unless <paramref name="allowProduction"/>. With <paramref name="login"/> (a
    /// -Credential) the server is used with that user and password instead of the section's; every other key is kept.
    /// </summary>
    public static PostgresConfig ResolveTestServer(EnvironmentConfig env, string? testServer, bool allowProduction, (string User, Secret Password)? login = null)
        => login is { } l ? ResolveServer(env, testServer, allowProduction).WithLogin(l.User, l.Password) : ResolveServer(env, testServer, allowProduction);

    private static PostgresConfig ResolveServer(EnvironmentConfig env, string? testServer, bool allowProduction)
    {
        var pg = env.Require(e => e.Postgres, "postgres");
        if (testServer is null)
        {
            if (IsProduction(env.Name) && !allowProduction)
                throw new OpsException(ErrorIds.RestoreProductionRefused, $"Refusing to restore on the '{env.Name}' environment's server ({pg.Host}:{pg.Port}).", env.Name,
                    "Use -Environment staging (or another test environment), -TestServer host:port, or -AllowProduction if you really mean it.");
            return pg;
        }
        var (host, port) = PostgresConfig.ParseServer(testServer);
        var server = pg.WithServer(host, port ?? pg.Port);
        if (IsProduction(env.Name) && !allowProduction && string.Equals(server.Host, pg.Host, StringComparison.OrdinalIgnoreCase) && server.Port == pg.Port)
            throw new OpsException(ErrorIds.RestoreProductionRefused, $"-TestServer {testServer} is the '{env.Name}' environment's own server.", testServer,
                "Use another server, or -AllowProduction if you really mean it.");
        return server;
    }

    /// <summary>An environment whose server a restore test must not use without -AllowProduction: prod*, live.</summary>
    public static bool IsProduction(string environmentName) =>
        environmentName.StartsWith("prod", StringComparison.OrdinalIgnoreCase) || environmentName.Equals("live", StringComparison.OrdinalIgnoreCase);

    private static BackupRestoreResult Fail(BackupRestoreResult r, OpsException error)
    {
        r.Error = error;
        r.ErrorId = error.Id.Name;
        r.Message = error.Message;
        if (r.RestoreStatus == BackupTestStatus.Skipped && r.VerifyStatus == BackupTestStatus.Skipped) r.RestoreStatus = BackupTestStatus.Failed;
        return r;
    }

    private static BackupManifest? ReadLocalManifest(string path, IOpsReporter reporter)
    {
        try { return BackupManifest.FromJson(File.ReadAllText(path)); }
        catch (System.Text.Json.JsonException e) { reporter.Warning($"The manifest {path} is not valid JSON: {e.Message}"); return null; }
    }

    private static async Task<string> DownloadAsync(IAmazonS3 client, string bucket, string key, string target, long size, IOpsReporter reporter, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            using var r = await client.GetObjectAsync(bucket, key, ct).ConfigureAwait(false);
            await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 20];
            long done = 0;
            var progress = Stopwatch.StartNew();
            reporter.Progress(new OpsProgress(ProgressId + 1, "Downloading", $"0 B of {Text.ByteSize.Format(size)}", 0, $"s3://{bucket}/{key}", ProgressId));
            int n;
            while ((n = await r.ResponseStream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                done += n;
                if (progress.ElapsedMilliseconds > 250)
                {
                    reporter.Progress(new OpsProgress(ProgressId + 1, "Downloading", $"{Text.ByteSize.Format(done)} of {Text.ByteSize.Format(size)}",
                        size > 0 ? (int)(done * 100 / size) : -1, $"s3://{bucket}/{key}", ProgressId));
                    progress.Restart();
                }
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new OpsException(ErrorIds.BackupNotFound, $"There is no backup s3://{bucket}/{key}.", key, null, e);
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e) && e is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            if (ct.IsCancellationRequested) throw;
            throw new OpsException(ErrorIds.BackupDownloadFailed, $"Cannot download s3://{bucket}/{key}: {S3Errors.Innermost(e).Message}", key, null, e);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    internal static async Task<string> HashFileAsync(string path, CancellationToken ct)
    {
        await using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(f, ct).ConfigureAwait(false));
    }

    /// <summary>Counts rows of every manifest table in the scratch database, over up to <paramref name="parallel"/> connections.</summary>
    /// <remarks>Step 5.</remarks>
    internal static async Task<(List<string> Mismatches, long Rows)> VerifyAsync(PostgresConfig server, string scratch, BackupManifest manifest, int parallel, CancellationToken ct)
    {
        var opts = new PgConnectOptions { Database = scratch, CommandTimeoutSeconds = 0 };
        HashSet<(string, string)> present;
        await using (var conn = await PgConnector.OpenAsync(server, opts, ct).ConfigureAwait(false))
            present = (await DatabaseBackup.ListTablesAsync(conn, null, ct).ConfigureAwait(false)).ToHashSet();
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        long rows = 0;
        var queue = new System.Collections.Concurrent.ConcurrentQueue<BackupTableCount>(manifest.Tables.OrderByDescending(t => t.Rows));
        var workers = Enumerable.Range(0, Math.Min(parallel, Math.Max(1, manifest.Tables.Count))).Select(async _ =>
        {
            await using var conn = await PgConnector.OpenAsync(server, opts, ct).ConfigureAwait(false);
            while (queue.TryDequeue(out var t))
            {
                if (!present.Contains((t.Schema, t.Name))) { mismatches.Add($"{t.QualifiedName}: missing"); continue; }
                var n = (await DatabaseBackup.CountAsync(conn, null, [(t.Schema, t.Name)], ct).ConfigureAwait(false))[0].Rows;
                Interlocked.Add(ref rows, n);
                if (n != t.Rows) mismatches.Add($"{t.QualifiedName}: {n} rows restored, {t.Rows} in the manifest");
            }
        }).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return (mismatches.OrderBy(m => m, StringComparer.Ordinal).ToList(), rows);
    }

    /// <summary>DROP DATABASE ... WITH (FORCE), then checks pg_database. Runs even after cancellation (own timeout).</summary>
    public static async Task<(bool Dropped, string? Error)> DropAsync(PostgresConfig server, string name)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await using var admin = await PgConnector.OpenAsync(server, new PgConnectOptions { Database = "postgres", CommandTimeoutSeconds = 60 }, cts.Token).ConfigureAwait(false);
            await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseBackup.Quote(name)} WITH (FORCE)", admin))
                await drop.ExecuteNonQueryAsync(cts.Token).ConfigureAwait(false);
            await using var check = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @n", admin);
            check.Parameters.AddWithValue("n", name);
            var left = Convert.ToInt64(await check.ExecuteScalarAsync(cts.Token).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            return left == 0 ? (true, null) : (false, "it is still listed in pg_database");
        }
        catch (Exception e) when (e is OpsException or NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return (false, e is PostgresException pe ? pe.MessageText : e.Message);
        }
    }

    /// <summary>Scratch databases left by killed runs: names starting with backup.scratchPrefix.</summary>
    public static async Task<IReadOnlyList<string>> FindScratchDatabasesAsync(PostgresConfig server, string prefix, CancellationToken ct)
    {
        await using var admin = await PgConnector.OpenAsync(server, new PgConnectOptions { Database = "postgres" }, ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT datname FROM pg_database WHERE starts_with(datname, @p) ORDER BY 1", admin);
        cmd.Parameters.AddWithValue("p", prefix);
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(r.GetString(0));
        return list;
    }
}
