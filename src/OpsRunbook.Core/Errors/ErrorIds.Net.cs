namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the shared HTTP client (Net/OpsHttp); callers may name their own instead.</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId HttpTimeout = new(nameof(HttpTimeout), OpsErrorCategory.OperationTimeout,
        "An HTTP endpoint did not answer within its bound (retries included); the message names it.");
    public static readonly OpsErrorId HttpUnreachable = new(nameof(HttpUnreachable), OpsErrorCategory.ConnectionError,
        "An HTTP endpoint refused the connection or could not be resolved, on every attempt.");
}
