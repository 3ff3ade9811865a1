using System.Management.Automation;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.State;

namespace OpsRunbook.Commands;

/// <summary>Time-weighted availability, downtime and longest outage per check target, from the health history.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "OpsAvailability")]
[OutputType(typeof(AvailabilityResult))]
public sealed class MeasureOpsAvailabilityCommand : OpsHealthHistoryCmdlet
{
    /// <summary>The interval between samples (5m for the runbook's cron); default: the median gap of each series.</summary>
    [Parameter]
    [Duration]
    public TimeSpan? Interval { get; set; }

    protected override void End()
    {
        var env = Env;
        var query = Query(env, TimeSpan.FromDays(30), endsNow: true);
        var results = ReadHistory(env, (store, ct) => AvailabilityCalculator.MeasureAsync(store, query, Interval, ct));
        if (results.Count == 0) Verbose($"No stored results of '{env.Name}' between {query.Since:O} and {query.Until:O}: record some with Get-OpsHealth -Record.");
        WriteObject(results, enumerateCollection: true);
    }
}
