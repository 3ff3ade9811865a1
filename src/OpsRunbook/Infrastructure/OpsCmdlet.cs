using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Commands;

/// <summary>
/// The one base for every OpsRunbook cmdlet. It owns Ctrl+C (a CancellationToken cancelled in
/// StopProcessing), runs core work off the pipeline thread while marshalling progress, messages and
/// ShouldProcess back onto it, maps OpsException to ErrorRecords with stable ids, and scrubs secrets
/// from every line of text it writes. Derived cmdlets override Begin/Process/End.
/// </summary>
public abstract class OpsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private PipelineReporter? _reporter;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops. Pass it into every async call.</summary>
    protected CancellationToken CancellationToken => _cts.Token;

    /// <summary>A reporter usable from any thread; calls from other threads are queued for the pipeline thread.</summary>
    protected IOpsReporter Reporter => _reporter ??= new PipelineReporter(this, StopTimeout);

    /// <summary>How long cancelled core work gets to clean up after Ctrl+C or a failure on the pipeline side before the cmdlet ends without it.</summary>
    protected virtual TimeSpan StopTimeout => TimeSpan.FromSeconds(30);

    protected virtual void Begin() { }
    protected virtual void Process() { }
    protected virtual void End() { }

    protected sealed override void BeginProcessing() => Guard(Begin);
    protected sealed override void ProcessRecord() => Guard(Process);
    protected sealed override void EndProcessing() => Guard(End);

    protected override void StopProcessing()
    {
        try { _cts.Cancel(); } catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        // Cancel, not dispose: a worker that outlived the cmdlet still reads its token.
        try { _cts.Cancel(); } catch (AggregateException) { }
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Runs async core work in the background and pumps its progress, messages, ShouldProcess calls and
    /// posted actions on the pipeline thread until it finishes. Progress records are always completed.
    /// When the pipeline side throws (a warning under -WarningAction Stop, a stopped pipeline), the work is
    /// cancelled and waited for (<see cref="StopTimeout"/>) before the exception goes on: it never outlives the cmdlet.
    /// </summary>
    protected T Run<T>(Func<IOpsReporter, CancellationToken, Task<T>> work)
    {
        var reporter = (PipelineReporter)Reporter;
        var token = CancellationToken;
        var task = Task.Run(() => work(reporter, token));
        try
        {
            reporter.PumpUntil(task, _cts);
        }
        finally
        {
            reporter.CompleteProgress();
        }
        return task.GetAwaiter().GetResult();
    }

    protected void Run(Func<IOpsReporter, CancellationToken, Task> work)
        => Run<bool>(async (r, t) => { await work(r, t).ConfigureAwait(false); return true; });

    /// <summary>Queues an action (WriteObject, WriteError...) to run on the pipeline thread during <see cref="Run{T}"/>; runs it at once when already there.</summary>
    protected void Post(Action action) => ((PipelineReporter)Reporter).Post(action);

    /// <summary>
    /// From a worker thread: runs the action on the pipeline thread and waits for it, so an exception
    /// there (-ErrorAction Stop on a WriteError, a downstream Select-Object -First) also stops the worker.
    /// </summary>
    protected void PostAndWait(Action action) => ((PipelineReporter)Reporter).Ask(() => { action(); return true; });

    /// <summary>Writes an object; its timestamps read as ISO 8601 in Export-Csv (see <see cref="IsoTimestamps"/>).</summary>
    protected new void WriteObject(object? sendToPipeline) => base.WriteObject(IsoTimestamps.Shape(sendToPipeline));

    /// <summary>Writes an object, or each element of a collection, with timestamps that read as ISO 8601.</summary>
    protected new void WriteObject(object? sendToPipeline, bool enumerateCollection)
    {
        if (!enumerateCollection || sendToPipeline is null || sendToPipeline is string || LanguagePrimitives.GetEnumerable(sendToPipeline) is not { } items)
        {
            WriteObject(sendToPipeline);
            return;
        }
        foreach (var item in items) base.WriteObject(IsoTimestamps.Shape(item));
    }

    /// <summary>
    /// ShouldProcess(target, action) with the same What if:/Confirm texts, and <paramref name="whatIf"/> true when it said
    /// no because this is a -WhatIf run (ShouldProcessReason.WhatIf): no hand-reading of $WhatIfPreference.
    /// </summary>
    protected bool ShouldProcess(string target, string action, out bool whatIf)
    {
        var description = $"Performing the operation \"{action}\" on target \"{SecretScrubber.Scrub(target)}\".";
        var go = ShouldProcess(description, "Are you sure you want to perform this action?\n" + description, "Confirm", out var reason);
        whatIf = !go && reason == ShouldProcessReason.WhatIf;
        return go;
    }

    /// <summary>WriteVerbose with secrets scrubbed.</summary>
    protected void Verbose(string message) => WriteVerbose(SecretScrubber.Scrub(message));

    /// <summary>WriteWarning with secrets scrubbed.</summary>
    protected void Warning(string message) => WriteWarning(SecretScrubber.Scrub(message));

    /// <summary>A non-terminating error for one item: the cmdlet goes on (and stops under -ErrorAction Stop).</summary>
    protected void WriteOpsError(OpsException error) => WriteError(ToErrorRecord(error));

    /// <summary>Builds an ErrorRecord with the exception's stable id, its category, target and recommended action.</summary>
    public static ErrorRecord ToErrorRecord(OpsException error)
    {
        var message = SecretScrubber.Scrub(error.Message);
        var action = error.RecommendedAction is null ? null : SecretScrubber.Scrub(error.RecommendedAction);
        // Keep the original exception (and its inner chain) unless scrubbing found a secret in it.
        Exception exception = message == error.Message
            ? error
            : new OpsException(error.Id, message, error.Target, action);
        var record = new ErrorRecord(exception, error.ErrorId, Map(error.Category), error.Target)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = action },
        };
        return record;
    }

    private static ErrorCategory Map(OpsErrorCategory c) =>
        Enum.TryParse<ErrorCategory>(c.ToString(), out var mapped) ? mapped : ErrorCategory.NotSpecified;

    private void Guard(Action body)
    {
        try
        {
            body();
        }
        catch (OpsException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
        }
        catch (AggregateException e) when (e.InnerException is OpsException inner)
        {
            ThrowTerminatingError(ToErrorRecord(inner));
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception e) when (e is not (PipelineStoppedException or ActionPreferenceStopException or FlowControlException
                                        or ParameterBindingException or ParentContainsErrorRecordException or HaltCommandException)
                                  && e is not RuntimeException { ErrorRecord: not null, WasThrownFromThrowStatement: true })
        {
            var message = SecretScrubber.Scrub(e.Message);
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"{GetType().Name}: unexpected {e.GetType().Name}: {message}", message == e.Message ? e : null),
                ErrorIds.UnexpectedError.Name, ErrorCategory.NotSpecified, null));
        }
    }
}
