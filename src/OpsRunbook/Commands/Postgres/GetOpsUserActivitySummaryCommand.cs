using System.Management.Automation;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>The runbook's user_activity_summary view, busiest users first.</summary>
[Cmdlet(VerbsCommon.Get, "OpsUserActivitySummary", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(UserActivitySummary))]
public sealed class GetOpsUserActivitySummaryCommand : OpsPostgresCmdlet
{
    /// <summary>Only these users (exact e-mail addresses).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Email { get; set; }

    /// <summary>Only the busiest N users (by media plus searches).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Top { get; set; }

    protected override void Process()
    {
        var pg = Pg;
        WriteObject(Run((_, ct) => DbMetrics.GetUserActivitySummaryAsync(pg, Email, Top, ct)), enumerateCollection: true);
    }
}
