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
        string? tempFile = null, bucketName = null;
        AmazonS3Client? client = null;
        try
        {
            // 1. Find the backup and its manifest.
            BackupManifest? manifest;
            string file;
            long size;
            if (req.Path is not null)
            {
                if (!File.Exists(req.Path)) return Fail(result, ErrorIds.BackupNotFound, $"There is no dump file {req.Path}.");
                file = req.Path;
                size = new FileInfo(file).Length;
                var mp = BackupKeys.ManifestPath(file);
                manifest = File.Exists(mp) ? ReadLocalManifest(mp, reporter) : null;
            }
            else
            {
                var s3 = env.Require(e => e.S3, "s3");
                if (req.Bucket is { Length: > 0 } bucket && bucket != s3.Bucket) s3 = s3.WithBucket(bucket);
                bucketName = s3.Bucket;
                client = S3ClientFactory.Create(s3);
                result.Backup = $"s3://{s3.Bucket}/{req.Key}";
                BackupInfo info;
                try { info = await BackupCatalog.GetAsync(client, bucketName, env.Name, req.Key!, reporter, ct).ConfigureAwait(false); }
                catch (OpsException e) { return Fail(result, e.Id, e.Message); }
                manifest = info.Manifest;
                size = info.SizeBytes;
                file = "";
            }
            result.SizeBytes = size;
            result.Database = manifest?.Database ?? (BackupKeys.TryParse(req.Key ?? req.Path!, out var db, out _) ? db : "");
            result.BackupTime = manifest?.StartTime ?? (BackupKeys.TryParse(req.Key ?? req.Path!, out _, out var t) ? t : null);
            if (req.MaxSizeBytes is { } max && size > max)
            {
                result.Message = $"Skipped: the backup is {Text.ByteSize.Format(size)}, above -MaxSize {Text.ByteSize.Format(max)}.";
                return result;
            }
            if (!req.VerifyOnly && !reporter.ShouldProcess(result.TestServer, $"Restore {result.Backup} into a scratch database and drop it"))
            {
                result.Message = "Skipped (WhatIf): nothing was downloaded, created or restored.";
                return result;
            }

            // 2. Download (to a temporary file: pg_restore -j needs a seekable file) and check the checksum.
            var sw = Stopwatch.StartNew();
            string sha;
            if (client is not null)
            {
                tempFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"opsrunbook-restore-{Guid.NewGuid():N}.dump");
                try { sha = await DownloadAsync(client, bucketName!, req.Key!, tempFile, size, reporter, ct).ConfigureAwait(false); }
                catch (OpsException e) { return Fail(result, e.Id, e.Message); }
                file = tempFile;
            }
            else
            {
                sha = await HashFileAsync(file, ct).ConfigureAwait(false);
            }
            result.DownloadDuration = sw.Elapsed;
            result.Sha256 = sha;
            if (manifest is null)
            {
                reporter.Warning($"{result.Backup} has no manifest: its checksum and row counts cannot be verified.");
            }
            else
            {
                result.ChecksumOk = string.Equals(manifest.Sha256, sha, StringComparison.OrdinalIgnoreCase) && manifest.SizeBytes == new FileInfo(file).Length;
                if (result.ChecksumOk != true)
                {
                    result.VerifyStatus = BackupTestStatus.Failed;
                    return Fail(result, ErrorIds.BackupChecksumMismatch,
                        $"{result.Backup} is corrupt: sha256 {sha} ({new FileInfo(file).Length} bytes) does not match the manifest's {manifest.Sha256} ({manifest.SizeBytes} bytes). Nothing was restored.");
                }
                reporter.Verbose($"Checksum OK: {sha}.");
            }

            var pgRestore = PgTools.Find("pg_restore", env.Backup.PgBinDirectory);
            if (req.VerifyOnly)
            {
                var list = new ProcessStartInfo(pgRestore) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                list.ArgumentList.Add("--list");
                list.ArgumentList.Add(file);
                var (code, stdout, stderr) = await Systems.ProcessRunner.RunAsync(list, env.Backup.RestoreTimeout, "backup.restoreTimeoutMinutes", ct).ConfigureAwait(false);
                if (code != 0)
                {
                    result.VerifyStatus = BackupTestStatus.Failed;
                    return Fail(result, ErrorIds.BackupCorrupt, $"pg_restore --list cannot read {result.Backup}: {PgTools.CleanStderr(stderr)}");
                }
                var entries = stdout.Split('\n').Count(l => l.Length > 0 && !l.StartsWith(';'));
                result.VerifyStatus = BackupTestStatus.Success;
                result.Message = $"Checksum {(manifest is null ? "not checked (no manifest)" : "OK")}; pg_restore --list reads {entries} entries. Not restored (-VerifyOnly).";
                return result;
            }

            // 3. Restore into a new scratch database.
            var scratch = $"{env.Backup.ScratchPrefix}{DateTime.UtcNow:yyyyMMddHHmmss}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
            try
            {
                reporter.Progress(new OpsProgress(ProgressId, $"Restore test {result.Backup}", $"Creating {scratch}"));
                try
                {
                    await using var admin = await PgConnector.OpenAsync(server, new PgConnectOptions { Database = "postgres" }, ct).ConfigureAwait(false);
                    // CREATE DATABASE fails when the name exists: a restore test never restores over a database.
                    await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseBackup.Quote(scratch)} TEMPLATE template0", admin);
                    await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    result.ScratchDatabase = scratch;
                }
                catch (OpsException e) { result.RestoreStatus = BackupTestStatus.Failed; return Fail(result, e.Id, e.Message); }
                catch (PostgresException e) { result.RestoreStatus = BackupTestStatus.Failed; return Fail(result, ErrorIds.RestoreFailed, $"Cannot create {scratch} on {result.TestServer}: {e.MessageText}"); }

                reporter.Progress(new OpsProgress(ProgressId, $"Restore test {result.Backup}", $"pg_restore -j {req.Jobs} into {scratch}"));
                sw.Restart();
                var psi = PgTools.StartInfo(pgRestore, server, scratch, ["--jobs=" + req.Jobs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-owner", "--no-privileges", "--exit-on-error", file]);
                reporter.Verbose("Running " + PgTools.Describe(psi));
                var (exit, _, err) = await Systems.ProcessRunner.RunAsync(psi, env.Backup.RestoreTimeout, "backup.restoreTimeoutMinutes", ct).ConfigureAwait(false);
                result.RestoreDuration = sw.Elapsed;
                if (exit != 0)
                {
                    result.RestoreStatus = BackupTestStatus.Failed;
                    return Fail(result, ErrorIds.RestoreFailed, $"pg_restore of {result.Backup} into {scratch} failed (exit {exit}): {PgTools.CleanStderr(err)}");
                }
                result.RestoreStatus = BackupTestStatus.Success;

                // 4. Verify: every manifest table is there, with exactly its row count.
                if (manifest is null)
                {
                    result.Message = $"Restored into {scratch} in {result.RestoreDuration.TotalSeconds:0.0} s; not verified (no manifest).";
                }
                else
                {
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
                        return Fail(result, ErrorIds.RestoreVerificationFailed, $"{mismatches.Count} of {manifest.Tables.Count} tables differ from the manifest: {string.Join("; ", mismatches.Take(10))}");
                    }
                    result.VerifyStatus = BackupTestStatus.Success;
                    result.Message = $"Restored into {scratch} in {result.RestoreDuration.TotalSeconds:0.0} s; {result.TablesChecked} tables and {rows} rows match the manifest.";
                }
                return result;
            }
            finally
            {
                // 5. Drop the scratch database, also on failure and Ctrl+C, and confirm it is gone.
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
    /// The server a restore test restores into: the environment's own postgres server, or -TestServer host[:port] with
    /// the environment's login and settings. Refuses (RestoreProductionRefused) a production environment's own server
    /// (an environment named prod* or live) unless <paramref name="allowProduction"/>.
    /// </summary>
    public static PostgresConfig ResolveTestServer(EnvironmentConfig env, string? testServer, bool allowProduction)
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

    private static BackupRestoreResult Fail(BackupRestoreResult r, OpsErrorId errorId, string message)
    {
        r.Error = new OpsException(errorId, message, r.Backup);
        r.ErrorId = errorId.Name;
        r.Message = message;
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
    private static async Task<(List<string> Mismatches, long Rows)> VerifyAsync(PostgresConfig server, string scratch, BackupManifest manifest, int parallel, CancellationToken ct)
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
