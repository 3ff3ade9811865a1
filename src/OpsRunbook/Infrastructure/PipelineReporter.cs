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
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
    private readonly BlockingCollection<Action> _queue = new();
    private readonly ConcurrentDictionary<int, OpsProgress> _pendingProgress = new();
    private readonly HashSet<int> _openActivities = new();
    private readonly Dictionary<int, string> _activityNames = new();

    public PipelineReporter(Cmdlet cmdlet) => _cmdlet = cmdlet;

    private bool OnPipelineThread => Environment.CurrentManagedThreadId == _pipelineThread;

    public void Post(Action action)
    {
        if (OnPipelineThread) action();
        else _queue.Add(action);
    }

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

    public bool ShouldProcess(string target, string action)
    {
        if (OnPipelineThread) return _cmdlet.ShouldProcess(SecretScrubber.Scrub(target), action);
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try { answer.TrySetResult(_cmdlet.ShouldProcess(SecretScrubber.Scrub(target), action)); }
            catch (Exception e) { answer.TrySetException(e); throw; }
        });
        return answer.Task.GetAwaiter().GetResult();
    }

    /// <summary>Runs queued actions on the pipeline thread until the task completes, then drains the queue.</summary>
    public void PumpUntil(Task task)
    {
        // Wake the pump the moment the task ends, instead of at the next 50 ms poll.
        task.ContinueWith(static (_, q) => ((BlockingCollection<Action>)q!).Add(static () => { }), _queue, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!task.IsCompleted)
        {
            if (_queue.TryTake(out var action, 50)) action();
            FlushProgress();
        }
        while (_queue.TryTake(out var action)) action();
        FlushProgress();
    }

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
