using System.Management.Automation;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Performance;

namespace OpsRunbook.Commands;

/// <summary>The runbook's Success Metrics: one row per KPI with its target, whether it is met, the error budget left and the burn rate.</summary>
[Cmdlet(VerbsCommon.Get, "OpsKpi")]
[OutputType(typeof(KpiResult))]
public sealed class GetOpsKpiCommand : OpsEnvironmentCmdlet
{
    /// <summary>The window: a time, or how long ago (30d, 7d, 24h).</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Since { get; set; }

    /// <summary>Bound on each source (Prometheus, Redis).</summary>
    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    protected override void End()
    {
        var env = Env;
        var until = DateTimeOffset.UtcNow;
        var since = Since ?? until.AddDays(-30);
        if (since >= until) throw new OpsException(ErrorIds.InvalidTimeWindow, $"-Since ({since:O}) is not in the past.", since);
        var rows = Run((reporter, ct) => KpiSources.MeasureAsync(env, since, until, Timeout, reporter, ct));
        WriteObject(rows, enumerateCollection: true);
    }
}
