using System.Collections.Concurrent;

namespace OpsRunbook.Core.Hosting;

/// <summary>
/// Runs actions from worker threads on one owner thread (PowerShell's pipeline thread) while it waits for
/// the work to end. When the owner side fails (an action throws: a warning under -WarningAction Stop, a
/// stopped pipeline) or the work is cancelled and does not stop, the pump cancels the work, fails every
/// question still waiting for an answer, waits a bounded time for the worker to end, and rethrows: the
/// work never goes on in the background after its cmdlet has ended.
/// </summary>
public sealed class WorkPump
{
    private readonly int _ownerThread = Environment.CurrentManagedThreadId;
    private readonly BlockingCollection<Action> _queue = new();
    private readonly ConcurrentDictionary<object, Action> _pendingAnswers = new();
    private volatile bool _closed;

    /// <summary>How long a cancelled worker gets to clean up (drop a scratch database, abort an upload) before the pump gives up on it.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool OnOwnerThread => Environment.CurrentManagedThreadId == _ownerThread;

    /// <summary>True once the pump gave up: queued and later actions are dropped, questions fail with OperationCanceledException.</summary>
    public bool IsClosed => _closed;

    /// <summary>Runs the action now on the owner thread, or queues it for the pump; dropped once closed.</summary>
    public void Post(Action action)
    {
        if (OnOwnerThread) action();
        else if (!_closed) _queue.Add(action);
    }

    /// <summary>
    /// Runs a function on the owner thread and returns its answer to the worker (ShouldProcess, a write that must
    /// stop the worker when it throws). Throws OperationCanceledException when the pump is or becomes closed.
    /// </summary>
    public T Ask<T>(Func<T> question)
    {
        if (OnOwnerThread) return question();
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingAnswers[answer] = () => answer.TrySetCanceled();
        try
        {
            if (_closed) throw new OperationCanceledException("The pipeline has stopped; nobody will answer.");
            _queue.Add(() =>
            {
                try { answer.TrySetResult(question()); }
                catch (Exception e) { answer.TrySetException(e); throw; }
            });
            if (_closed) answer.TrySetCanceled();   // closed between the check and the Add: nobody runs the queue any more
            return answer.Task.GetAwaiter().GetResult();
        }
        finally
        {
            _pendingAnswers.TryRemove(answer, out _);
        }
    }

    /// <summary>
    /// Runs queued actions until <paramref name="work"/> completes, then drains the queue. When an action throws,
    /// or <paramref name="cancellation"/> is cancelled and the work has not ended within <see cref="StopTimeout"/>,
    /// the work is cancelled and given <see cref="StopTimeout"/> to end, and the pump throws.
    /// <paramref name="idle"/> runs after every action and poll (progress flushing).
    /// </summary>
    public void PumpUntil(Task work, CancellationTokenSource cancellation, Action? idle = null)
    {
        // Wake the pump the moment the work ends, instead of at the next 50 ms poll.
        work.ContinueWith(static (_, q) => { try { ((BlockingCollection<Action>)q!).Add(static () => { }); } catch (InvalidOperationException) { } },
            _queue, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        System.Diagnostics.Stopwatch? sinceCancel = null;
        try
        {
            while (!work.IsCompleted)
            {
                if (_queue.TryTake(out var action, 50)) action();
                idle?.Invoke();
                if (cancellation.IsCancellationRequested)
                {
                    sinceCancel ??= System.Diagnostics.Stopwatch.StartNew();
                    if (sinceCancel.Elapsed > StopTimeout)
                        throw new OperationCanceledException($"The work did not stop within {StopTimeout.TotalSeconds:0} s of being cancelled.", cancellation.Token);
                }
            }
            while (_queue.TryTake(out var action)) action();
            idle?.Invoke();
        }
        catch (Exception)
        {
            Abandon(work, cancellation);
            throw;
        }
    }

    /// <summary>Closes the pump, cancels the work and waits up to <see cref="StopTimeout"/> for it to end. Never throws.</summary>
    public void Abandon(Task work, CancellationTokenSource cancellation)
    {
        _closed = true;
        try { cancellation.Cancel(); } catch (ObjectDisposedException) { } catch (AggregateException) { }
        foreach (var cancel in _pendingAnswers.Values) cancel();
        while (_queue.TryTake(out _)) { }
        try { work.Wait(StopTimeout); } catch (Exception) { /* the worker's own failure is not the one reported */ }
        while (_queue.TryTake(out _)) { }
    }
}
