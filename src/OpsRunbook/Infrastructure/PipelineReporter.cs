using System.Collections.Concurrent;
using System.Management.Automation;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Commands;

/// <summary>
/// IOpsReporter for cmdlets. On the pipeline thread it writes at once; from any other thread it
/// queues the call for <see cref="PumpUntil"/>, because Write* and ShouldProcess are only legal on
/// the pipeline thread. Progress is coalesced to the latest record per activity and step: updates within one step
/// (percent, current operation) collapse, but a step (status) is never skipped.
/// </summary>
internal sealed class PipelineReporter : IOpsReporter
{
    private readonly Cmdlet _cmdlet;
    private readonly WorkPump _pump;
    private readonly ConcurrentDictionary<int, OpsProgress> _pendingProgress = new();
    private readonly HashSet<int> _openActivities = new();
    private readonly Dictionary<int, string> _activityNames = new();

    public PipelineReporter(Cmdlet cmdlet, TimeSpan stopTimeout)
    {
        _cmdlet = cmdlet;
        _pump = new WorkPump { StopTimeout = stopTimeout };
    }

    private bool OnPipelineThread => _pump.OnOwnerThread;

    public void Post(Action action) => _pump.Post(action);

    /// <summary>Runs the function on the pipeline thread and returns its answer to the calling worker (see <see cref="WorkPump.Ask{T}"/>).</summary>
    public T Ask<T>(Func<T> question) => _pump.Ask(question);

    public void Progress(OpsProgress progress)
    {
        OpsProgress? previous = null;
        _pendingProgress.AddOrUpdate(progress.ActivityId, progress, (_, old) => { previous = old; return progress; });
        // A step the pipeline thread has not shown yet is written before its successor, not dropped.
        if (previous is not null && previous.Status != progress.Status) Post(() => WriteProgress(previous));
        if (OnPipelineThread) FlushProgress();
    }

    public void Verbose(string message) => Post(() => _cmdlet.WriteVerbose(SecretScrubber.Scrub(message)));

    public void Warning(string message) => Post(() => _cmdlet.WriteWarning(SecretScrubber.Scrub(message)));

    public bool ShouldProcess(string target, string action) =>
        _pump.Ask(() => _cmdlet.ShouldProcess(SecretScrubber.Scrub(target), action));

    /// <summary>
    /// Runs queued actions on the pipeline thread until the task completes, then drains the queue. When the pipeline
    /// side throws, or a cancelled worker does not stop in time, the worker is cancelled and waited for (bounded) first.
    /// </summary>
    public void PumpUntil(Task task, CancellationTokenSource cancellation) => _pump.PumpUntil(task, cancellation, FlushProgress);

    private void FlushProgress()
    {
        foreach (var id in _pendingProgress.Keys)
        {
            if (_pendingProgress.TryRemove(id, out var p)) WriteProgress(p);
        }
    }

    private void WriteProgress(OpsProgress p)
    {
        _openActivities.Add(p.ActivityId);
        _activityNames[p.ActivityId] = p.Activity;
        _cmdlet.WriteProgress(new ProgressRecord(p.ActivityId, p.Activity, string.IsNullOrEmpty(p.Status) ? p.Activity : p.Status)
        {
            PercentComplete = Math.Clamp(p.Percent, -1, 100),
            CurrentOperation = p.CurrentOperation,
            ParentActivityId = p.ParentActivityId,
        });
    }

    /// <summary>Sends a Completed record for every activity shown, so no bar lingers.</summary>
    public void CompleteProgress()
    {
        _pendingProgress.Clear();
        foreach (var id in _openActivities)
        {
            try
            {
                _cmdlet.WriteProgress(new ProgressRecord(id, _activityNames[id], "Done") { RecordType = ProgressRecordType.Completed });
            }
            catch (PipelineStoppedException) { }
        }
        _openActivities.Clear();
    }
}
