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
    InvalidResult,
}

/// <summary>
/// The one exception type the core throws for anything a user can act on. Its id comes from the
/// ErrorIds catalogue and is stable
/// (tests assert it through FullyQualifiedErrorId); the message says what failed, and
/// RecommendedAction says how to fix it.
/// </summary>
public class OpsException : Exception
{
    public OpsException(OpsErrorId id, string message, object? target = null, string? recommendedAction = null, Exception? inner = null)
        : base(message, inner)
    {
        Id = id;
        Target = target;
        RecommendedAction = recommendedAction;
    }

    /// <summary>The catalogue entry (ErrorIds).</summary>
    public OpsErrorId Id { get; }
    /// <summary>The stable id's name, as FullyQualifiedErrorId starts with it.</summary>
    public string ErrorId => Id.Name;
    public OpsErrorCategory Category => Id.Category;
    /// <summary>True when the config (file or environment) is what is wrong.</summary>
    public bool IsConfigError => Id.IsConfig;
    public object? Target { get; }
    public string? RecommendedAction { get; }
}
