using System.Management.Automation;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Writes an incident's postmortem: Summary, Impact, Timeline, Root cause, Resolution, Action items and the checklist with times.</summary>
[Cmdlet(VerbsData.Export, "OpsIncidentReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string), typeof(FileInfo))]
public sealed class ExportOpsIncidentReportCommand : OpsEnvironmentCmdlet
{
    /// <summary>The incident; default the most recent open one.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public long? Id { get; set; }

    /// <summary>Markdown or Html.</summary>
    [Parameter]
    [ValidateSet("Markdown", "Html")]
    public string Format { get; set; } = "Markdown";

    /// <summary>Write the report to this file (and return it) instead of returning the text.</summary>
    [Parameter]
    [Alias("PSPath")]
    public string? Path { get; set; }

    protected override void Process()
    {
        var env = Env;
        var (incident, health) = Run(async (r, ct) =>
        {
            var i = (await Incidents.ListAsync(env, Id, all: true, ct).ConfigureAwait(false))[0];
            return (i, await Incidents.HealthImpactAsync(env, i, ct).ConfigureAwait(false));
        });
        var text = Incidents.Report(incident, health, Format);
        if (Path is null) { WriteObject(text); return; }
        var file = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(file, $"Write the {Format} report of incident #{incident.Id}")) return;
        File.WriteAllText(file, text);
        WriteObject(new FileInfo(file));
    }
}
