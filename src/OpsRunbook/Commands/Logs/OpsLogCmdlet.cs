using System.Management.Automation;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Commands;

/// <summary>
/// Base of the log cmdlets: the config is needed only when no -Path is given (logs.directory), and the
/// reader's problems become errors (a file missing, unreadable or corrupt) or warnings (lines skipped), each with its id.
/// </summary>
public abstract class OpsLogCmdlet : OpsEnvironmentCmdlet
{
    /// <summary>The log cmdlets read only logs:; a problem in another section does not stop them.</summary>
    protected override IReadOnlyCollection<string>? ConfigSections => ["logs"];

    /// <summary>logs: of the environment; null when paths were given and there is no config file at all.</summary>
    protected LogsConfig? LogsOrNull(bool pathsGiven)
    {
        if (!pathsGiven) return Env.Require(e => e.Logs, "logs");
        try { return Env.Logs; }
        catch (OpsException e) when (e.Id == ErrorIds.ConfigFileNotFound && ConfigPath is null && Environment is null) { return null; }
    }

    /// <summary>Writes a reader problem on the pipeline thread (call from any thread).</summary>
    protected void ReportProblem(OpsException e) => Post(() =>
    {
        if (e.Id == ErrorIds.LogFileNotFound || e.Id == ErrorIds.LogFileUnreadable || e.Id == ErrorIds.LogGzipCorrupt) WriteOpsError(e);
        else Warning($"{e.Message} [{e.ErrorId}]");
    });
}

/// <summary>
/// Base of the log cmdlets that read a window of dated logs (Get-OpsLogError, Get-OpsAuthFailure, Get-OpsSudoEvent):
/// -Since (positional) and -Until.
/// </summary>
public abstract class OpsLogWindowCmdlet : OpsLogCmdlet
{
    /// <summary>Only entries at or after this time (or this long ago).</summary>
    [Parameter(Position = 0)]
    [PointInTime]
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only entries at or before this time.</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Until { get; set; }

    /// <summary>-Until, or now; -Since, or <paramref name="defaultBack"/> before that (the rule of <see cref="Commands.TimeWindow"/>).</summary>
    protected TimeWindow ResolveWindow(TimeSpan defaultBack) => TimeWindow.Resolve(Since, Until, defaultBack);
}

/// <summary>
/// Base of the access-log cmdlets (Measure-OpsAccessLog, Find-OpsSuspiciousRequest): -Path (files, wildcards, piped
/// FileInfo), -Since and -Until, defaulting to logs.directory/logs.access.
/// </summary>
public abstract class OpsAccessLogCmdlet : OpsLogCmdlet
{
    /// <summary>Access logs: files or wildcards; plain paths bring their rotations along. Default: logs.directory/logs.access.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Only requests at or after this time (or this long ago: 1h, 24h).</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only requests at or before this time.</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Until { get; set; }

    private readonly List<string> _paths = new();

    protected override void Process()
    {
        if (Path is null) return;
        foreach (var p in Path) _paths.Add(GetUnresolvedProviderPathFromPSPath(p));
    }

    /// <summary>The logs: section (null when paths were given and there is no config file) and what to read.</summary>
    protected (LogsConfig? Logs, LogReadOptions Read) AccessLogs()
    {
        var logs = LogsOrNull(_paths.Count > 0);
        return (logs, new LogReadOptions { Paths = _paths.Count > 0 ? _paths : [logs!.AccessPath], Since = Since, Until = Until });
    }
}
