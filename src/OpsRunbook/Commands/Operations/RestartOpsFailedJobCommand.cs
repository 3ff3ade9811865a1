using System.Management.Automation;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Moves failed BullMQ jobs back to wait, as job.retry() does (BullMQ's own reprocessJob script).</summary>
[Cmdlet(VerbsLifecycle.Restart, "OpsFailedJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FailedJobRetry))]
public sealed class RestartOpsFailedJobCommand : OpsEnvironmentCmdlet
{
    private readonly List<(string Queue, string Id)> _approved = new();

    /// <summary>The queue of the jobs (piped from Get-OpsFailedJob).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Queue { get; set; } = "";

    /// <summary>The job ids (piped from Get-OpsFailedJob).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary>Start the attempt count again from 0 (job.retry with resetAttemptsMade), so jobs with attempts: N get N more tries.</summary>
    [Parameter]
    public SwitchParameter ResetAttempts { get; set; }

    /// <summary>Bound on connecting and on each call.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    protected override void Process()
    {
        foreach (var id in Id)
            if (ShouldProcess($"job {id} in queue {Queue}", "Move the failed job back to wait (BullMQ job.retry)")) _approved.Add((Queue, id));
    }

    protected override void End()
    {
        if (_approved.Count == 0) return;
        var env = Env;
        WriteObject(Run((_, ct) => FailedJobs.RetryAsync(env, _approved, ResetAttempts, Timeout, ct)), enumerateCollection: true);
    }
}
