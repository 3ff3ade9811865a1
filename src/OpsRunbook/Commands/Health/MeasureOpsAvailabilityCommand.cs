using System.Management.Automation;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.State;

namespace OpsRunbook.Commands;

/// <summary>Time-weighted availability, downtime and longest outage per check target, from the health history.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "OpsAvailability")]
[OutputType(typeof(AvailabilityResult))]
public sealed class MeasureOpsAvailabilityCommand : OpsEnvironmentCmdlet
{
    /// <summary>The start of the window: a time, or how long ago (30d). Default: 30 days ago.</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Since { get; set; }

    /// <summary>The end of the window. Default: now.</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Until { get; set; }

    /// <summary>Only these check families; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Check { get; set; }

    /// <summary>Only these targets; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Target { get; set; }

    /// <summary>The interval between samples (5m for the runbook's cron); default: the median gap of each series.</summary>
    [Parameter]
    [Duration]
    public TimeSpan? Interval { get; set; }

    protected override void End()
    {
        var env = Env;
        var until = Until ?? DateTimeOffset.UtcNow;
        var query = new HealthHistoryQuery { Environment = env.Name, Check = Check, Target = Target, Since = Since ?? until.AddDays(-30), Until = until };
        var results = Run(async (_, ct) =>
        {
            await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
            return await AvailabilityCalculator.MeasureAsync(store, query, Interval, ct).ConfigureAwait(false);
        });
        if (results.Count == 0) Verbose($"No stored results of '{env.Name}' between {query.Since:O} and {until:O}: record some with Get-OpsHealth -Record.");
        WriteObject(results, enumerateCollection: true);
    }
}
