namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Performance area (Redis INFO and SLOWLOG, API metrics, Prometheus, KPIs, alerts).</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId MetricsParseFailed = new(nameof(MetricsParseFailed), OpsErrorCategory.ParserError,
        "The metrics text is not in the Prometheus text exposition format; the message names the line.");
    public static readonly OpsErrorId MetricNotFound = new(nameof(MetricNotFound), OpsErrorCategory.ObjectNotFound,
        "The metrics endpoint or Prometheus server has no histogram of that name.");
    public static readonly OpsErrorId MetricsUnreachable = new(nameof(MetricsUnreachable), OpsErrorCategory.ConnectionError,
        "The API's /metrics endpoint could not be reached or answered an error status.");
    public static readonly OpsErrorId MetricsTimeout = new(nameof(MetricsTimeout), OpsErrorCategory.OperationTimeout,
        "The API's /metrics endpoint did not answer within the bound.");
    public static readonly OpsErrorId MetricsUrlInvalid = new(nameof(MetricsUrlInvalid), OpsErrorCategory.InvalidArgument,
        "The metrics or Prometheus URL is not an absolute http(s) URL.");
    public static readonly OpsErrorId ConfigMetricsUrlMissing = new(nameof(ConfigMetricsUrlMissing), OpsErrorCategory.InvalidData,
        "No -Url and no api.metricsUrl (or api.baseUrl) in the config.", isConfig: true);
    public static readonly OpsErrorId PrometheusUnreachable = new(nameof(PrometheusUnreachable), OpsErrorCategory.ConnectionError,
        "The Prometheus server could not be reached.");
    public static readonly OpsErrorId PrometheusTimeout = new(nameof(PrometheusTimeout), OpsErrorCategory.OperationTimeout,
        "The Prometheus server did not answer within the bound.");
    public static readonly OpsErrorId PrometheusQueryFailed = new(nameof(PrometheusQueryFailed), OpsErrorCategory.InvalidOperation,
        "The Prometheus server refused the query or answered something that is not its HTTP API.");
    public static readonly OpsErrorId RedisCommandTimeout = new(nameof(RedisCommandTimeout), OpsErrorCategory.OperationTimeout,
        "Redis did not answer INFO or SLOWLOG within the bound.");
}

public static partial class ErrorIds
{
    public static readonly OpsErrorId RulesFileExists = new(nameof(RulesFileExists), OpsErrorCategory.InvalidOperation,
        "Export-OpsAlertRule does not overwrite an existing rules file without -Force.");
}

public static partial class ErrorIds
{
    public static readonly OpsErrorId ReportFileExists = new(nameof(ReportFileExists), OpsErrorCategory.InvalidOperation,
        "New-OpsReport does not replace an existing file without -Force.");
}
