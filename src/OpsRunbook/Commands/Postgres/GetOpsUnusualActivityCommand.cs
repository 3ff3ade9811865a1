using System.Management.Automation;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>The security review's unusual activity: users with too many uploads in 7 days or searches in a day.</summary>
[Cmdlet(VerbsCommon.Get, "OpsUnusualActivity", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(UnusualActivity))]
public sealed class GetOpsUnusualActivityCommand : OpsPostgresCmdlet
{
    /// <summary>Report users with more uploads than this since the start of the day 7 days ago.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long UploadThreshold { get; set; } = 100;

    /// <summary>Report users with more searches than this since the start of yesterday.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long SearchThreshold { get; set; } = 500;

    protected override void End()
    {
        var pg = Pg;
        WriteObject(Run((_, ct) => DbMetrics.GetUnusualActivityAsync(pg, UploadThreshold, SearchThreshold, ct)), enumerateCollection: true);
    }
}
