using OpsRunbook.Core.Performance;

namespace OpsRunbook.Core.Tests.Performance;

public sealed class KpiTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch, T1 = DateTimeOffset.UnixEpoch.AddDays(30);

    [Fact]
    public void UptimeBudgetAndBurnRate()
    {
        // 99.95% up against 99.9%: half the 0.1% budget spent, burning at 0.5x.
        var r = KpiReport.FromGoodShare(KpiReport.Uptime, 0.9995, 99.9, "s", "m", T0, T1);
        Assert.Equal((KpiStatus.Met, true), (r.Status, r.Met!.Value));
        Assert.Equal(99.95, r.Value);
        Assert.Equal(0.5, r.BurnRate!.Value, 9);
        Assert.Equal(0.5, r.ErrorBudgetRemaining!.Value, 9);
        // 99.8%: twice the budget, overspent by one budget.
        var m = KpiReport.FromGoodShare(KpiReport.Uptime, 0.998, 99.9, "s", "m", T0, T1);
        Assert.Equal(KpiStatus.Missed, m.Status);
        Assert.Equal(2, m.BurnRate!.Value, 9);
        Assert.Equal(-1, m.ErrorBudgetRemaining!.Value, 9);
    }

    [Fact]
    public void ErrorRateBudget()
    {
        var r = KpiReport.FromBadShare(KpiReport.ErrorRate, 2.0 / 192, 0.1, "s", "m", T0, T1);
        Assert.Equal(KpiStatus.Missed, r.Status);
        Assert.Equal(Math.Round(200.0 / 192, 4), r.Value);
        Assert.Equal(2.0 / 192 / 0.001, r.BurnRate!.Value, 5);
        var ok = KpiReport.FromBadShare(KpiReport.ErrorRate, 0.001, 0.1, "s", "m", T0, T1);
        Assert.Equal(KpiStatus.Met, ok.Status); // exactly at the target is met
        Assert.Equal(0, ok.ErrorBudgetRemaining!.Value, 9);
    }

    [Fact]
    public void QueueSlaSharesJobsAcrossQueues()
    {
        var r = KpiReport.FromQueueSla([new("a", 6, 6, 0, TimeSpan.FromMinutes(5)), new("b", 4, 2, 1, TimeSpan.FromMinutes(5))], new OpsRunbook.Core.Config.KpiConfig(), "bullmq", T0, T1);
        Assert.Equal(80, r.Value);
        Assert.Equal(KpiStatus.Missed, r.Status);
        Assert.Equal(4, r.BurnRate!.Value, 9); // 20% late against a 5% budget
        Assert.Contains("a 6/6, b 2/4", r.Message);
        var none = KpiReport.FromQueueSla([new("a", 0, 0, 0, TimeSpan.FromMinutes(5))], new OpsRunbook.Core.Config.KpiConfig(), "bullmq", T0, T1);
        Assert.Equal(KpiStatus.Unknown, none.Status);
        Assert.Null(none.Value);
        Assert.StartsWith("missing: no completed or failed jobs", none.Source);
    }
}
