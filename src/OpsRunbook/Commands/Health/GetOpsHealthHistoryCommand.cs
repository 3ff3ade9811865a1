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
        WriteObject(rows, enumerateCollection: true);
    }
}
