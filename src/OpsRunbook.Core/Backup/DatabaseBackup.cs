using System.Data;
using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Storage;

namespace OpsRunbook.Core.Backup;

/// <summary>What Backup-OpsDatabase returns.</summary>
public sealed class BackupResult
{
    public string Environment { get; init; } = "";
    public string Database { get; init; } = "";
    /// <summary>s3://bucket/key or the local path.</summary>
    public string Location { get; init; } = "";
    public string? Bucket { get; init; }
    public string? Key { get; init; }
    public string? ManifestKey { get; init; }
    public string? Path { get; init; }
    public long SizeBytes { get; init; }
    public string Sha256 { get; init; } = "";
    public DateTimeOffset StartTime { get; init; }
    public DateTimeOffset EndTime { get; init; }
    public TimeSpan Duration => EndTime - StartTime;
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);
    public int Tables { get; init; }
    public long Rows { get; init; }
    public string ServerVersion { get; init; } = "";
    public BackupManifest Manifest { get; init; } = new();
    public override string ToString() => Location;
}

public sealed record BackupOptions
{
    /// <summary>The database to dump; default: postgres.database.</summary>
    public string? Database { get; init; }
    /// <summary>Write to this local file (its manifest next to it) instead of S3.</summary>
    public string? Path { get; init; }
    /// <summary>pg_dump -Z level (0-9); null: pg_dump's default.</summary>
    public int? CompressionLevel { get; init; }
    /// <summary>Overrides backup.partSizeMB (tests use a small part size to exercise several parts).</summary>
    public int? PartSizeBytes { get; init; }
    /// <summary>The time the key is named by; default now.</summary>
    public DateTimeOffset? Time { get; init; }
}

/// <summary>
/// pg_dump -Fc streamed straight into an S3 multipart upload (or a local file), hashed with SHA-256 on
/// the way, with a manifest of exact row counts from the same snapshot. No temporary file: the dump's
/// stdout is read into part-sized buffers, and a part uploads while the next one fills. On any failure
/// or cancellation the multipart upload is aborted, so no half backup is left behind.
/// </summary>
public static class DatabaseBackup
{
    private const int ProgressId = 51;

