namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Payments area: Stripe, webhook replay, cost review (Cost Explorer and cost_tracking).</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId StripeAuthenticationFailed = new(nameof(StripeAuthenticationFailed), OpsErrorCategory.AuthenticationError,
        "Stripe refused the API key in stripe.apiKey (401): it is wrong, revoked or from another account.");
    public static readonly OpsErrorId StripeKeyMissing = new(nameof(StripeKeyMissing), OpsErrorCategory.InvalidArgument,
        "stripe.apiKey (or stripe.webhookSecret for a direct replay) is not set.");
    public static readonly OpsErrorId StripeEventNotFound = new(nameof(StripeEventNotFound), OpsErrorCategory.ObjectNotFound,
        "Stripe has no event with that id (404 resource_missing): a typo, another account, or older than Stripe's 30 days.");
    public static readonly OpsErrorId StripeRateLimited = new(nameof(StripeRateLimited), OpsErrorCategory.ResourceUnavailable,
        "Stripe kept answering 429 Too Many Requests after the retries that fit in the bound.");
    public static readonly OpsErrorId StripeApiError = new(nameof(StripeApiError), OpsErrorCategory.InvalidResult,
        "Stripe answered with an error; the message carries Stripe's type, code and text.");
    public static readonly OpsErrorId StripeTimeout = new(nameof(StripeTimeout), OpsErrorCategory.OperationTimeout,
        "The Stripe API did not answer within stripe.timeoutSeconds (retries included).");
    public static readonly OpsErrorId StripeUnreachable = new(nameof(StripeUnreachable), OpsErrorCategory.ConnectionError,
        "The Stripe API (stripe.apiBase) could not be reached.");
    public static readonly OpsErrorId StripeStatusUnavailable = new(nameof(StripeStatusUnavailable), OpsErrorCategory.ConnectionError,
        "Stripe's status page (stripe.statusUrl) could not be read or did not answer in Statuspage v2 JSON.");
    public static readonly OpsErrorId StripeEventTooOld = new(nameof(StripeEventTooOld), OpsErrorCategory.InvalidArgument,
        "An event list reached further back than the 30 days Stripe keeps events for (a warning, not an error, in Get-OpsStripeEvent).");
    public static readonly OpsErrorId WebhookConfigMissing = new(nameof(WebhookConfigMissing), OpsErrorCategory.InvalidArgument,
        "A replay needs stripe.webhookUrl and stripe.webhookSecret (-Via Direct) or stripe.webhookEndpointId (-Via Stripe).");
    public static readonly OpsErrorId WebhookLedgerUnavailable = new(nameof(WebhookLedgerUnavailable), OpsErrorCategory.WriteError,
        "The replay ledger in the state store cannot be written (read-only file, locked, missing directory): nothing was sent.");
    public static readonly OpsErrorId CostMonthInvalid = new(nameof(CostMonthInvalid), OpsErrorCategory.InvalidArgument,
        "-Month is not a month in the form yyyy-MM (2026-11).");
    public static readonly OpsErrorId AwsCredentialsMissing = new(nameof(AwsCredentialsMissing), OpsErrorCategory.InvalidArgument,
        "Neither aws.accessKey/secretKey nor s3.accessKey/secretKey are set.");
    public static readonly OpsErrorId AwsCostExplorerError = new(nameof(AwsCostExplorerError), OpsErrorCategory.InvalidResult,
        "Cost Explorer answered with an error (AccessDenied, DataUnavailable, LimitExceeded...); the message carries its __type and text.");
    public static readonly OpsErrorId AwsCostExplorerTimeout = new(nameof(AwsCostExplorerTimeout), OpsErrorCategory.OperationTimeout,
        "Cost Explorer did not answer within aws.timeoutSeconds (retries included).");
}
