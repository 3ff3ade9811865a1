using System.Management.Automation;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>The daily user metrics review: DAU, signups, uploads and searches for a day.</summary>
[Cmdlet(VerbsCommon.Get, "OpsUserMetrics", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(UserMetrics))]
public sealed class GetOpsUserMetricsCommand : OpsPostgresCmdlet
{
    /// <summary>The day (its date part); default: today on the database server.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    public DateTime? Date { get; set; }

    protected override void Process()
    {
        var pg = Pg;
        DateOnly? day = Date is { } d ? DateOnly.FromDateTime(d) : null;
        WriteObject(Run((_, ct) => DbMetrics.GetUserMetricsAsync(pg, day, ct)));
    }
}