    public static async Task<BackupResult> RunAsync(EnvironmentConfig env, BackupOptions options, IOpsReporter reporter, CancellationToken ct)
    {
        var pg = env.Require(e => e.Postgres, "postgres");
        var database = options.Database ?? pg.Database;
        var pgDump = PgTools.Find("pg_dump", env.Backup.PgBinDirectory);
        var start = options.Time ?? DateTimeOffset.UtcNow;
        start = new DateTimeOffset(start.UtcDateTime.AddTicks(-(start.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)), TimeSpan.Zero);

        S3Config? s3 = null;
        string? key = null, manifestKey = null;
        IDumpSink sink;
        Amazon.S3.AmazonS3Client? client = null;
        if (options.Path is null)
        {
            s3 = env.Require(e => e.S3, "s3");
            key = BackupKeys.DumpKey(s3.PostgresPrefix, database, start);
            manifestKey = BackupKeys.ManifestKey(key);
            client = S3ClientFactory.Create(s3);
            sink = new S3DumpSink(client, s3.Bucket, key, manifestKey);
        }
        else
        {
            sink = new FileDumpSink(options.Path);
        }

        Task? starting = null;
        Task<string>? versionProbe = null;
        // pg_dump and our snapshot session carry one unique application name, so a failed or cancelled backup can
        // end its sessions on the server (a backend waiting on a lock does not notice that its client is gone).
        var appName = $"OpsRunbook backup {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var lockWait = TimeSpan.FromSeconds(env.Backup.LockWaitTimeoutSeconds);
        var sessionStarted = false;
        try
        {
            var partSize = options.PartSizeBytes ?? env.Backup.PartSizeMB * 1024 * 1024;
            // Start the upload and ask pg_dump its version while the snapshot is taken: fewer round trips in line.
            starting = sink.StartAsync(ct);
            versionProbe = DumpVersionAsync(pgDump, ct);
            reporter.Verbose($"Backing up {PgConnector.Describe(pg, new PgConnectOptions { Database = database })} to {sink.Location}.");
            reporter.Progress(new OpsProgress(ProgressId, $"Backup {database}", "Taking a snapshot"));

            sessionStarted = true;
            await using var conn = await PgConnector.OpenAsync(pg, new PgConnectOptions { Database = database, CommandTimeoutSeconds = 0, ApplicationName = appName, LockTimeout = lockWait }, ct).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
            string snapshot, serverVersion;
            long databaseSize;
            await using (var cmd = new NpgsqlCommand("SELECT pg_export_snapshot(), current_setting('server_version'), pg_database_size(current_database())", conn, tx))
            await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                await r.ReadAsync(ct).ConfigureAwait(false);
                snapshot = r.GetString(0);
                serverVersion = r.GetString(1);
                databaseSize = r.GetInt64(2);
            }
            var tables = await ListTablesAsync(conn, tx, ct).ConfigureAwait(false);

            await starting.ConfigureAwait(false);

            var args = new List<string> { "--format=custom", $"--snapshot={snapshot}", $"--lock-wait-timeout={(long)lockWait.TotalMilliseconds}" };
            if (options.CompressionLevel is { } z) args.Add($"--compress={z}");
            var psi = PgTools.StartInfo(pgDump, pg, database, args);
            psi.Environment["PGAPPNAME"] = appName;
            reporter.Verbose("Running " + PgTools.Describe(psi));

            using var process = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start " + pgDump);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // Row counts run on the snapshot's connection while pg_dump streams.
            var counting = CountAsync(conn, tx, tables, linked.Token);
            long size;
            string sha;
            try
            {
                (size, sha) = await PumpAsync(process.StandardOutput.BaseStream, sink, partSize, database, reporter, linked.Token).ConfigureAwait(false);
                await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                Systems.ProcessRunner.KillQuietly(process);
                linked.Cancel();
                try { await counting.ConfigureAwait(false); } catch (Exception) { }
                throw;
            }
            if (process.ExitCode != 0)
            {
                linked.Cancel();
                try { await counting.ConfigureAwait(false); } catch (Exception) { }
                var dumpErrors = await stderr.ConfigureAwait(false);
                if (LockedRelation(dumpErrors) is { } locked)
                {
                    var holders = await PgLockWait.HoldersAsync(pg, new PgConnectOptions { Database = database }, locked.Length > 0 ? locked : null, CancellationToken.None).ConfigureAwait(false);
                    var relation = holders.Relation;
                    throw new OpsException(ErrorIds.DbLockTimeout,
                        $"pg_dump of {database} could not lock {relation} within {lockWait.TotalSeconds:0.###} s (backup.lockWaitTimeoutSeconds); {holders.Describe()}. Nothing was stored.",
                        relation, holders.Blockers.Count > 0
                            ? $"Wait for that session to finish, or end it: Stop-OpsDbConnection -Pid {holders.Blockers[0].Pid}. Raise backup.lockWaitTimeoutSeconds to wait longer."
                            : "Run the backup again; raise backup.lockWaitTimeoutSeconds to wait longer.");
                }
                throw new OpsException(ErrorIds.BackupDumpFailed, $"pg_dump of {database} failed (exit {process.ExitCode}): {PgTools.CleanStderr(dumpErrors)}",
                    database, "Read pg_dump's message above; check postgres.* in the config and that pg_dump's major version is at least the server's.");
            }
            List<BackupTableCount> counts;
            try { counts = await counting.ConfigureAwait(false); }
            catch (NpgsqlException e) when (!ct.IsCancellationRequested) { throw PgConnector.TranslateQuery(e, pg, new PgConnectOptions { Database = database, LockTimeout = lockWait }); }
            var dumpVersion = await versionProbe.ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);

