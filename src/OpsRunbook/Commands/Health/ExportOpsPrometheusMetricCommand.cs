using System.Management.Automation;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Metrics;

namespace OpsRunbook.Commands;

/// <summary>Writes health results as a Prometheus text exposition file, atomically (temp file in the same directory, then rename).</summary>
[Cmdlet(VerbsData.Export, "OpsPrometheusMetric", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(HealthCheckResult))]
public sealed class ExportOpsPrometheusMetricCommand : OpsCmdlet
{
    private readonly List<HealthCheckResult> _results = new();

    /// <summary>The .prom file to write, e.g. in node_exporter's textfile collector directory.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Results from Get-OpsHealth.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyCollection]
    public HealthCheckResult[] InputObject { get; set; } = [];

    /// <summary>Availability results from Measure-OpsAvailability, written as opsrunbook_availability_ratio{check,target,window}.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public AvailabilityResult[]? Availability { get; set; }

    /// <summary>Pass the results on down the pipeline (e.g. to Assert-OpsHealthy).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        foreach (var r in InputObject)
        {
            if (r is null) continue;
            _results.Add(r);
            if (PassThru) WriteObject(r);
        }
    }

    protected override void End()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        var text = PrometheusWriter.Format(_results, availability: Availability?.Where(a => a is not null));
        if (!ShouldProcess(path, $"Write {_results.Count} health result(s) as Prometheus metrics")) return;
        PrometheusWriter.WriteAtomic(path, text);
        Verbose($"Wrote {_results.Count} result(s) to {path}.");
    }
}
