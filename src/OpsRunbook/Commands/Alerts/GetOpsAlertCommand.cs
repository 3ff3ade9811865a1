using System.Management.Automation;
using OpsRunbook.Core.Alerts;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Commands;

/// <summary>Evaluates the runbook's three alerts on this host without Prometheus: CPU over a duration, memory, queue depth.</summary>
[Cmdlet(VerbsCommon.Get, "OpsAlert")]
[OutputType(typeof(LocalAlert))]
public sealed class GetOpsAlertCommand : OpsEnvironmentCmdlet
{
    /// <summary>How long to sample CPU from /proc/stat (the rule's "for 5 minutes").</summary>
    [Parameter]
    [Duration]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Only the alerts that fire.</summary>
    [Parameter]
    public SwitchParameter Firing { get; set; }

    protected override void End()
    {
        if (!OperatingSystem.IsLinux())
            throw new OpsException(ErrorIds.PlatformNotSupported, "Get-OpsAlert reads /proc and runs on Linux only.");
        if (Duration < TimeSpan.FromMilliseconds(100) || Duration > TimeSpan.FromHours(24))
            throw new OpsException(ErrorIds.InvalidTimeWindow, $"-Duration must be between 0.1 s and 24 h, not {Duration}.", Duration.ToString());
        EnvironmentConfig? env = null;
        string? problem = null;
        try { env = Env; }
        catch (OpsException e) when (e.Id == ErrorIds.ConfigFileNotFound && ConfigPath is null && Environment is null) { problem = "no config file (queues: section) was found."; }
        var rows = Run((r, ct) => LocalAlertEvaluator.EvaluateAsync(env, problem, Duration, r, ct));
        WriteObject(Firing ? rows.Where(a => a.State == AlertState.Firing) : rows, enumerateCollection: true);
    }
}
