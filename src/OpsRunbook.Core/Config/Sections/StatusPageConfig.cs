namespace OpsRunbook.Core.Config;

/// <summary>
/// statusPage: the platform's own Atlassian Statuspage (Set-OpsStatusPage, Get-OpsStatusPage). pageId, apiKey (a secret:
/// ${env:STATUSPAGE_API_KEY}), baseUrl (default https://api.statuspage.io) and timeoutSeconds (one call, retries included).
/// </summary>
public sealed class StatusPageConfig : IValidatableConfig
{
    public string PageId { get; set; } = "";
    public Secret ApiKey { get; set; } = Secret.None;
    public string BaseUrl { get; set; } = "https://api.statuspage.io";
    public int TimeoutSeconds { get; set; } = 15;

    public void Validate(ConfigValidationContext c)
    {
        c.Require("pageId", PageId);
        if (!ApiKey.IsSet) c.Error("apiKey", "statusPage needs 'apiKey' (apiKey: ${env:STATUSPAGE_API_KEY}; Statuspage > profile > API info).", ConfigProblemKind.MissingKey);
        if (!string.IsNullOrEmpty(BaseUrl)) ConfigChecks.HttpUrl(c, "baseUrl", BaseUrl);
        if (TimeoutSeconds is < 1 or > 600) c.Error("timeoutSeconds", $"'timeoutSeconds' must be 1 to 600, not {TimeoutSeconds}.", ConfigProblemKind.BadValue);
    }

    public string EffectiveBaseUrl => (string.IsNullOrEmpty(BaseUrl) ? "https://api.statuspage.io" : BaseUrl).TrimEnd('/');
    public override string ToString() => $"{EffectiveBaseUrl} page {PageId}";
}
