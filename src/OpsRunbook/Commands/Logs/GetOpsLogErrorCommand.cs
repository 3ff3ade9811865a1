using System.Management.Automation;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Commands;

/// <summary>ERROR and FATAL lines of the API logs, grouped by message with the values masked.</summary>
[Cmdlet(VerbsCommon.Get, "OpsLogError")]
[OutputType(typeof(LogErrorGroup))]
[Alias("errors")]
public sealed class GetOpsLogErrorCommand : OpsLogWindowCmdlet
{
    /// <summary>Log files or wildcards; default: the logs.api files of the days in the window.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Only messages matching this regex (case-insensitive).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Match { get; set; }

    private readonly List<string> _paths = new();

    protected override void Process()
    {
        if (Path is null) return;
        foreach (var p in Path) _paths.Add(GetUnresolvedProviderPathFromPSPath(p));
    }

    protected override void End()
    {
        var (since, until) = ResolveWindow(TimeSpan.FromHours(24));
        var logs = LogsOrNull(_paths.Count > 0);
        IReadOnlyList<string> paths = _paths.Count > 0 ? _paths : logs!.DatedFiles(logs.Api, since, until);
        if (paths.Count == 0)
        {
            Warning($"No API log ({logs!.Api}) under {logs.Directory} for {since:yyyy-MM-dd HH:mm} to {until:yyyy-MM-dd HH:mm} UTC.");
            return;
        }
        var options = new LogErrorOptions { Read = new LogReadOptions { Paths = paths, Since = since, Until = Until, IncludeRotated = _paths.Count > 0 }, Match = Match };
        var report = Run((r, ct) => Task.FromResult(ErrorDigest.Collect(options, r, ReportProblem, ct)));
        Verbose($"{report.ErrorLines:N0} ERROR/FATAL line(s) in {report.Read.Files.Count} file(s), {report.Groups.Count} distinct message(s).");
        WriteObject(report.Groups, enumerateCollection: true);
    }
}
