namespace OpsRunbook.Core.Config;

/// <summary>
/// aws: costExplorerServiceUrl ('' = AWS: https://ce.us-east-1.amazonaws.com), region, accessKey, secretKey, timeoutSeconds.
/// When accessKey/secretKey are absent, the s3 section's credentials are used.
/// </summary>
public sealed class AwsConfig : IValidatableConfig
{
    public string CostExplorerServiceUrl { get; set; } = "";
    /// <summary>Cost Explorer is served from us-east-1 whatever region the platform runs in.</summary>
    public string Region { get; set; } = "us-east-1";
    public Secret AccessKey { get; set; } = Secret.None;
    public Secret SecretKey { get; set; } = Secret.None;
    public int TimeoutSeconds { get; set; } = 30;

    public void Validate(ConfigValidationContext c)
    {
        c.Require("region", Region);
        if (!string.IsNullOrEmpty(CostExplorerServiceUrl)) ConfigChecks.HttpUrl(c, "costExplorerServiceUrl", CostExplorerServiceUrl);
        if (AccessKey.IsSet != SecretKey.IsSet)
            c.Error(AccessKey.IsSet ? "secretKey" : "accessKey", "Set both accessKey and secretKey, or neither (then the s3 section's keys are used).", ConfigProblemKind.MissingKey);
        c.Positive("timeoutSeconds", TimeoutSeconds);
    }

    /// <summary>The endpoint: costExplorerServiceUrl, or AWS's own for the region.</summary>
    public string EffectiveServiceUrl => string.IsNullOrEmpty(CostExplorerServiceUrl) ? $"https://ce.{Region}.amazonaws.com" : CostExplorerServiceUrl.TrimEnd('/');

    public override string ToString() => EffectiveServiceUrl;
}
