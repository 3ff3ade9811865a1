using System.Management.Automation;
using OpsRunbook.Core.Payments;

namespace OpsRunbook.Commands;

/// <summary>The Cost Review's cost_tracking queries for one month: by service, by subscription tier, or by user.</summary>
[Cmdlet(VerbsCommon.Get, "OpsCostReport", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(ServiceCost), typeof(TierCost), typeof(UserCost))]
public sealed class GetOpsCostReportCommand : OpsPostgresCmdlet
{
    /// <summary>The month, yyyy-MM; default: last month on the database server.</summary>
    [Parameter(Position = 0)]
    [ValidatePattern(@"^\d{4}-\d{2}$")]
    public string? Month { get; set; }

    /// <summary>Service (the runbook's first query), Tier (its second) or User.</summary>
    [Parameter]
    public CostReportGrouping By { get; set; } = CostReportGrouping.Service;

    protected override void Process()
    {
        var pg = Pg;
        DateOnly? month = Month is null ? null : CostReport.ParseMonth(Month);
        var by = By;
        WriteObject(Run((_, ct) => CostReport.GetAsync(pg, month, by, ct)), enumerateCollection: true);
    }
}
