namespace OpsRunbook.Core.Errors;

/// <summary>
/// Mirrors the names of System.Management.Automation.ErrorCategory that OpsRunbook uses, so the
/// core stays PowerShell-free. The cmdlet layer maps by name.
/// </summary>
public enum OpsErrorCategory
{
    NotSpecified,
    ObjectNotFound,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ParserError,
    ConnectionError,
    AuthenticationError,
    PermissionDenied,
    ResourceUnavailable,
    OperationTimeout,
    OperationStopped,
    NotInstalled,
    SecurityError,
    ReadError,
    WriteError,
    ResourceExists,
    DeviceError,
}

/// <summary>
/// The one exception type the core throws for anything a user can act on. ErrorId is stable
/// (tests assert it through FullyQualifiedErrorId); the message says what failed, and
/// RecommendedAction says how to fix it.
/// </summary>
public class OpsException : Exception
{
    public OpsException(string errorId, OpsErrorCategory category, string message,
        object? target = null, string? recommendedAction = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
        RecommendedAction = recommendedAction;
    }

    public string ErrorId { get; }
    public OpsErrorCategory Category { get; }
    public object? Target { get; }
    public string? RecommendedAction { get; }
}
