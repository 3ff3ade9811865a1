namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of notifications (Send-OpsNotification) and the status page.</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId NotificationChannelNotFound = new(nameof(NotificationChannelNotFound), OpsErrorCategory.ObjectNotFound,
        "-Channel names no channel of the environment's notifications: section.");
    public static readonly OpsErrorId NotificationFailed = new(nameof(NotificationFailed), OpsErrorCategory.InvalidResult,
        "A notification channel refused the message (an HTTP error after retries, an SMTP error) or could not be reached.");
    public static readonly OpsErrorId NotificationTimeout = new(nameof(NotificationTimeout), OpsErrorCategory.OperationTimeout,
        "A notification channel did not take the message within notifications.timeoutSeconds (retries included).");
    public static readonly OpsErrorId NotificationTemplateInvalid = new(nameof(NotificationTemplateInvalid), OpsErrorCategory.InvalidData,
        "An http channel's template does not make valid JSON once filled in.");
}

public static partial class ErrorIds
{
    public static readonly OpsErrorId StatusPageAuthenticationFailed = new(nameof(StatusPageAuthenticationFailed), OpsErrorCategory.AuthenticationError,
        "Statuspage refused statusPage.apiKey (401/403).");
    public static readonly OpsErrorId StatusPageNotFound = new(nameof(StatusPageNotFound), OpsErrorCategory.ObjectNotFound,
        "Statuspage has no page statusPage.pageId, or the incident linked to an open incident or window is gone (404).");
    public static readonly OpsErrorId StatusPageComponentNotFound = new(nameof(StatusPageComponentNotFound), OpsErrorCategory.ObjectNotFound,
        "-Component names no component of the status page (by name or id).");
    public static readonly OpsErrorId StatusPageFailed = new(nameof(StatusPageFailed), OpsErrorCategory.InvalidResult,
        "Statuspage answered an error (4xx other than 401/404, or 5xx after retries).");
    public static readonly OpsErrorId StatusPageTimeout = new(nameof(StatusPageTimeout), OpsErrorCategory.OperationTimeout,
        "Statuspage did not answer within statusPage.timeoutSeconds (retries included), or could not be reached.");
}
