using System.Diagnostics;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Health.Probes;

namespace OpsRunbook.Core.Tests.Health;

public class HealthRunnerTests
{
    private static EnvironmentConfig Env() => new();

    private static Task<IReadOnlyList<HealthCheckResult>> One(string check, HealthStatus status)
        => Task.FromResult<IReadOnlyList<HealthCheckResult>>([new HealthCheckResult { Check = check, Target = "t", Status = status, Message = "m" }]);

    // The shape issue 5's BackupFreshness.CheckAsync has: registering it is one line.
    private static Task<IReadOnlyList<HealthCheckResult>> FakeBackupCheckAsync(EnvironmentConfig env, CancellationToken ct) => One("Backup", HealthStatus.Healthy);

    [Fact]
    public void A_family_is_one_line_to_add_and_names_are_unique()
    {
        var registry = HealthCheckRegistry.CreateDefault().Add("Extra", FakeBackupCheckAsync, e => e.S3 is not null);
        Assert.Equal(["Service", "Disk", "Database", "Redis", "Queue", "Errors", "Backup", "Payments", "Maintenance", "Certificates", "Extra"], registry.Names);
        Assert.Throws<ArgumentException>(() => registry.Add("backup", FakeBackupCheckAsync));
        Assert.False(registry.Find("Extra")!.IsConfigured(Env()));
        Assert.False(registry.Find("Certificates")!.IsConfigured(Env()));
    }

    [Fact]
    public async Task Families_run_in_parallel_and_get_environment_and_timestamp()
    {
        var registry = new HealthCheckRegistry()
            .Add("A", async (_, ct) => { await Task.Delay(1000, ct); return [new HealthCheckResult { Check = "A", Target = "a" }]; })
            .Add("B", async (_, ct) => { await Task.Delay(1000, ct); return [new HealthCheckResult { Check = "B", Target = "b" }]; });
        var env = Sandbox.Environment();
        var sw = Stopwatch.StartNew();
        var results = await HealthRunner.RunAsync(env, registry.Families, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.InRange(sw.ElapsedMilliseconds, 980, 1700); // one after the other would take 2000
        Assert.Equal(["A", "B"], results.Select(r => r.Check));
        Assert.All(results, r => { Assert.Equal("production", r.Environment); Assert.NotEqual(default, r.Timestamp); });
    }

    [Fact]
    public async Task A_family_that_ignores_its_token_is_cut_off_at_the_bound_as_Unknown()
    {
        var registry = new HealthCheckRegistry().Add("Stuck", (_, _) => new TaskCompletionSource<IReadOnlyList<HealthCheckResult>>().Task);
        var sw = Stopwatch.StartNew();
        var r = Assert.Single(await HealthRunner.RunAsync(Env(), registry.Families, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.InRange(sw.ElapsedMilliseconds, 250, 300 + HealthRunner.Grace.TotalMilliseconds + 1000); // slack for a loaded 2-core machine
        Assert.Equal(HealthStatus.Unknown, r.Status);
        Assert.Equal("The Stuck checks did not finish within 0.3 s.", r.Message);
    }

    [Fact]
    public async Task A_family_that_blocks_its_thread_does_not_hold_up_the_others()
    {
        var registry = new HealthCheckRegistry()
            .Add("Blocking", (_, _) => { Thread.Sleep(3000); return One("Blocking", HealthStatus.Healthy); })
            .Add("Quick", (_, _) => One("Quick", HealthStatus.Healthy));
        var sw = Stopwatch.StartNew();
        var results = await HealthRunner.RunAsync(Env(), registry.Families, TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.True(sw.ElapsedMilliseconds < 2500, $"took {sw.ElapsedMilliseconds} ms"); // not the 3000 the blocking family takes
        Assert.Equal(HealthStatus.Unknown, results.Single(r => r.Check == "Blocking").Status);
        Assert.Equal(HealthStatus.Healthy, results.Single(r => r.Check == "Quick").Status);
    }

    [Fact]
    public async Task Only_a_config_error_escapes_other_failures_become_Unknown()
    {
        var broken = new HealthCheckRegistry().Add("X", (_, _) => throw new OpsException(ErrorIds.ConfigSectionMissing, "no section"));
        var e = await Assert.ThrowsAsync<OpsException>(() => HealthRunner.RunAsync(Env(), broken.Families, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal("ConfigSectionMissing", e.ErrorId);
        var buggy = new HealthCheckRegistry().Add("Y", (_, _) => throw new InvalidOperationException("bug"));
        var r = Assert.Single(await HealthRunner.RunAsync(Env(), buggy.Families, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal(HealthStatus.Unknown, r.Status);
        Assert.Contains("bug", r.Message);
    }

    [Fact]
    public async Task Cancellation_stops_the_run_promptly()
    {
        var registry = new HealthCheckRegistry().Add("Slow", async (_, ct) => { await Task.Delay(10_000, ct); return []; });
        using var cts = new CancellationTokenSource(200);
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => HealthRunner.RunAsync(Env(), registry.Families, TimeSpan.FromSeconds(30), cts.Token));
        Assert.True(sw.ElapsedMilliseconds < 2000, $"took {sw.ElapsedMilliseconds} ms"); // the family alone would take 10 s
    }

    [Fact]
    public async Task A_hanging_http_and_tcp_service_is_Critical_within_the_bound()
    {
        using var hang = new HangingListener();
        var env = new EnvironmentConfig
        {
            Services =
            [
                new ServiceConfig { Name = "web", Kind = "http", Url = $"http://127.0.0.1:{hang.Port}/" },
                new ServiceConfig { Name = "refused", Kind = "tcp", Address = $"127.0.0.1:{HangingListener.FreePort()}" },
            ],
        };
        var sw = Stopwatch.StartNew();
        var results = await HealthRunner.RunAsync(env, [HealthCheckRegistry.Default.Find("Service")!], TimeSpan.FromMilliseconds(500), CancellationToken.None);
        Assert.True(sw.ElapsedMilliseconds < 1500, $"took {sw.ElapsedMilliseconds} ms");
        Assert.Equal("No answer within 0.5 s.", results[0].Message);
        Assert.Equal(HealthStatus.Critical, results[0].Status);
        Assert.Equal(HealthStatus.Critical, results[1].Status);
        Assert.Contains("ConnectionRefused", results[1].Message);
    }

    [Theory]
    [InlineData(999, 0, HealthStatus.Healthy)]
    [InlineData(1000, 0, HealthStatus.Warning)]
    [InlineData(10000, 0, HealthStatus.Critical)]
    [InlineData(0, 100, HealthStatus.Warning)]
    public void Queue_depth_and_failed_thresholds(long waiting, long failed, HealthStatus expected)
    {
        var r = Assert.Single(QueueProbe.Judge([new QueueCounts("q", waiting, 0, 0, failed, 0, 0, 0, false)], new ThresholdsConfig()));
        Assert.Equal(expected, r.Status);
        Assert.Equal("warn >= 1000, critical >= 10000 waiting (incl. prioritized); warn >= 100 failed", r.Threshold);
    }
}
