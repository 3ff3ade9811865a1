using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Notify;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Closes the open maintenance window: smoke tests, workers started, flag removed, window closed.</summary>
[Cmdlet(VerbsLifecycle.Stop, "OpsMaintenance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MaintenanceResult))]
public sealed class StopOpsMaintenanceCommand : OpsEnvironmentCmdlet
{
    /// <summary>Resume even when a smoke test fails, or when no window is recorded (then every maintenance.workers service is started).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Post the change to the notification channels (notifications.defaultChannels, or -NotifyChannel).</summary>
    [Parameter]
    public SwitchParameter Notify { get; set; }

    /// <summary>With -Notify: the channels, by name (default notifications.defaultChannels, else all).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? NotifyChannel { get; set; }

    protected override void Process()
    {
        var env = Env;
        var channels = Notify || NotifyChannel is not null ? Notifier.Select(env, NotifyChannel) : null;
        if (!ShouldProcess(env.Name, "Close the maintenance window (smoke tests, start the workers, remove the flag)" + (channels is null ? "" : $" and notify {string.Join(", ", channels.Select(c => c.Name))}"))) return;
        var result = Run((r, ct) => Maintenance.StopAsync(env, new MaintenanceOptions { Force = Force }, r, ct));
        WriteObject(result);
        SendNotice(channels, OperationNotices.MaintenanceStopped(env, result));
        if (!result.Succeeded)
            WriteOpsError(new OpsException(ErrorIds.MaintenanceStepFailed, result.Message, env.Name, "The steps show what failed; Get-OpsMaintenance shows whether the window is still open."));
    }
}
