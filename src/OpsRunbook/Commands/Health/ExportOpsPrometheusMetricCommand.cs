using System.Collections;
using System.Management.Automation;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Metrics;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Commands;

/// <summary>
/// Writes health results as a Prometheus text exposition file, atomically (temp file in the same directory, then rename),
/// or pushes them to a Pushgateway under grouping labels job and instance.
/// </summary>
[Cmdlet(VerbsData.Export, "OpsPrometheusMetric", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = nameof(Path))]
[OutputType(typeof(HealthCheckResult))]
[OutputType(typeof(PushgatewayPush), ParameterSetName = [nameof(PushgatewayUrl)])]
public sealed class ExportOpsPrometheusMetricCommand : OpsCmdlet
{
    private readonly List<HealthCheckResult> _results = new();

    /// <summary>The .prom file to write, e.g. in node_exporter's textfile collector directory.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = nameof(Path))]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The Pushgateway's base URL (http://pushgateway:9091): the results replace the group job/instance there.</summary>
    [Parameter(Mandatory = true, ParameterSetName = nameof(PushgatewayUrl))]
    [ValidateNotNullOrEmpty]
    public string PushgatewayUrl { get; set; } = "";

    /// <summary>The job grouping label of the push.</summary>
    [Parameter(ParameterSetName = nameof(PushgatewayUrl))]
    [ValidateNotNullOrEmpty]
    public string Job { get; set; } = "opsrunbook";

    /// <summary>The instance grouping label of the push; default: this host's name.</summary>
    [Parameter(ParameterSetName = nameof(PushgatewayUrl))]
    [ValidateNotNullOrEmpty]
    public string? Instance { get; set; }

    /// <summary>More grouping labels (name = value), after job and instance.</summary>
    [Parameter(ParameterSetName = nameof(PushgatewayUrl))]
    public Hashtable? GroupingLabel { get; set; }

    /// <summary>The bound on the push, retries included.</summary>
    [Parameter(ParameterSetName = nameof(PushgatewayUrl))]
    [ValidateRange(0.1, 3600)]
    public double TimeoutSeconds { get; set; } = 10;

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
        var text = PrometheusWriter.Format(_results, availability: Availability?.Where(a => a is not null));
        if (ParameterSetName == nameof(PushgatewayUrl))
        {
            var instance = Instance ?? HostIdentity.ComputerName;
            var extra = GroupingLabel?.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, string>(e.Key?.ToString() ?? "", e.Value?.ToString() ?? "")).ToList();
            var target = Core.Metrics.Pushgateway.GroupUrl(PushgatewayUrl, Job, [new("instance", instance), .. extra ?? []]);
            if (!ShouldProcess(Core.Net.OpsHttp.Redact(target), $"Push {_results.Count} health result(s) to the Pushgateway, replacing the group")) return;
            var push = Run((_, ct) => Core.Metrics.Pushgateway.PushAsync(PushgatewayUrl, Job, instance, extra, text, _results.Count, TimeSpan.FromSeconds(TimeoutSeconds), ct));
            Verbose($"Pushed {_results.Count} result(s) to {push.Url}.");
            if (!PassThru) WriteObject(push);
            return;
        }
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(path, $"Write {_results.Count} health result(s) as Prometheus metrics")) return;
        PrometheusWriter.WriteAtomic(path, text);
        Verbose($"Wrote {_results.Count} result(s) to {path}.");
    }
}
