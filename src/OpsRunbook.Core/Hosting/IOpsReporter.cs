namespace OpsRunbook.Core.Hosting;

/// <summary>One progress update. Percent is -1 when unknown.</summary>
public sealed record OpsProgress(int ActivityId, string Activity, string Status, int Percent = -1,
    string? CurrentOperation = null, int ParentActivityId = -1);

/// <summary>
/// What the core may ask of whoever runs it: report progress and messages, and ask permission before
/// changing something. The cmdlet layer marshals every call onto the pipeline thread; tests and
/// scripts use <see cref="NullReporter"/> or their own. The core never sees a cmdlet.
/// </summary>
public interface IOpsReporter
{
    void Progress(OpsProgress progress);
    void Verbose(string message);
    void Warning(string message);

    /// <summary>ShouldProcess: true when the action on target may go ahead (false under -WhatIf).</summary>
    bool ShouldProcess(string target, string action);
}

/// <summary>Reports nothing and allows everything (or nothing, for dry runs).</summary>
public sealed class NullReporter : IOpsReporter
{
    public static readonly NullReporter Allow = new(true);
    public static readonly NullReporter Deny = new(false);
    private readonly bool _allow;
    private NullReporter(bool allow) => _allow = allow;
    public void Progress(OpsProgress progress) { }
    public void Verbose(string message) { }
    public void Warning(string message) { }
    public bool ShouldProcess(string target, string action) => _allow;
}
