using System.Management.Automation;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Commands;

/// <summary>Request counts, status classes, error rate and exact latency percentiles from nginx access logs.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "OpsAccessLog")]
[OutputType(typeof(AccessLogSummary))]
public sealed class MeasureOpsAccessLogCommand : OpsLogCmdlet
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

    /// <summary>One summary per endpoint, status, client, minute or hour; None: one for everything.</summary>
    [Parameter]
    public AccessLogGroupBy GroupBy { get; set; } = AccessLogGroupBy.None;

    /// <summary>Only the N busiest groups (the last N for Minute and Hour). Default: 20 for Endpoint and Client, all otherwise.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Top { get; set; }

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
        var options = new AccessLogOptions
        {
            Read = new LogReadOptions { Paths = paths, Since = Since, Until = Until },
            GroupBy = GroupBy,
            Top = Top > 0 ? Top : GroupBy is AccessLogGroupBy.Endpoint or AccessLogGroupBy.Client ? 20 : 0,
            Format = logs?.AccessFormat,
            EndpointRules = logs?.EndpointRules ?? [],
        };
        var report = Run((r, ct) => Task.FromResult(AccessLogAnalyzer.Measure(options, r, ReportProblem, ct)));
        Verbose($"{report.Lines:N0} lines in {report.Read.Files.Count} file(s), {report.UnparsedLines:N0} unparsed, {report.OutsideWindow:N0} outside the time window.");
        WriteObject(report.Summaries, enumerateCollection: true);
    }
}
