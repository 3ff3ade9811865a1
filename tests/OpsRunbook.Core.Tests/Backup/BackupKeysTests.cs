using OpsRunbook.Core.Backup;

namespace OpsRunbook.Core.Tests.Backup;

public class BackupKeysTests
{
    [Fact]
    public void Dump_key_follows_the_documented_layout_and_parses_back()
    {
        var t = new DateTimeOffset(2026, 3, 7, 2, 5, 9, TimeSpan.FromHours(2));
        var key = BackupKeys.DumpKey("postgres/", "app", t);
        Assert.Equal("postgres/app/2026/03/app-20260307T000509Z.dump", key);
        Assert.Equal("postgres/app/2026/03/app-20260307T000509Z.manifest.json", BackupKeys.ManifestKey(key));
        Assert.True(BackupKeys.TryParse(key, out var db, out var parsed));
        Assert.Equal("app", db);
        Assert.Equal(t, parsed);
    }

    [Theory]
    [InlineData("postgres/app/2026/03/other-20260307T000509Z.dump")]
    [InlineData("postgres/app/2026/03/app-2026-03-07.dump")]
    [InlineData("postgres/app/2026/03/app-20260307T000509Z.manifest.json")]
    [InlineData("README.txt")]
    public void Keys_outside_the_layout_do_not_parse(string key) => Assert.False(BackupKeys.TryParse(key, out _, out _));

    [Fact]
    public void Manifest_round_trips_through_json()
    {
        var m = new BackupManifest { Database = "app", SizeBytes = 42, Sha256 = new string('a', 64), StartTime = DateTimeOffset.UnixEpoch };
        m.Tables.Add(new BackupTableCount("public", "users", 1000));
        var json = m.ToJson();
        Assert.Contains("\"sha256\"", json);
        var back = BackupManifest.FromJson(json);
        Assert.Equal(1000, back.TotalRows);
        Assert.Equal("public.users", back.Tables[0].QualifiedName);
        Assert.Equal(m.StartTime, back.StartTime);
    }
}

public class RetentionPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static BackupInfo B(string db, double daysOld, bool good = true, long size = 5000) => new()
    {
        Key = BackupKeys.DumpKey("p/", db, Now.AddDays(-daysOld)), Database = db, Time = Now.AddDays(-daysOld), Age = TimeSpan.FromDays(daysOld),
        SizeBytes = size, Manifest = good ? new BackupManifest { SizeBytes = size, Sha256 = new string('0', 64) } : null,
    };

    [Fact]
    public void Keeps_the_newest_good_backups_whatever_their_age()
    {
        var backups = new[] { B("app", 40, good: false), B("app", 50), B("app", 60), B("app", 70) };
        var plan = BackupCatalog.PlanRetention(backups, TimeSpan.FromDays(30), keepLatest: 2, minimumSize: 1024);
        Assert.True(plan.Single(p => p.Time == Now.AddDays(-40)).Removed);   // not good, so it never counts as kept
        Assert.False(plan.Single(p => p.Time == Now.AddDays(-50)).Removed);
        Assert.False(plan.Single(p => p.Time == Now.AddDays(-60)).Removed);
        Assert.True(plan.Single(p => p.Time == Now.AddDays(-70)).Removed);
    }

    [Fact]
    public void Young_backups_stay_and_databases_are_planned_separately()
    {
        var backups = new[] { B("app", 1), B("app", 2), B("app", 10), B("reports", 20) };
        var plan = BackupCatalog.PlanRetention(backups, TimeSpan.FromDays(5), keepLatest: 1, minimumSize: 0);
        Assert.Equal(new[] { Now.AddDays(-10) }, plan.Where(p => p.Removed).Select(p => p.Time));
    }

    [Fact]
    public void A_backup_smaller_than_the_minimum_or_with_a_wrong_size_is_not_good()
    {
        Assert.False(BackupCatalog.IsGood(B("app", 1, size: 10), 1024));
        var b = B("app", 1);
        b.Manifest!.SizeBytes = 1;
        Assert.False(BackupCatalog.IsGood(b, 0));
        Assert.True(BackupCatalog.IsGood(B("app", 1), 1024));
    }
}

public class PgToolsTests
{
    [Fact]
    public void Finds_the_real_tools_and_honours_a_configured_directory()
    {
        var found = PgTools.Find("pg_restore");
        Assert.True(File.Exists(found));
        Assert.Equal("/usr/lib/postgresql/15/bin/pg_restore", PgTools.Find("pg_restore", "/usr/lib/postgresql/15/bin"));
        var e = Assert.Throws<OpsRunbook.Core.Errors.OpsException>(() => PgTools.Find("pg_restore", "/nonexistent"));
        Assert.Equal("PgToolNotFound", e.ErrorId);
    }

    [Fact]
    public void The_password_goes_to_the_environment_never_the_arguments()
    {
        var pg = new OpsRunbook.Core.Config.PostgresConfig { Host = "db", Port = 5433, Database = "app", Username = "ops", Password = OpsRunbook.Core.Config.Secret.FromEnvironment("pw-canary-123", "TEST_PW"), SslMode = "VerifyFull" };
        var psi = PgTools.StartInfo("/bin/true", pg, "app", ["--format=custom"]);
        Assert.DoesNotContain(psi.ArgumentList, a => a.Contains("pw-canary-123", StringComparison.Ordinal));
        Assert.DoesNotContain("pw-canary-123", PgTools.Describe(psi));
        Assert.Equal("pw-canary-123", psi.Environment["PGPASSWORD"]);
        Assert.Equal("verify-full", psi.Environment["PGSSLMODE"]);
        Assert.Equal(["--host", "db", "--port", "5433", "--username", "ops", "--no-password", "--format=custom", "--dbname", "app"], psi.ArgumentList);
    }
}
