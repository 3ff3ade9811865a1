using System.Management.Automation;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Commands;

/// <summary>Requests in access logs that look like SQL injection, XSS, path traversal, command injection or a scanner.</summary>
[Cmdlet(VerbsCommon.Find, "OpsSuspiciousRequest")]
[OutputType(typeof(SuspiciousRequest))]
public sealed class FindOpsSuspiciousRequestCommand : OpsLogCmdlet
{
    /// <summary>Access logs: files or wildcards; plain paths bring their rotations. Default: logs.directory/logs.access.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Only requests at or after this time (or this long ago).</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only requests at or before this time.</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Until { get; set; }

    /// <summary>Only these categories; default: all.</summary>
    [Parameter]
    public AttackCategory[]? Category { get; set; }

    private readonly List<string> _paths = new();

    protected override void Process()
    {
        if (Path is null) return;
        foreach (var p in Path) _paths.Add(GetUnresolvedProviderPathFromPSPath(p));
    }

    protected override void End()
    {
        var logs = LogsOrNull(_paths.Count > 0);
        var paths = _paths.Count > 0 ? _paths : [logs!.AccessPath];
        var options = new SuspiciousRequestOptions
        {
            Read = new LogReadOptions { Paths = paths, Since = Since, Until = Until },
            Format = logs?.AccessFormat,
            Categories = Category is { Length: > 0 } c ? c.ToHashSet() : null,
        };
        var lines = Run((r, ct) => Task.FromResult(SuspiciousRequestScanner.Scan(options, hit => PostAndWait(() => WriteObject(hit)), r, ReportProblem, ct)));
        Verbose($"{lines:N0} request(s) scanned.");
    }
}
