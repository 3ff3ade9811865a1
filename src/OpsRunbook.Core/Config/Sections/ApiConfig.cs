namespace OpsRunbook.Core.Config;

/// <summary>api: baseUrl of the platform's API (admin endpoints live under it).</summary>
public sealed class ApiConfig : IValidatableConfig
{
    public string BaseUrl { get; set; } = "";
    public void Validate(ConfigValidationContext c)
    {
        if (c.Require("baseUrl", BaseUrl)) ConfigChecks.HttpUrl(c, "baseUrl", BaseUrl);
    }
    public override string ToString() => BaseUrl;
}
