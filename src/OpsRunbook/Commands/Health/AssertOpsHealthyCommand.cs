using System.Management.Automation;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Commands;

/// <summary>
/// Fails a scheduled run when health results are bad: throws one terminating error (OpsHealthCritical,
/// OpsHealthWarning, OpsHealthUnknown or OpsHealthNoResults) with a one-line summary, whose exception carries the
/// Nagios exit code. With -Exit it writes that line instead (plain unless at a terminal) and ends pwsh with the code.
/// </summary>
[Cmdlet(VerbsLifecycle.Assert, "OpsHealthy")]
[OutputType(typeof(HealthCheckResult))]
public sealed class AssertOpsHealthyCommand : OpsCmdlet
{
    private readonly List<HealthCheckResult> _seen = new();

    /// <summary>Results from Get-OpsHealth.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    [AllowEmptyCollection]
    public HealthCheckResult[] InputObject { get; set; } = [];

    /// <summary>The status from which a result fails the assertion (and everything worse): Critical, Warning or Unknown.</summary>
    [Parameter]
    [ValidateSet(nameof(HealthStatus.Critical), nameof(HealthStatus.Warning), nameof(HealthStatus.Unknown))]
    public HealthStatus FailOn { get; set; } = HealthStatus.Critical;

    /// <summary>Pass the results on down the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// For the last line of a scheduled script: on failure, write the one-line summary to standard output and end
    /// pwsh with the Nagios exit code (2 Critical, 1 Warning, 3 Unknown) instead of throwing. finally blocks still run.
    /// </summary>
    [Parameter]
    public SwitchParameter Exit { get; set; }

    protected override void Process()
    {
        foreach (var r in InputObject)
        {
            if (r is null) continue;
            _seen.Add(r);
            if (PassThru) WriteObject(r);
        }
    }

    protected override void End()
    {
        if (_seen.Count == 0)
        {
            const string none = "Assert-OpsHealthy received no health results, so nothing was checked.";
            if (Exit) EndProcess(NagiosPlugin.Unknown, $"UNKNOWN {none}");
            ThrowTerminatingError(new ErrorRecord(new OpsHealthException(none, [], NagiosPlugin.Unknown), "OpsHealthNoResults", ErrorCategory.InvalidData, null)
            { ErrorDetails = new ErrorDetails(none) { RecommendedAction = "Pipe Get-OpsHealth into Assert-OpsHealthy and check the config." } });
        }
        var failing = _seen.Where(r => r.Status >= FailOn).OrderByDescending(r => r.Status).ToList();
        if (failing.Count == 0)
        {
            Verbose($"All {_seen.Count} health results are better than {FailOn}.");
            return;
        }
        var message = SecretScrubber.Scrub(Summary(_seen, failing));
        var worst = failing[0].Status;
        var code = NagiosPlugin.ExitCode(failing);
        if (Exit) EndProcess(code, $"{NagiosPlugin.StateName(code)} {message}", worst);
        var record = new ErrorRecord(new OpsHealthException(message, failing, code), $"OpsHealth{worst}", ErrorCategory.InvalidResult, failing.ToArray())
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Run Get-OpsHealth | Where-Object Status -ne Healthy | Format-List for the details and thresholds." },
        };
        ThrowTerminatingError(record);
    }

    /// <summary>Writes one line (coloured only at a terminal) and ends pwsh with the exit code once the pipeline stops.</summary>
    private void EndProcess(int exitCode, string line, HealthStatus status = HealthStatus.Unknown)
    {
        Host.UI.WriteLine(ConsoleStyle.ForStatus(status, line));
        Host.SetShouldExit(exitCode);
        throw new PipelineStoppedException();
    }

    /// <summary>"Health check failed in production: 2 Critical, 1 Warning of 14 results. Critical: Service/api (GET ... -> 503); ..."</summary>
    internal static string Summary(IReadOnlyList<HealthCheckResult> all, IReadOnlyList<HealthCheckResult> failing)
    {
        var envs = string.Join(", ", all.Select(r => r.Environment).Where(e => !string.IsNullOrEmpty(e)).Distinct());
        var counts = string.Join(", ", failing.GroupBy(r => r.Status).OrderByDescending(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));
        var items = string.Join("; ", failing.Select(r => $"{r.Status} {r.Check}/{r.Target}: {r.Message.TrimEnd('.')}"));
        var text = $"Health check failed{(envs.Length > 0 ? " in " + envs : "")}: {counts} of {all.Count} results. {items}.";
        return text.Replace('\n', ' ').Replace('\r', ' ');
    }
}

/// <summary>
/// The exception behind Assert-OpsHealthy's error; Results holds the failing results and ExitCode the Nagios exit
/// code for them (2 Critical, 1 Warning, 3 Unknown), so a script ends with <c>exit $_.Exception.ExitCode</c>.
/// </summary>
public sealed class OpsHealthException : Exception
{
    public OpsHealthException(string message, IReadOnlyList<HealthCheckResult> results, int exitCode) : base(message)
    {
        Results = results;
        ExitCode = exitCode;
    }

    public IReadOnlyList<HealthCheckResult> Results { get; }
    public int ExitCode { get; }
}
