using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Notify;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Opens a maintenance window: flag, workers stopped, backup, window recorded; every step done is undone if one fails.</summary>
[Cmdlet(VerbsLifecycle.Start, "OpsMaintenance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MaintenanceResult))]
public sealed class StartOpsMaintenanceCommand : OpsEnvironmentCmdlet
{
    /// <summary>Why: shown to whoever looks (Get-OpsMaintenance) and written into the flag.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = "";

    /// <summary>The planned length; Get-OpsHealth warns once the window is past it.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(1);

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
        var m = env.Maintenance;
        var what = $"flag {m.FlagPath ?? "(none)"}, stop {(m.Workers.Count == 0 ? "no workers" : string.Join(", ", m.Workers))}" + (m.Backup ? ", backup" : "");
        var channels = Notify || NotifyChannel is not null ? Notifier.Select(env, NotifyChannel) : null;
        if (channels is not null) what += $", notify {string.Join(", ", channels.Select(c => c.Name))}";
        if (!ShouldProcess(env.Name, $"Open a maintenance window ({what})")) return;
        var result = Run((r, ct) => Maintenance.StartAsync(env, new MaintenanceOptions { Reason = Reason, Duration = Duration }, r, ct));
        WriteObject(result);
        if (result.Succeeded && result.Window is not null) SendNotice(channels, OperationNotices.MaintenanceStarted(env, result.Window));
        if (!result.Succeeded)
            WriteOpsError(new OpsException(ErrorIds.MaintenanceStepFailed, result.Message, env.Name, "The steps show what failed and what was undone; fix the cause and start again."));
    }
}
