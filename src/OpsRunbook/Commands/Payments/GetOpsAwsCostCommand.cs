using System.Management.Automation;
using OpsRunbook.Core.Payments;

namespace OpsRunbook.Commands;

/// <summary>The Cost Review's `aws ce get-cost-and-usage`: one month's UnblendedCost by service or usage type.</summary>
[Cmdlet(VerbsCommon.Get, "OpsAwsCost")]
[OutputType(typeof(AwsCostLine))]
public sealed class GetOpsAwsCostCommand : OpsEnvironmentCmdlet
{
    /// <summary>The month, yyyy-MM; default: last month (UTC).</summary>
    [Parameter(Position = 0)]
    [ValidatePattern(@"^\d{4}-\d{2}$")]
    public string? Month { get; set; }

    /// <summary>SERVICE (the runbook's grouping) or USAGE_TYPE.</summary>
    [Parameter]
    public AwsCostGrouping GroupBy { get; set; } = AwsCostGrouping.SERVICE;

    protected override void Process()
    {
        var env = Env;
        var month = Month is null ? DateOnly.FromDateTime(DateTime.UtcNow.AddMonths(-1)) is var d ? new DateOnly(d.Year, d.Month, 1) : default : CostReport.ParseMonth(Month);
        var groupBy = GroupBy;
        WriteObject(Run((r, ct) => AwsCost.GetAsync(env, month, groupBy, r, ct)), enumerateCollection: true);
    }
}
