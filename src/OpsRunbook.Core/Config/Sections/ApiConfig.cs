namespace OpsRunbook.Core.Config;

/// <summary>api: baseUrl of the platform's API (admin endpoints live under it).</summary>
public sealed class ApiConfig : IValidatableConfig
{
    public string BaseUrl { get; set; } = "";
    /// <summary>metricsUrl: the API's Prometheus /metrics endpoint (default: baseUrl + /metrics).</summary>
    public string? MetricsUrl { get; set; }
    public void Validate(ConfigValidationContext c)
    {
        if (c.Require("baseUrl", BaseUrl)) ConfigChecks.HttpUrl(c, "baseUrl", BaseUrl);
        if (!string.IsNullOrEmpty(MetricsUrl)) ConfigChecks.HttpUrl(c, "metricsUrl", MetricsUrl);
    }
    /// <summary>metricsUrl, or baseUrl + /metrics.</summary>
    public string MetricsEndpoint() => !string.IsNullOrEmpty(MetricsUrl) ? MetricsUrl : BaseUrl.TrimEnd('/') + "/metrics";
    public override string ToString() => BaseUrl;
}
