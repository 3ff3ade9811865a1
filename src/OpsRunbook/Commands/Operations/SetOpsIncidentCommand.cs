using System.Management.Automation;
using OpsRunbook.Core.Notify;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Moves an incident forward (Identified, Monitoring, Resolved), ticks checklist steps and records root cause, resolution and action items.</summary>
[Cmdlet(VerbsCommon.Set, "OpsIncident", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Incident))]
public sealed class SetOpsIncidentCommand : OpsEnvironmentCmdlet
{
    /// <summary>The incident; default the most recent open one.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public long? Id { get; set; }

    /// <summary>The new status: only forward (Investigating, Identified, Monitoring, Resolved).</summary>
    [Parameter]
    public IncidentStatus? Status { get; set; }

    /// <summary>Checklist steps to tick, e.g. Assess.Severity, Communicate.StatusPage.</summary>
    [Parameter]
    [ValidateSet(typeof(IncidentStepNames))]
    public string[] Step { get; set; } = [];

    [Parameter] public string? Summary { get; set; }
    [Parameter] public string? RootCause { get; set; }
    [Parameter] public string? Resolution { get; set; }
    /// <summary>Action items to add to the report.</summary>
    [Parameter] public string[] ActionItem { get; set; } = [];

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
        var what = string.Join(", ", new[] { Status is null ? null : $"status {Status}", Step.Length > 0 ? $"tick {string.Join(", ", Step)}" : null,
            RootCause is null ? null : "root cause", Resolution is null ? null : "resolution", Summary is null ? null : "summary", ActionItem.Length > 0 ? $"{ActionItem.Length} action item(s)" : null }.Where(x => x is not null));
        var channels = Notify || NotifyChannel is not null ? Notifier.Select(env, NotifyChannel) : null;
        if (!ShouldProcess(Id is null ? $"{env.Name}: the open incident" : $"incident #{Id}", $"Update: {what}" + (channels is null ? "" : $"; notify {string.Join(", ", channels.Select(c => c.Name))} of a status change"))) return;
        var before = channels is null ? null : Run((r, ct) => Incidents.ListAsync(env, Id, false, ct)).FirstOrDefault();
        var after = Run((r, ct) => Incidents.SetAsync(env, Id, new IncidentChange
        {
            Status = Status, Steps = Step, Summary = Summary, RootCause = RootCause, Resolution = Resolution, ActionItems = ActionItem,
        }, ct));
        WriteObject(after);
        if (before is not null) SendNotice(channels, OperationNotices.StatusChanged(env, before.Status, after));
    }
}

/// <summary>Set-OpsIncident -Step: the fifteen steps of the Incident Commander Checklist.</summary>
public sealed class IncidentStepNames : IValidateSetValuesGenerator, IDescribedValues
{
    public string[] GetValidValues() => Incidents.Checklist.Select(s => s.Id).ToArray();
    public IEnumerable<KeyValuePair<string, string>> Describe() => Incidents.Checklist.Select(s => new KeyValuePair<string, string>(s.Id, s.Text));
}
