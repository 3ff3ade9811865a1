using System.Security.Cryptography;
using Amazon.S3.Model;
using OpsRunbook.Core.Backup;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Storage;

namespace OpsRunbook.Core.Tests.Backup;

/// <summary>Against the sandbox's PostgreSQL (real pg_dump) and s3rver, each test under its own prefix.</summary>
public class DatabaseBackupTests
{
    private static EnvironmentConfig IsolatedEnvironment(out string prefix)
    {
        var env = Sandbox.Environment();
        prefix = $"xunit-{Guid.NewGuid():N}/";
        env.S3!.PostgresPrefix = prefix;
        return env;
    }

    private static async Task<List<string>> KeysAsync(EnvironmentConfig env, string prefix)
    {
        using var client = S3ClientFactory.Create(env.S3!);
        var keys = new List<string>();
        await foreach (var o in BackupCatalog.ListObjectsAsync(client, env.S3!.Bucket, prefix, 1000, default)) keys.Add(o.Key);
        return keys;
    }

    private static async Task CleanAsync(EnvironmentConfig env, string prefix)
    {
        using var client = S3ClientFactory.Create(env.S3!);
        foreach (var k in await KeysAsync(env, prefix)) await client.DeleteObjectAsync(env.S3!.Bucket, k);
    }

    [Fact]
    public async Task A_dump_in_many_small_parts_round_trips_byte_for_byte()
    {
        var env = IsolatedEnvironment(out var prefix);
        try
        {
            var r = await DatabaseBackup.RunAsync(env, new BackupOptions { PartSizeBytes = 64 * 1024, CompressionLevel = 0 }, NullReporter.Allow, default);
            Assert.True(r.SizeBytes > 3 * 64 * 1024, $"the dump ({r.SizeBytes} bytes) should need several parts");
            using var client = S3ClientFactory.Create(env.S3!);
            using var get = await client.GetObjectAsync(env.S3!.Bucket, r.Key);
            using var ms = new MemoryStream();
            await get.ResponseStream.CopyToAsync(ms);
            Assert.Equal(r.SizeBytes, ms.Length);
            Assert.Equal(r.Sha256, Convert.ToHexStringLower(SHA256.HashData(ms.ToArray())));
            Assert.Equal(r.Sha256, r.Manifest.Sha256);
            Assert.Equal(new[] { r.Key!, r.ManifestKey! }.Order(), (await KeysAsync(env, prefix)).Order());
        }
        finally { await CleanAsync(env, prefix); }
    }

    private sealed class CancelOnProgress(CancellationTokenSource cts, string when) : IOpsReporter
    {
        public void Progress(OpsProgress progress) { if (progress.Status.Contains(when, StringComparison.Ordinal)) cts.Cancel(); }
        public void Verbose(string message) { }
        public void Warning(string message) { }
        public bool ShouldProcess(string target, string action) => true;
    }

    [Fact]
    public async Task Cancelling_mid_upload_leaves_no_object()
    {
        var env = IsolatedEnvironment(out var prefix);
        try
        {
            using var cts = new CancellationTokenSource();
            // Progress is reported while bytes stream; cancel at the first "dumped" report, with parts already sent.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DatabaseBackup.RunAsync(env,
                new BackupOptions { PartSizeBytes = 16 * 1024, CompressionLevel = 0 }, new CancelOnProgress(cts, "dumped"), cts.Token));
            Assert.Empty(await KeysAsync(env, prefix));
        }
        finally { await CleanAsync(env, prefix); }
    }

    [Fact]
    public async Task Manifest_counts_come_from_the_dumped_snapshot_even_while_rows_are_added()
    {
        var env = IsolatedEnvironment(out var prefix);
        var pg = env.Postgres!;
        await using var conn = await OpsRunbook.Core.Data.PgConnector.OpenAsync(pg, null, default);
        await using (var c = new Npgsql.NpgsqlCommand("CREATE TABLE IF NOT EXISTS xunit_snapshot_probe (id int); INSERT INTO xunit_snapshot_probe SELECT generate_series(1, 50)", conn)) await c.ExecuteNonQueryAsync();
        try
        {
            using var stop = new CancellationTokenSource();
            var inserts = 0;
            var writer = Task.Run(async () =>
            {
                await using var w = await OpsRunbook.Core.Data.PgConnector.OpenAsync(pg, null, default);
                while (!stop.IsCancellationRequested)
                {
                    await using var c = new Npgsql.NpgsqlCommand("INSERT INTO xunit_snapshot_probe SELECT generate_series(1, 50)", w);
                    await c.ExecuteNonQueryAsync();
                    Interlocked.Increment(ref inserts);
                }
            });
            var path = Path.Combine(Path.GetTempPath(), $"xunit-{Guid.NewGuid():N}.dump");
            try
            {
                while (Volatile.Read(ref inserts) < 3 && !writer.IsCompleted) await Task.Delay(10);
                var r = await DatabaseBackup.RunAsync(env, new BackupOptions { Path = path }, NullReporter.Allow, default);
                stop.Cancel();
                await writer;
                var expected = r.Manifest.Tables.Single(t => t.Name == "xunit_snapshot_probe").Rows;
                // Count the rows in the dump itself: pg_restore the table's data to SQL and count the COPY lines.
                var psi = new System.Diagnostics.ProcessStartInfo(PgTools.Find("pg_restore")) { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in new[] { "--data-only", "--table=xunit_snapshot_probe", "--file=-", path }) psi.ArgumentList.Add(a);
                var (code, sql, _) = await OpsRunbook.Core.Systems.ProcessRunner.RunAsync(psi, default);
                Assert.Equal(0, code);
                var lines = sql.Split('\n');
                var start = Array.FindIndex(lines, l => l.StartsWith("COPY public.xunit_snapshot_probe", StringComparison.Ordinal));
                var rows = lines.Skip(start + 1).TakeWhile(l => l != "\\.").Count();
                Assert.Equal(expected, rows);
                Assert.True(expected >= 50);
                // Rows kept arriving after the snapshot, so the table now holds more than the dump.
                await using var now = new Npgsql.NpgsqlCommand("SELECT count(*) FROM xunit_snapshot_probe", conn);
                Assert.True((long)(await now.ExecuteScalarAsync())! > expected);
            }
            finally
            {
                stop.Cancel();
                File.Delete(path);
                File.Delete(BackupKeys.ManifestPath(path));
            }
        }
        finally
        {
            await using var c = new Npgsql.NpgsqlCommand("DROP TABLE IF EXISTS xunit_snapshot_probe", conn);
            await c.ExecuteNonQueryAsync();
        }
    }
}
