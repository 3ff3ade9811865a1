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
