using System.Management.Automation;
using OpsRunbook.Core.Notify;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Opens an incident (status Investigating) in the state store.</summary>
[Cmdlet(VerbsCommon.New, "OpsIncident", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Incident))]
public sealed class NewOpsIncidentCommand : OpsEnvironmentCmdlet
{
    /// <summary>What is wrong, in one line.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "";

    /// <summary>SEV1 (outage) to SEV4 (minor).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public IncidentSeverity Severity { get; set; }

    /// <summary>The report's Summary; default the title.</summary>
    [Parameter]
    public string? Summary { get; set; }

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
        if (!ShouldProcess(env.Name, $"Open a {Severity} incident: {Title}" + (channels is null ? "" : $" and notify {string.Join(", ", channels.Select(c => c.Name))}"))) return;
        var incident = Run((r, ct) => Incidents.NewAsync(env, Title, Severity, Summary, null, ct));
        WriteObject(incident);
        SendNotice(channels, OperationNotices.Opened(env, incident));
    }
}
