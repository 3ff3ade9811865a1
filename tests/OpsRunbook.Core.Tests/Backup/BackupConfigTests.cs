using OpsRunbook.Core.Config;

namespace OpsRunbook.Core.Tests.Backup;

public class BackupConfigTests
{
    private static ConfigDocument Parse(string backup) => ConfigLoader.Parse($"""
        environments:
          production:
            postgres: {"{"} host: h, database: app, username: ops {"}"}
            backup: {backup}
        """, "/cfg/ops.yaml", _ => null);

    [Fact]
    public void Defaults_apply_without_a_backup_section()
    {
        var env = ConfigLoader.Parse("environments:\n  production:\n    postgres: { host: h, database: app, username: ops }\n", "/cfg/ops.yaml", _ => null).GetEnvironment(null);
        Assert.Equal(TimeSpan.FromHours(26), env.Backup.MaximumAge);
        Assert.Equal(TimeSpan.FromHours(19.5), env.Backup.EffectiveWarningAge);
        Assert.Equal(2, env.Backup.RestoreJobs);
        Assert.Equal("opsrunbook_restore_", env.Backup.ScratchPrefix);
    }

    [Fact]
    public void Keys_bind()
    {
        var doc = Parse("{ maximumAge: 8h, warningAge: 7h, minimumSizeBytes: 1048576, databases: [app, reports], pgBinDirectory: /opt/pg/bin, restoreJobs: 4, scratchPrefix: rt_, partSizeMB: 64 }");
        Assert.Empty(doc.Problems);
        var b = doc.GetEnvironment(null).Backup;
        Assert.Equal((TimeSpan.FromHours(8), TimeSpan.FromHours(7), 1048576L), (b.MaximumAge, b.EffectiveWarningAge, b.MinimumSizeBytes));
        Assert.Equal(["app", "reports"], b.Databases);
        Assert.Equal(("/opt/pg/bin", 4, "rt_", 64), (b.PgBinDirectory, b.RestoreJobs, b.ScratchPrefix, b.PartSizeMB));
    }

    [Theory]
    [InlineData("{ warningAge: 30h }", "warningAge")]
    [InlineData("{ partSizeMB: 1 }", "partSizeMB")]
    [InlineData("{ scratchPrefix: 'Bad-Name' }", "scratchPrefix")]
    [InlineData("{ pgBinDirectory: relative/bin }", "pgBinDirectory")]
    [InlineData("{ restoreJobs: 0 }", "restoreJobs")]
    public void Bad_values_are_problems(string backup, string key)
    {
        var doc = Parse(backup);
        Assert.Contains(doc.Problems, p => p.Severity == ConfigSeverity.Error && p.Message.Contains(key, StringComparison.Ordinal));
    }
}
