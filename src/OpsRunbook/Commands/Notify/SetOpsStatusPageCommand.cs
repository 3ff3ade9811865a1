using System.Management.Automation;
using OpsRunbook.Core.Notify;

namespace OpsRunbook.Commands;

/// <summary>
/// Sets components of the platform's Atlassian Statuspage to a status and, with a message or an open incident or maintenance
/// window, posts to the status-page incident linked to it.
/// </summary>
[Cmdlet(VerbsCommon.Set, "OpsStatusPage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StatusPageComponent))]
public sealed class SetOpsStatusPageCommand : OpsEnvironmentCmdlet
{
    /// <summary>The status to show.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public StatusPageStatus Status { get; set; }

    /// <summary>Components by name or id; default: every component of the page.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string[]? Component { get; set; }

    /// <summary>The update's text, posted to the linked status-page incident.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Message { get; set; }

    private readonly List<string> _components = new();
    private bool _all;

    protected override void Process()
    {
        if (Component is null) _all = true; else _components.AddRange(Component);
    }

    protected override void End()
    {
        var names = _all || _components.Count == 0 ? null : _components.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var cfg = Env.StatusPage;
        var target = $"status page {cfg?.PageId} ({(names is null ? "every component" : string.Join(", ", names))})";
        if (!ShouldProcess(target, $"Set {Status}{(Message is null ? "" : $" and post '{Message}'")}")) return;
        WriteObject(Run((r, ct) => StatusPage.SetAsync(Env, Status, names, Message, r, ct)), enumerateCollection: true);
    }
}
