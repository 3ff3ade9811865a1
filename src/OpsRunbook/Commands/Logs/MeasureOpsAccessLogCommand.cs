using System.Management.Automation;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Commands;

/// <summary>Request counts, status classes, error rate and exact latency percentiles from nginx access logs.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "OpsAccessLog")]
[OutputType(typeof(AccessLogSummary))]
public sealed class MeasureOpsAccessLogCommand : OpsAccessLogCmdlet
{
    /// <summary>One summary per endpoint, status, client, minute or hour; None: one for everything.</summary>
    [Parameter]
    public AccessLogGroupBy GroupBy { get; set; } = AccessLogGroupBy.None;

    /// <summary>Only the N busiest groups (the last N for Minute and Hour). Default: 20 for Endpoint and Client, all otherwise.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Top { get; set; }

    protected override void End()
    {
        var (logs, read) = AccessLogs();
        var options = new AccessLogOptions
        {
            Read = read,
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
