namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Health area.</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId HealthCheckNotFound = new(nameof(HealthCheckNotFound), OpsErrorCategory.InvalidArgument,
        "-Check names a check family that does not exist.");
    public static readonly OpsErrorId OpsHealthCritical = new(nameof(OpsHealthCritical), OpsErrorCategory.InvalidResult,
        "Assert-OpsHealthy: at least one check is Critical.");
    public static readonly OpsErrorId OpsHealthUnknown = new(nameof(OpsHealthUnknown), OpsErrorCategory.InvalidResult,
        "Assert-OpsHealthy -FailOn Unknown: at least one check is Unknown.");
    public static readonly OpsErrorId OpsHealthWarning = new(nameof(OpsHealthWarning), OpsErrorCategory.InvalidResult,
        "Assert-OpsHealthy -FailOn Warning: at least one check is a Warning.");
    public static readonly OpsErrorId PrometheusDirectoryNotFound = new(nameof(PrometheusDirectoryNotFound), OpsErrorCategory.ObjectNotFound,
        "The directory of the .prom file does not exist.");
    public static readonly OpsErrorId PrometheusWriteFailed = new(nameof(PrometheusWriteFailed), OpsErrorCategory.WriteError,
        "The .prom file could not be written.");
    public static readonly OpsErrorId PushgatewayRejected = new(nameof(PushgatewayRejected), OpsErrorCategory.InvalidResult,
        "The Pushgateway answered the push with an error status (its reason is in the message).");
    public static readonly OpsErrorId PushgatewayTimeout = new(nameof(PushgatewayTimeout), OpsErrorCategory.OperationTimeout,
        "The Pushgateway did not take the push within the bound.");
    public static readonly OpsErrorId PushgatewayUnreachable = new(nameof(PushgatewayUnreachable), OpsErrorCategory.ConnectionError,
        "The Pushgateway could not be reached.");
    public static readonly OpsErrorId PushgatewayUrlInvalid = new(nameof(PushgatewayUrlInvalid), OpsErrorCategory.InvalidArgument,
        "-PushgatewayUrl is not an absolute http(s) URL, or a grouping label is empty.");
    public static readonly OpsErrorId QueueNotFound = new(nameof(QueueNotFound), OpsErrorCategory.ObjectNotFound,
        "A queue named in queues.names does not exist in Redis or the API.");
    public static readonly OpsErrorId QueueStatsFailed = new(nameof(QueueStatsFailed), OpsErrorCategory.ConnectionError,
        "The admin API's queue statistics could not be read.");
}
