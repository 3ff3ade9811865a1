using System.Management.Automation;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Commands;

/// <summary>Requests in access logs that look like SQL injection, XSS, path traversal, command injection or a scanner.</summary>
[Cmdlet(VerbsCommon.Find, "OpsSuspiciousRequest")]
[OutputType(typeof(SuspiciousRequest))]
public sealed class FindOpsSuspiciousRequestCommand : OpsAccessLogCmdlet
{
    /// <summary>Only these categories; default: all.</summary>
    [Parameter]
    public AttackCategory[]? Category { get; set; }

    protected override void End()
    {
        var (logs, read) = AccessLogs();
        var options = new SuspiciousRequestOptions
        {
            Read = read,
            Format = logs?.AccessFormat,
            Categories = Category is { Length: > 0 } c ? c.ToHashSet() : null,
        };
        var lines = Run((r, ct) => Task.FromResult(SuspiciousRequestScanner.Scan(options, hit => PostAndWait(() => WriteObject(hit)), r, ReportProblem, ct)));
        Verbose($"{lines:N0} request(s) scanned.");
    }
}
