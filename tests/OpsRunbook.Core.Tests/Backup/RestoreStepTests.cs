using OpsRunbook.Core.Backup;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;

namespace OpsRunbook.Core.Tests.Backup;

/// <summary>The free-disk arithmetic of a restore test, with a fake file system.</summary>
public class RestoreSpaceTests
{
    private static Func<string, RestoreSpace.FreeSpace> Disks(params (string Prefix, string Fs, long Free)[] disks) =>
        path => disks.Where(d => path.StartsWith(d.Prefix, StringComparison.Ordinal)).Select(d => new RestoreSpace.FreeSpace(d.Fs, d.Prefix, d.Free)).First();

    [Fact]
    public void Needs_that_fit_pass()
        => Assert.Null(RestoreSpace.Check([new("/tmp", 100, "the download"), new("/var/lib/pg", 400, "the restored database")], Disks(("/tmp", "a", 100), ("/var", "b", 400))));

    [Fact]
    public void Needs_on_one_filesystem_are_added_up()
    {
        var why = RestoreSpace.Check([new("/srv/tmp", 100, "the download"), new("/srv/pg", 400, "the restored database")], Disks(("/srv", "a", 499)));
        Assert.NotNull(why);
        Assert.Contains("/srv/tmp and /srv/pg", why);
        Assert.Contains("500 B for the download plus the restored database", why);
        Assert.Contains("499 B free", why);
    }

    [Fact]
    public void Only_the_short_filesystem_is_named()
    {
        var why = RestoreSpace.Check([new("/tmp", 2048, "the download"), new("/var/lib/pg", 10, "the restored database")], Disks(("/tmp", "a", 1024), ("/var", "b", 1 << 30)));
        Assert.Equal("/tmp (filesystem /tmp) needs 2.0 KiB for the download and has 1.0 KiB free", why);
    }

    [Fact]
    public void The_restored_size_comes_from_the_manifest_else_four_times_the_dump()
    {
        Assert.Equal(123_456L, RestoreSpace.EstimateRestoredBytes(new BackupManifest { DatabaseSizeBytes = 123_456 }, 1000).Bytes);
        Assert.Equal(4000L, RestoreSpace.EstimateRestoredBytes(new BackupManifest(), 1000).Bytes);
        Assert.Contains("no database size", RestoreSpace.EstimateRestoredBytes(null, 1000).How);
    }

    [Fact]
    public void The_real_probe_sees_one_filesystem_for_two_directories_on_it()
    {
        var a = RestoreSpace.ProbeFileSystem(Path.GetTempPath());
        var b = RestoreSpace.ProbeFileSystem(Directory.CreateTempSubdirectory("opsrunbook-space-").FullName);
        Assert.Equal(a.FileSystem, b.FileSystem);
        Assert.True(a.FreeBytes > 0);
    }
}

/// <summary>Each step of a restore test alone, against the sandbox's PostgreSQL with a local dump.</summary>
public class RestoreStepTests
{
    private static async Task<(string Dump, BackupManifest Manifest, string Dir)> LocalDumpAsync(EnvironmentConfig env)
    {
        var dir = Directory.CreateTempSubdirectory("opsrunbook-steps-").FullName;
        var path = Path.Combine(dir, "app.dump");
        var r = await DatabaseBackup.RunAsync(env, new BackupOptions { Path = path }, NullReporter.Allow, default);
        return (path, r.Manifest, dir);
    }

