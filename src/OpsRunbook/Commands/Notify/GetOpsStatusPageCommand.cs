using System.Management.Automation;
using OpsRunbook.Core.Notify;

namespace OpsRunbook.Commands;

/// <summary>The platform's Atlassian Statuspage: its components and their status, or (-Incident) its unresolved incidents with what they are linked to.</summary>
[Cmdlet(VerbsCommon.Get, "OpsStatusPage", DefaultParameterSetName = "Components")]
[OutputType(typeof(StatusPageComponent), ParameterSetName = new[] { "Components" })]
[OutputType(typeof(StatusPageIncident), ParameterSetName = new[] { "Incidents" })]
public sealed class GetOpsStatusPageCommand : OpsEnvironmentCmdlet
{
    /// <summary>Only these components (by name or id, wildcards allowed).</summary>
    [Parameter(Position = 0, ParameterSetName = "Components")]
    [ValidateNotNullOrEmpty]
    public string[]? Component { get; set; }

    /// <summary>The page's unresolved incidents and maintenances instead of its components.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Incidents")]
    public SwitchParameter Incident { get; set; }

    protected override void Process()
    {
        if (Incident)
        {
            WriteObject(Run((r, ct) => StatusPage.GetOpenIncidentsAsync(Env, ct)), enumerateCollection: true);
            return;
        }
        var all = Run((r, ct) => StatusPage.GetComponentsAsync(Env, ct));
        if (Component is null) { WriteObject(all, enumerateCollection: true); return; }
        var patterns = Component.Select(c => new WildcardPattern(c, WildcardOptions.IgnoreCase)).ToList();
        WriteObject(all.Where(c => patterns.Any(p => p.IsMatch(c.Name) || p.IsMatch(c.Id))), enumerateCollection: true);
    }
}
