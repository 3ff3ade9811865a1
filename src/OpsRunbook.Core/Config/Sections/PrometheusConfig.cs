namespace OpsRunbook.Core.Config;

/// <summary>prometheus: url of the Prometheus server (its HTTP API answers under url/api/v1/).</summary>
public sealed class PrometheusConfig : IValidatableConfig
{
    public string Url { get; set; } = "";
    public void Validate(ConfigValidationContext c)
    {
        if (c.Require("url", Url)) ConfigChecks.HttpUrl(c, "url", Url);
    }
    public override string ToString() => Url;
}
