namespace OpsRunbook.Core.Config;

/// <summary>
/// stripe: apiKey, apiBase ('' = Stripe itself), webhookSecret, webhookUrl (the platform's endpoint, for Invoke-OpsWebhookReplay -Via Direct),
/// webhookEndpointId (we_..., for -Via Stripe), statusUrl (Statuspage v2 status.json) and timeoutSeconds (the bound of one call, retries included).
/// </summary>
public sealed class StripeConfig : IValidatableConfig
{
    public Secret ApiKey { get; set; } = Secret.None;
    public string ApiBase { get; set; } = "";
    public Secret WebhookSecret { get; set; } = Secret.None;
    public string WebhookUrl { get; set; } = "";
    public string WebhookEndpointId { get; set; } = "";
    public string StatusUrl { get; set; } = "https://status.stripe.com/api/v2/status.json";
    public int TimeoutSeconds { get; set; } = 30;

    public void Validate(ConfigValidationContext c)
    {
        if (!string.IsNullOrEmpty(ApiBase)) ConfigChecks.HttpUrl(c, "apiBase", ApiBase);
        if (!string.IsNullOrEmpty(WebhookUrl)) ConfigChecks.HttpUrl(c, "webhookUrl", WebhookUrl);
        if (!string.IsNullOrEmpty(StatusUrl)) ConfigChecks.HttpUrl(c, "statusUrl", StatusUrl);
        if (!string.IsNullOrEmpty(WebhookEndpointId) && !WebhookEndpointId.StartsWith("we_", StringComparison.Ordinal))
            c.Error("webhookEndpointId", $"'{WebhookEndpointId}' is not a webhook endpoint id: they start with we_ (Stripe Dashboard > Developers > Webhooks).");
        c.Positive("timeoutSeconds", TimeoutSeconds);
    }

    /// <summary>The API base Stripe.net talks to: apiBase, or Stripe itself.</summary>
    public string EffectiveApiBase => string.IsNullOrEmpty(ApiBase) ? "https://api.stripe.com" : ApiBase.TrimEnd('/');

    public override string ToString() => EffectiveApiBase;
}
