using System.Management.Automation;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.State;

namespace OpsRunbook.Commands;

/// <summary>Returns stored health results (Get-OpsHealth -Record, Save-OpsHealth) of the environment, oldest first.</summary>
[Cmdlet(VerbsCommon.Get, "OpsHealthHistory")]
[OutputType(typeof(HealthCheckResult))]
public sealed class GetOpsHealthHistoryCommand : OpsHealthHistoryCmdlet
{
    /// <summary>Only results with these statuses.</summary>
    [Parameter]
    public HealthStatus[]? Status { get; set; }

    protected override void End()
    {
        var env = Env;
        var query = Query(env, TimeSpan.FromDays(1), endsNow: false, Status);
        var rows = ReadHistory(env, (store, ct) => HealthHistory.QueryAsync(store, query, ct));
        Verbose($"{rows.Count} stored result(s) of '{env.Name}' since {query.Since:O}.");
        foreach (var row in rows)
        {
            // The history's own view (time and host first); still a HealthCheckResult for scripts, CSV and Save-OpsHealth.
            var shaped = PSObject.AsPSObject(IsoTimestamps.Shape(row)!);
            shaped.TypeNames.Insert(0, HistoryTypeName);
            WriteObject(shaped);
        }
    }

    /// <summary>The type name Get-OpsHealthHistory's rows carry first, for their default view (ComputerName, Timestamp).</summary>
    public const string HistoryTypeName = "OpsRunbook.Core.Health.HealthCheckResult#History";
}
