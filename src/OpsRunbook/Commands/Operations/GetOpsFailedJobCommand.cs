using System.Management.Automation;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>BullMQ failed jobs (the Queue Depth Alert's "check for failed jobs"), newest first, from Redis or the admin API.</summary>
[Cmdlet(VerbsCommon.Get, "OpsFailedJob")]
[OutputType(typeof(FailedJob))]
public sealed class GetOpsFailedJobCommand : OpsEnvironmentCmdlet
{
    /// <summary>Queues to read; default: queues.names.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Queue { get; set; }

    /// <summary>At most this many jobs per queue, newest failure first.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int First { get; set; } = 50;

    /// <summary>Bound on connecting and on each call.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    protected override void End()
    {
        var env = Env;
        WriteObject(Run((_, ct) => FailedJobs.ListAsync(env, Queue, First, Timeout, ct)), enumerateCollection: true);
    }
}
