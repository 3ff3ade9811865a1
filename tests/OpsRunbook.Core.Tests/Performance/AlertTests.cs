using OpsRunbook.Core.Alerts;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Core.Tests.Performance;

public sealed class AlertTests
{
    private static readonly IReadOnlyDictionary<string, RunbookAlert> A = RunbookAlerts.For(new ThresholdsConfig()).ToDictionary(a => a.Name);

    [Fact]
    public void CpuFiresOnlyWhenEveryIntervalIsAboveTheThreshold()
    {
        // 100 jiffies per interval; idle 10 -> 90% busy throughout.
        (long, long)[] busy = [(0, 0), (100, 10), (200, 20), (300, 30)];
        var r = LocalAlertEvaluator.JudgeCpu(A[RunbookAlerts.HighCpu], busy, TimeSpan.FromMinutes(5), DateTimeOffset.UnixEpoch);
        Assert.Equal(AlertState.Firing, r.State);
        Assert.Equal(90, r.Value);
        Assert.Contains("Get-OpsActiveOperation", r.Next);
        Assert.Contains("top -b -n 1", r.Runbook);
        // A dip to 50% in one interval: above 80% on average (83.3%) but not "for 5 minutes".
        (long, long)[] dip = [(0, 0), (100, 0), (200, 50), (300, 50)];
        var d = LocalAlertEvaluator.JudgeCpu(A[RunbookAlerts.HighCpu], dip, TimeSpan.FromMinutes(5), DateTimeOffset.UnixEpoch);
        Assert.Equal(AlertState.Ok, d.State);
        Assert.Equal(83.33, d.Value);
        Assert.Equal(AlertState.Unknown, LocalAlertEvaluator.JudgeCpu(A[RunbookAlerts.HighCpu], [(5, 5), (5, 5)], TimeSpan.FromSeconds(1), DateTimeOffset.UnixEpoch).State);
    }

    [Fact]
    public void MemoryIsOneMinusAvailableOverTotal()
    {
        var firing = LocalAlertEvaluator.JudgeMemory(A[RunbookAlerts.HighMemory], new Dictionary<string, long> { ["MemTotal"] = 1000, ["MemAvailable"] = 50 }, DateTimeOffset.UnixEpoch);
        Assert.Equal((AlertState.Firing, 95.0), (firing.State, firing.Value!.Value));
        var ok = LocalAlertEvaluator.JudgeMemory(A[RunbookAlerts.HighMemory], new Dictionary<string, long> { ["MemTotal"] = 1000, ["MemAvailable"] = 100 }, DateTimeOffset.UnixEpoch);
        Assert.Equal(AlertState.Ok, ok.State); // exactly 90% is not above 90%
        Assert.Equal(AlertState.Unknown, LocalAlertEvaluator.JudgeMemory(A[RunbookAlerts.HighMemory], new Dictionary<string, long>(), DateTimeOffset.UnixEpoch).State);
    }

    [Fact]
    public void QueueFiresOnTheQueuesOverTheThresholdAndIsUnknownWithoutASource()
    {
        HealthCheckResult Q(string name, double depth) => new() { Check = "Queue", Target = name, Value = depth };
        var d = TimeSpan.FromMinutes(5);
        var r = LocalAlertEvaluator.JudgeQueue(A[RunbookAlerts.QueueDepth], [[Q("media", 1200), Q("embeddings", 10)], [Q("media", 1500), Q("embeddings", 10)]], null, d, DateTimeOffset.UnixEpoch);
        Assert.Equal(AlertState.Firing, r.State);
        Assert.Equal(1500, r.Value);
        Assert.Contains("media (1,500)", r.Message);
        Assert.Equal(d, r.Duration);
        Assert.Equal(AlertState.Ok, LocalAlertEvaluator.JudgeQueue(A[RunbookAlerts.QueueDepth], [[Q("media", 1000)], [Q("media", 1000)]], null, d, DateTimeOffset.UnixEpoch).State);
        // A burst that was not there at the start of the window does not fire (the rule's "for: 5m"), and says so.
        var burst = LocalAlertEvaluator.JudgeQueue(A[RunbookAlerts.QueueDepth], [[Q("media", 20)], [Q("media", 5000)]], null, d, DateTimeOffset.UnixEpoch);
        Assert.Equal(AlertState.Ok, burst.State);
        Assert.Equal(5000, burst.Value);
        Assert.Contains("not throughout 5 min", burst.Message);
        var u = LocalAlertEvaluator.JudgeQueue(A[RunbookAlerts.QueueDepth], null, "environment 'x' has no queues section.", d, DateTimeOffset.UnixEpoch);
        Assert.Equal(AlertState.Unknown, u.State);
        Assert.Contains("no queues section", u.Message);
    }

    [Fact]
    public void RulesUseTheWorkbookFactorsOnTheConfiguredBudget()
    {
        var text = AlertRuleWriter.Write(new AlertRuleWriter.Options());
        Assert.Contains("opsrunbook:slo_availability_errors:ratio_rate1h > 0.0144 and opsrunbook:slo_availability_errors:ratio_rate5m > 0.0144", text);
        Assert.Contains("opsrunbook:slo_latency_errors:ratio_rate3d > 0.05 and opsrunbook:slo_latency_errors:ratio_rate6h > 0.05", text);
        Assert.Contains("le=\"0.5\"", text);
        var custom = AlertRuleWriter.Write(new AlertRuleWriter.Options { Kpi = new KpiConfig { UptimePercent = 99.99, P95Ms = 300 } });
        Assert.Contains("ratio_rate1h > 0.00144 ", custom);
        Assert.Contains("le=\"0.3\"", custom);
    }
}