            reporter.Progress(new OpsProgress(ProgressId, $"Backup {database}", "Completing the upload", 100));
            await sink.CompleteAsync(ct).ConfigureAwait(false);
            var manifest = new BackupManifest
            {
                Database = database, ServerVersion = serverVersion, PgDumpVersion = dumpVersion, StartTime = start,
                EndTime = DateTimeOffset.UtcNow, SizeBytes = size, Sha256 = sha, Snapshot = snapshot, Tables = counts,
                DatabaseSizeBytes = databaseSize,
            };
            await sink.WriteManifestAsync(manifest, ct).ConfigureAwait(false);
            reporter.Verbose($"Wrote {sink.Location}: {size} bytes, sha256 {sha}, {counts.Count} tables, {manifest.TotalRows} rows.");
            return new BackupResult
            {
                Environment = env.Name, Database = database, Location = sink.Location, Bucket = s3?.Bucket, Key = key, ManifestKey = manifestKey,
                Path = options.Path, SizeBytes = size, Sha256 = sha, StartTime = start, EndTime = manifest.EndTime,
                Tables = counts.Count, Rows = manifest.TotalRows, ServerVersion = serverVersion, Manifest = manifest,
            };
        }
        catch (Exception)
        {
            foreach (var t in new Task?[] { starting, versionProbe })
            {
                if (t is null) continue;
                try { await t.ConfigureAwait(false); } catch (Exception) { /* the first failure is the one reported */ }
            }
            if (sessionStarted) await EndSessionsAsync(pg, database, appName, reporter).ConfigureAwait(false);
            await sink.AbortAsync(reporter).ConfigureAwait(false);
            throw;
        }
        finally
        {
            client?.Dispose();
        }
    }

    /// <summary>The relation in pg_dump's "canceling statement due to lock timeout ... LOCK TABLE x IN ACCESS SHARE MODE", or null.</summary>
    internal static string? LockedRelation(string stderr)
    {
        // pg_dump --lock-wait-timeout sets statement_timeout around its LOCK TABLE: "canceling statement due to statement
        // timeout ... Query was: LOCK TABLE public.users IN ACCESS SHARE MODE" (older servers: "could not obtain lock").
        var m = System.Text.RegularExpressions.Regex.Match(stderr, @"LOCK TABLE (\S+) IN");
        if (m.Success && (stderr.Contains("timeout", StringComparison.OrdinalIgnoreCase) || stderr.Contains("could not obtain lock", StringComparison.OrdinalIgnoreCase)))
            return m.Groups[1].Value;
        m = System.Text.RegularExpressions.Regex.Match(stderr, "could not obtain lock on relation \"([^\"]+)\"");
        if (m.Success) return m.Groups[1].Value;
        return stderr.Contains("canceling statement due to statement timeout", StringComparison.OrdinalIgnoreCase) ? "" : null;
    }

    /// <summary>
    /// Ends every server session of this backup still there (pg_dump's, blocked on a lock, outlives the killed
    /// pg_dump). Bounded, never throws: the failure that got us here is the one reported.
    /// </summary>
    private static async Task EndSessionsAsync(PostgresConfig pg, string database, string appName, IOpsReporter reporter)
    {
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(pg.ConnectTimeoutSeconds + 5));
            await using var conn = await PgConnector.OpenAsync(pg, new PgConnectOptions { Database = database, CommandTimeoutSeconds = 5, ApplicationName = "OpsRunbook backup cleanup" }, bound.Token).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand(
                "SELECT count(*) FILTER (WHERE pg_catalog.pg_terminate_backend(pid, 5000)) FROM pg_catalog.pg_stat_activity WHERE application_name = $1 AND pid <> pg_catalog.pg_backend_pid()", conn);
            cmd.Parameters.Add(new NpgsqlParameter { Value = appName });
            var ended = Convert.ToInt64(await cmd.ExecuteScalarAsync(bound.Token).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            if (ended > 0) reporter.Verbose($"Ended {ended} session(s) of the failed backup ({appName}) on the server.");
        }
        catch (Exception e)
        {
            reporter.Warning($"Could not end the failed backup's sessions ({appName}) on the server: {e.Message}");
        }
    }

    /// <summary>Reads the dump into part buffers, hashing; at most two parts upload while the next fills.</summary>
    private static async Task<(long Size, string Sha256)> PumpAsync(Stream stdout, IDumpSink sink, int partSize, string database,
        IOpsReporter reporter, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        const int maxInFlight = 2;
        var free = new Stack<byte[]>();
        var inFlight = new Queue<(Task Task, byte[] Buffer)>();
        long total = 0;
        var part = 0;
        var progress = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var buffer = free.Count > 0 ? free.Pop() : new byte[partSize];
                var filled = 0;
                int n;
                while (filled < partSize && (n = await stdout.ReadAsync(buffer.AsMemory(filled, partSize - filled), ct).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, filled, n);
                    filled += n;
                    total += n;
                    if (progress.ElapsedMilliseconds > 250)
                    {
                        reporter.Progress(new OpsProgress(ProgressId, $"Backup {database}", $"{Text.ByteSize.Format(total)} dumped, {part} part(s) uploaded", -1, sink.Location));
                        progress.Restart();
                    }
                }
                if (filled == 0 && part > 0) break;   // EOF on a part boundary (an empty dump still gets one part)
                part++;
                inFlight.Enqueue((sink.WritePartAsync(buffer, filled, part, ct), buffer));
                while (inFlight.Count >= maxInFlight || (filled < partSize && inFlight.Count > 0))
                {
                    var (t, b) = inFlight.Dequeue();
                    await t.ConfigureAwait(false);
                    free.Push(b);
                }
                if (filled < partSize) break;
            }
        }
        catch (Exception)
        {
            foreach (var (t, _) in inFlight) { try { await t.ConfigureAwait(false); } catch (Exception) { } }
            throw;
        }
        return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    internal static async Task<List<(string Schema, string Name)>> ListTablesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct)
    {
        // Ordinary tables (partitions included), not those of extensions or the system: what pg_dump dumps data for.
        const string sql = """
            SELECT n.nspname, c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r'
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY 1, 2
            """;
        var list = new List<(string, string)>();
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }

    internal static async Task<List<BackupTableCount>> CountAsync(NpgsqlConnection conn, NpgsqlTransaction? tx,
        IEnumerable<(string Schema, string Name)> tables, CancellationToken ct)
    {
        var result = new List<BackupTableCount>();
        foreach (var (schema, name) in tables)
        {
            await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {Quote(schema)}.{Quote(name)}", conn, tx);
            var n = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            result.Add(new BackupTableCount(schema, name, n));
        }
        return result;
    }

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<string> DumpVersionAsync(string pgDump, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(pgDump) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--version");
        var (code, stdout, _) = await Systems.ProcessRunner.RunAsync(psi, TimeSpan.FromSeconds(30), "a fixed 30 s for pg_dump --version", ct).ConfigureAwait(false);
        return code == 0 ? stdout.Trim() : "";
    }
}
