using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Metrics;

namespace OpsRunbook.Commands;

/// <summary>Requests, error rate and P50/P95/P99 per API route and method, from the API's /metrics or a Prometheus server.</summary>
[Cmdlet(VerbsCommon.Get, "OpsApiMetric", DefaultParameterSetName = UrlSet)]
[OutputType(typeof(ApiMetric))]
public sealed class GetOpsApiMetricCommand : OpsEnvironmentCmdlet
{
    private const string UrlSet = "Url";
    private const string PrometheusSet = "Prometheus";

    /// <summary>The API's /metrics URL. Default: api.metricsUrl (or api.baseUrl + /metrics).</summary>
    [Parameter(Position = 0, ParameterSetName = UrlSet)]
    public string? Url { get; set; }

    /// <summary>A Prometheus server's URL: ask its HTTP API for the increase over -Range instead.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PrometheusSet)]
    public string? Prometheus { get; set; }

    /// <summary>The request-duration histogram.</summary>
    [Parameter]
    [ValidatePattern("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    public string Metric { get; set; } = ApiMetricReader.DefaultMetric;

    /// <summary>With -Prometheus: the window (increase over it).</summary>
    [Parameter(ParameterSetName = PrometheusSet)]
    [Duration]
    public TimeSpan Range { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Bound on the HTTP call, retries included.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    protected override void End()
    {
        if (Range <= TimeSpan.Zero) throw new OpsException(ErrorIds.InvalidTimeWindow, "-Range must be longer than zero.", Range.ToString());
        IReadOnlyList<ApiMetric> rows;
        if (ParameterSetName == PrometheusSet)
            rows = Run((_, ct) => ApiMetricReader.FromPrometheusAsync(Prometheus!, Metric, Range, Timeout, ct));
        else
        {
            var url = Url ?? Env.Api?.MetricsEndpoint()
                ?? throw new OpsException(ErrorIds.ConfigMetricsUrlMissing, $"Environment '{Env.Name}' has no api section, and no -Url was given.", Env.Name,
                    "Give -Url, or add api.metricsUrl to the config.");
            rows = Run((_, ct) => ApiMetricReader.FromUrlAsync(url, Metric, Timeout, ct));
        }
        WriteObject(rows, enumerateCollection: true);
    }
}
