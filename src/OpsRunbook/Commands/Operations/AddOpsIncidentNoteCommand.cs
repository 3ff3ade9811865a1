using System.Management.Automation;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Adds a timeline entry to an incident; piped objects are attached as evidence (their rows as JSON).</summary>
[Cmdlet(VerbsCommon.Add, "OpsIncidentNote", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Incident))]
public sealed class AddOpsIncidentNoteCommand : OpsEnvironmentCmdlet
{
    private readonly List<object> _evidence = new();

    /// <summary>The note.</summary>
    [Parameter(Position = 0)]
    public string? Text { get; set; }

    /// <summary>The incident; default the most recent open one.</summary>
    [Parameter]
    public long? Id { get; set; }

    /// <summary>Evidence: any objects (Get-OpsHealth results, log lines...), stored as JSON rows.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Return the incident.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        if (InputObject is not null) _evidence.Add(InputObject);
    }

    protected override void End()
    {
        if (string.IsNullOrWhiteSpace(Text) && _evidence.Count == 0)
            throw new Core.Errors.OpsException(Core.Errors.ErrorIds.IncidentNoteEmpty, "Give -Text, pipe evidence into it, or both.", null);
        string? json = null;
        if (_evidence.Count > 0)
        {
            // ConvertTo-Json: what a person would see of the rows, every property, timestamps as ISO 8601.
            using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            json = ps.AddCommand("ConvertTo-Json").AddParameter("InputObject", _evidence.ToArray()).AddParameter("Depth", 4).AddParameter("Compress")
                .AddParameter("WarningAction", ActionPreference.SilentlyContinue).Invoke<string>().FirstOrDefault();
        }
        var kinds = _evidence.Select(e => (e as PSObject)?.BaseObject.GetType().Name ?? e.GetType().Name).Distinct().ToList();
        var text = string.IsNullOrWhiteSpace(Text) ? $"Evidence: {_evidence.Count} {string.Join("/", kinds)} row(s)" : Text!;
        var env = Env;
        if (!ShouldProcess(Id is null ? $"{env.Name}: the open incident" : $"incident #{Id}", $"Add a note{(_evidence.Count > 0 ? $" with {_evidence.Count} evidence row(s)" : "")}")) return;
        var incident = Run((r, ct) => Incidents.AddNoteAsync(env, Id, Core.Security.SecretScrubber.Scrub(text), json is null ? null : Core.Security.SecretScrubber.Scrub(json), _evidence.Count, null, ct));
        if (PassThru) WriteObject(incident);
    }
}