    [Fact]
    public async Task Locate_reads_a_local_dump_and_its_manifest_or_says_it_is_missing()
    {
        var env = Sandbox.Environment("staging");
        var (dump, manifest, dir) = await LocalDumpAsync(env);
        try
        {
            var (source, client) = await RestoreTest.LocateAsync(env, new RestoreTestRequest { Path = dump }, NullReporter.Allow, default);
            Assert.Null(client);
            Assert.Equal(new FileInfo(dump).Length, source.SizeBytes);
            Assert.Equal(manifest.Sha256, source.Manifest!.Sha256);
            Assert.True(source.Manifest.DatabaseSizeBytes > 0);
            var missing = await Assert.ThrowsAsync<OpsException>(() => RestoreTest.LocateAsync(env, new RestoreTestRequest { Path = dump + ".nope" }, NullReporter.Allow, default));
            Assert.Same(ErrorIds.BackupNotFound, missing.Id);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task The_disk_check_names_the_data_directory_when_the_estimate_does_not_fit()
    {
        var env = Sandbox.Environment("staging");
        var source = new RestoreSource("x.dump", null, null, "/nonexistent/x.dump", 1000, new BackupManifest { DatabaseSizeBytes = long.MaxValue / 4 }, "app", null);
        var e = await Assert.ThrowsAsync<OpsException>(() => RestoreTest.CheckDiskSpaceAsync(source, env.Postgres!, Path.GetTempPath(), NullReporter.Allow, default));
        Assert.Same(ErrorIds.RestoreDiskSpaceLow, e.Id);
        Assert.Contains("the restored database", e.Message);
        // A local file needs no download space; a small estimate fits.
        await RestoreTest.CheckDiskSpaceAsync(source with { Manifest = new BackupManifest { DatabaseSizeBytes = 1000 } }, env.Postgres!, Path.GetTempPath(), NullReporter.Allow, default);
        // -VerifyOnly (no server) checks only the download.
        await RestoreTest.CheckDiskSpaceAsync(source, null, Path.GetTempPath(), NullReporter.Allow, default);
    }

    [Fact]
    public void The_checksum_check_names_both_sums_and_passes_without_a_manifest()
    {
        var m = new BackupManifest { Sha256 = "aa", SizeBytes = 10 };
        var source = new RestoreSource("s3://b/k", "b", "k", null, 10, m, "app", null);
        Assert.Null(RestoreTest.CheckChecksum(source, "AA", 10));
        var e = RestoreTest.CheckChecksum(source, "bb", 10)!;
        Assert.Same(ErrorIds.BackupChecksumMismatch, e.Id);
        Assert.Contains("sha256 bb (10 bytes) does not match the manifest's aa (10 bytes)", e.Message);
        Assert.Same(ErrorIds.BackupChecksumMismatch, RestoreTest.CheckChecksum(source, "aa", 11)!.Id);
        Assert.Null(RestoreTest.CheckChecksum(source with { Manifest = null }, "bb", 11));
    }

    [Fact]
    public async Task Create_restore_verify_and_drop_each_do_one_thing()
    {
        var env = Sandbox.Environment("staging");
        var server = env.Postgres!;
        var (dump, manifest, dir) = await LocalDumpAsync(env);
        var scratch = RestoreTest.ScratchName("opsrunbook_restore_", DateTime.UtcNow);
        Assert.Matches("^opsrunbook_restore_\\d{14}_[0-9a-f]{6}$", scratch);
        try
        {
            await RestoreTest.CreateScratchAsync(server, scratch, default);
            var again = await Assert.ThrowsAsync<OpsException>(() => RestoreTest.CreateScratchAsync(server, scratch, default));
            Assert.Same(ErrorIds.RestoreFailed, again.Id);
            Assert.Contains("already exists", again.Message);

            var pgRestore = PgTools.Find("pg_restore", env.Backup.PgBinDirectory);
            await RestoreTest.PgRestoreAsync(pgRestore, server, scratch, dump, dump, 2, TimeSpan.FromMinutes(5), NullReporter.Allow, default);
            var (mismatches, rows) = await RestoreTest.VerifyAsync(server, scratch, manifest, 2, default);
            Assert.Empty(mismatches);
            Assert.Equal(manifest.TotalRows, rows);

            var wrong = new BackupManifest { Tables = [new BackupTableCount("public", "users", manifest.Tables.Single(t => t.Name == "users").Rows + 1), new BackupTableCount("public", "no_such_table", 0)] };
            var (bad, _) = await RestoreTest.VerifyAsync(server, scratch, wrong, 1, default);
            Assert.Equal(2, bad.Count);
            Assert.Contains(bad, m => m.StartsWith("public.no_such_table: missing", StringComparison.Ordinal));

            var truncated = Path.Combine(dir, "truncated.dump");
            File.WriteAllBytes(truncated, File.ReadAllBytes(dump)[..2000]);
            var failed = await Assert.ThrowsAsync<OpsException>(() => RestoreTest.PgRestoreAsync(pgRestore, server, scratch, truncated, "truncated.dump", 1, TimeSpan.FromMinutes(5), NullReporter.Allow, default));
            Assert.Same(ErrorIds.RestoreFailed, failed.Id);
            Assert.Contains("pg_restore", failed.Message);
        }
        finally
        {
            var (dropped, why) = await RestoreTest.DropAsync(server, scratch);
            Assert.True(dropped, why);
            Directory.Delete(dir, true);
        }
        Assert.DoesNotContain(scratch, await RestoreTest.FindScratchDatabasesAsync(server, "opsrunbook_restore_", default));
    }
}
