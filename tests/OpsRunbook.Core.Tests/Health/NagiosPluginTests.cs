using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Core.Tests.Health;

public class NagiosPluginTests
{
    private static HealthCheckResult R(string check, string target, HealthStatus status, double? value = null, string? unit = null,
        double? warn = null, double? crit = null) => new()
    {
        Check = check, Target = target, Status = status, Value = value, Unit = unit, WarnAt = warn, CriticalAt = crit, Message = "m",
    };

    [Theory]
    [InlineData(HealthStatus.Healthy, 0)]
    [InlineData(HealthStatus.Warning, 1)]
    [InlineData(HealthStatus.Critical, 2)]
    [InlineData(HealthStatus.Unknown, 3)]
    public void Exit_codes_follow_the_plugin_convention(HealthStatus status, int code) => Assert.Equal(code, NagiosPlugin.ExitCode(status));

    [Fact]
    public void A_run_exits_with_its_worst_state_critical_over_warning_over_unknown()
    {
        Assert.Equal(2, NagiosPlugin.ExitCode([R("a", "1", HealthStatus.Unknown), R("a", "2", HealthStatus.Critical), R("a", "3", HealthStatus.Warning)]));
        Assert.Equal(1, NagiosPlugin.ExitCode([R("a", "1", HealthStatus.Unknown), R("a", "3", HealthStatus.Warning)]));
        Assert.Equal(3, NagiosPlugin.ExitCode([R("a", "1", HealthStatus.Unknown), R("a", "3", HealthStatus.Healthy)]));
        Assert.Equal(0, NagiosPlugin.ExitCode([R("a", "3", HealthStatus.Healthy)]));
        Assert.Equal(3, NagiosPlugin.ExitCode([]));
    }

    [Fact]
    public void A_broken_config_is_unknown_and_any_other_failure_critical()
    {
        var config = new OpsException(ErrorIds.ConfigSectionMissing, "no postgres section");
        Assert.Equal(3, NagiosPlugin.ExitCodeFor(config));
        Assert.Equal(3, NagiosPlugin.ExitCodeFor(new InvalidOperationException("wrapped", config)));
        Assert.Equal(2, NagiosPlugin.ExitCodeFor(new OpsException(ErrorIds.UnexpectedError, "S3 down")));
        Assert.Equal(1, NagiosPlugin.ExitCodeFor(new TimeoutException(), NagiosPlugin.Warning));
    }

    [Fact]
    public void The_status_line_names_the_failing_checks_and_carries_perfdata()
    {
        var line = NagiosPlugin.StatusLine([
            R("Database", "app/latency", HealthStatus.Healthy, 3.14159, "ms", 1000),
            R("Database", "app/connections", HealthStatus.Warning, 81.5, "%", 80, 95),
            R("Service", "api", HealthStatus.Critical, null, null),
            R("Errors", "api-2026-12-02.log", HealthStatus.Healthy, 6, "errors/24h", 100, 1000),
            R("Backup", "backups/postgres/app", HealthStatus.Healthy, 60, "s", 70200, 93600),
        ]);
        Assert.Equal("OPSRUNBOOK CRITICAL - 1 critical, 1 warning, 0 unknown of 5 checks: Service/api, Database/app/connections | "
            + "database_app/latency_ms=3.142ms;1000;;0 database_app/connections_pct=81.5%;80;95;0;100 errors=6;100;1000;0 backup_s=60s;70200;93600;0", line);
    }

    [Fact]
    public void Text_never_contains_a_pipe_or_a_newline_and_labels_need_no_quoting()
    {
        var line = NagiosPlugin.StatusLine([R("Service", "a|b\nc", HealthStatus.Critical, 1, "ms"), R("Service", "x y'z=1", HealthStatus.Healthy, 2, "ms")]);
        Assert.Single(line.Split('\n'));
        var (text, perf) = (line[..line.IndexOf('|')], line[(line.IndexOf('|') + 1)..]);
        Assert.Contains("Service/a/b c", text);
        Assert.Equal(" service_a_b_c_ms=1ms;;;0 service_x_y_z_1_ms=2ms;;;0", perf);
        Assert.Equal("OPSRUNBOOK UNKNOWN - config / broken", NagiosPlugin.UnknownLine("config | broken"));
    }
}
