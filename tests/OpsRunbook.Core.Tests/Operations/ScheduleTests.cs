using System.Globalization;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Operations;
using OpsRunbook.Core.Systems;
using Xunit;

namespace OpsRunbook.Core.Tests.Operations;

public class ScheduleTests
{
    [Theory]
    [InlineData("0 */6 * * *", "*-*-* 00/6:00:00")]
    [InlineData("0 2 * * *", "*-*-* 02:00:00")]
    [InlineData("*/5 * * * *", "*-*-* *:00/5:00")]
    [InlineData("0 0 * * 0", "Sun *-*-* 00:00:00")]
    [InlineData("0 3 15 * *", "*-*-15 03:00:00")]
    [InlineData("15 8-18/2 * * mon-fri", "Mon..Fri *-*-* 08,10,12,14,16,18:15:00")]
    [InlineData("0 0 1 jan,jul *", "*-01,07-01 00:00:00")]
    [InlineData("@weekly", "Sun *-*-* 00:00:00")]
    [InlineData("0 12 */2 * *", "*-*-01/2 12:00:00")]
    [InlineData("0 0 * * 7", "Sun *-*-* 00:00:00")]
    [InlineData("0 0 * * 0-7", "*-*-* 00:00:00")]
    public void Converts_cron_to_OnCalendar(string cron, string expected)
        => Assert.Equal(expected, CronFields.Parse(cron).ToOnCalendar());

    [Theory]
    [InlineData("0 2 * *", "4 field")]
    [InlineData("60 * * * *", "minute")]
    [InlineData("0 5-3 * * *", "backwards")]
    [InlineData("0 0 1 * mon", "both day-of-month")]
    [InlineData("@often", "unknown macro")]
    [InlineData("*/0 * * * *", "step")]
    [InlineData("0 0 * foo *", "month")]
    public void Refuses_what_cron_or_systemd_would_read_differently(string cron, string why)
    {
        Assert.False(CronFields.TryParse(cron, out _, out var message));
        Assert.Contains(why, message);
        var e = Assert.Throws<OpsException>(() => CronFields.Parse(cron));
        Assert.Equal(ErrorIds.ScheduleInvalidCron, e.Id);
    }

    [Fact]
    public void Defaults_are_the_runbooks_seven_jobs_and_config_overrides_drops_and_adds()
    {
        var env = new EnvironmentConfig
        {
            Schedule =
            [
                new ScheduledJobConfig { Name = "healthcheck", Cron = "*/10 * * * *" },
                new ScheduledJobConfig { Name = "CostTracking", Enabled = false },
                new ScheduledJobConfig { Name = "Nightly", Cron = "30 1 * * *", Runbook = "/opt/x/Nightly.ps1", Arguments = "-Deep" },
            ],
        };
        var now = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var plain = Schedule.Resolve(new EnvironmentConfig(), "/rb", now, TimeZoneInfo.Utc);
        Assert.Equal(["DatabaseBackup", "LogRotation", "UsageReport", "CostTracking", "HealthCheck", "CertificateCheck", "DbMaintenance"], plain.Select(j => j.Name));
        Assert.All(plain, j => Assert.Equal("default", j.Source));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero), plain[0].NextRun);
        Assert.Equal(new DateTimeOffset(2026, 12, 15, 3, 0, 0, TimeSpan.Zero), plain[6].NextRun);
        Assert.Equal("/rb/BackupEvery6Hours.ps1", plain[0].RunbookPath);

        var jobs = Schedule.Resolve(env, "/rb", now, TimeZoneInfo.Utc);
        Assert.DoesNotContain(jobs, j => j.Name == "CostTracking");
        var health = Assert.Single(jobs, j => j.Name == "HealthCheck");
        Assert.Equal(("*/10 * * * *", "DailyHealthCheck.ps1", "config"), (health.Cron, health.Command, health.Source));
        Assert.Contains("-LogDirectory", health.Arguments); // kept from the default
        var nightly = Assert.Single(jobs, j => j.Name == "Nightly");
        Assert.Equal(("/opt/x/Nightly.ps1", "-Deep", "*-*-* 01:30:00"), (nightly.RunbookPath, nightly.Arguments, nightly.OnCalendar));
    }

    [Fact]
    public void Unit_names_and_the_cron_line_quote_what_the_shell_and_systemd_would_expand()
    {
        var job = new ScheduledJob { Name = "DbMaintenance", Cron = "0 3 15 * *", RunbookPath = "/opt/run books/M.ps1", Arguments = "-Label 50%", Description = "x" };
        var o = new ScheduleExportOptions { Environment = "production" };
        Assert.Equal("opsrunbook-db-maintenance", Schedule.UnitName(job, o));
        Assert.Equal("opsrunbook-health-check", Schedule.UnitName(new ScheduledJob { Name = "HealthCheck" }, o));
        var cron = Schedule.Crontab([job], o);
        Assert.Contains("0 3 15 * * root set -a; . /etc/opsrunbook/secrets.env; set +a; /usr/local/bin/pwsh -NoProfile -NonInteractive -File '/opt/run books/M.ps1' -Environment production -Label 50\\%", cron);
        var service = Schedule.ServiceUnit(job, o);
        Assert.Contains("ExecStart=/usr/local/bin/pwsh -NoProfile -NonInteractive -File \"/opt/run books/M.ps1\" -Environment production -Label 50%%", service);
    }

    /// <summary>systemd-analyze calendar --iterations=10 on the converted OnCalendar gives the same ten times as Cronos on the cron line.</summary>
    [Theory]
    [InlineData("0 */6 * * *")]
    [InlineData("0 2 * * *")]
    [InlineData("0 6 * * *")]
    [InlineData("0 * * * *")]
    [InlineData("*/5 * * * *")]
    [InlineData("0 0 * * 0")]
    [InlineData("0 3 15 * *")]
    [InlineData("15 8-18/2 * * mon-fri")]
    [InlineData("0 0 1 jan,jul *")]
    [InlineData("5/10 * * * *")]
    [InlineData("0 12 */2 * *")]
    [InlineData("59 23 31 * *")]
    [InlineData("0 0 29 2 *")]
    [InlineData("0,30 22 * * 1,3,5")]
    [InlineData("@monthly")]
    public async Task Next_ten_runs_match_systemd_analyze_calendar(string cron)
    {
        var fields = CronFields.Parse(cron);
        var onCalendar = fields.ToOnCalendar();
        for (var attempt = 0; ; attempt++)
        {
            var before = DateTimeOffset.Now;
            var (exit, stdout, stderr) = await ProcessRunner.RunAsync("systemd-analyze", ["calendar", "--iterations=10", onCalendar], CancellationToken.None);
            var after = DateTimeOffset.Now;
            Assert.True(exit == 0, $"systemd-analyze calendar '{onCalendar}' failed: {stderr}");
            var systemd = stdout.Split('\n').Select(l => l.Trim())
                .Where(l => l.StartsWith("Next elapse:", StringComparison.Ordinal) || l.StartsWith("Iter. #", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':') + 1)..].Trim()).Select(t => t[..t.LastIndexOf(' ')]).ToList();
            var cronos = Schedule.NextRuns(fields, before, TimeZoneInfo.Local, 10).Select(Schedule.SystemdTime).ToList();
            // A run falling due between the two clock readings shifts systemd's list by one: read again.
            if (!cronos.SequenceEqual(systemd) && attempt == 0 && Schedule.NextRuns(fields, before, TimeZoneInfo.Local, 1)[0] <= after) continue;
            Assert.Equal(10, systemd.Count);
            Assert.Equal(cronos, systemd);
            break;
        }
    }
}
