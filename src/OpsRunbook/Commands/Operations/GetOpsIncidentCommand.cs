using System.Management.Automation;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>The open incidents (or one, or all), with their timeline and checklist.</summary>
[Cmdlet(VerbsCommon.Get, "OpsIncident")]
[OutputType(typeof(Incident))]
public sealed class GetOpsIncidentCommand : OpsEnvironmentCmdlet
{
    /// <summary>Only this incident.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public long? Id { get; set; }

    /// <summary>Resolved incidents too, newest first.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    protected override void Process()
    {
        var env = Env;
        WriteObject(Run((r, ct) => Incidents.ListAsync(env, Id, All, ct)), enumerateCollection: true);
    }
}
