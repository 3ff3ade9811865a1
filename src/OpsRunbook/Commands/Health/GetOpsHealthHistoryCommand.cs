using System.Management.Automation;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.State;

namespace OpsRunbook.Commands;

/// <summary>Returns stored health results (Get-OpsHealth -Record, Save-OpsHealth) of the environment, oldest first.</summary>
[Cmdlet(VerbsCommon.Get, "OpsHealthHistory")]
[OutputType(typeof(HealthCheckResult))]
public sealed class GetOpsHealthHistoryCommand : OpsEnvironmentCmdlet
{
    /// <summary>Only these check families (Service, Disk, Database...); wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Check { get; set; }

    /// <summary>Only these targets; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Target { get; set; }

    /// <summary>Only results at or after this time, or this long ago (24h, 7d). Default: 24 hours ago.</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only results before this time (or this long ago).</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Until { get; set; }

    /// <summary>Only results with these statuses.</summary>
    [Parameter]
    public HealthStatus[]? Status { get; set; }

    protected override void End()
    {
        var env = Env;
        var query = new HealthHistoryQuery
        {
            Environment = env.Name, Check = Check, Target = Target, Since = Since ?? DateTimeOffset.UtcNow.AddDays(-1), Until = Until, Status = Status,
        };
        var rows = Run(async (_, ct) =>
        {
            await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
            return await HealthHistory.QueryAsync(store, query, ct).ConfigureAwait(false);
        });
        Verbose($"{rows.Count} stored result(s) of '{env.Name}' since {query.Since:O}.");
        WriteObject(rows, enumerateCollection: true);
    }
}
