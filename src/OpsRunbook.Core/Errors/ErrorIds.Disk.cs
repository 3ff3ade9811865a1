namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Disk area.</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId CleanupDirectoryUnreadable = new(nameof(CleanupDirectoryUnreadable), OpsErrorCategory.PermissionDenied,
        "A directory under a cleanup root cannot be read.");
    public static readonly OpsErrorId CleanupFileFailed = new(nameof(CleanupFileFailed), OpsErrorCategory.WriteError,
        "A file of a cleanup policy could not be checked, deleted or truncated.");
    public static readonly OpsErrorId CleanupFileVanished = new(nameof(CleanupFileVanished), OpsErrorCategory.ObjectNotFound,
        "A file of a cleanup policy vanished before it was acted on.");
    public static readonly OpsErrorId CleanupNotConfigured = new(nameof(CleanupNotConfigured), OpsErrorCategory.ObjectNotFound,
        "No cleanup policies are configured and there is no logs.directory for the default.");
    public static readonly OpsErrorId CleanupPolicyNotFound = new(nameof(CleanupPolicyNotFound), OpsErrorCategory.ObjectNotFound,
        "-Policy names a cleanup policy that is not in the config.");
    public static readonly OpsErrorId CleanupRootForbidden = new(nameof(CleanupRootForbidden), OpsErrorCategory.SecurityError,
        "A cleanup root is /, a system path or otherwise not allowed.");
    public static readonly OpsErrorId CleanupRootNotFound = new(nameof(CleanupRootNotFound), OpsErrorCategory.ObjectNotFound,
        "A cleanup root directory does not exist.");
    public static readonly OpsErrorId CleanupTargetNotAllowed = new(nameof(CleanupTargetNotAllowed), OpsErrorCategory.SecurityError,
        "A piped file is not a candidate of any configured cleanup policy.");
    public static readonly OpsErrorId DockerPruneFailed = new(nameof(DockerPruneFailed), OpsErrorCategory.WriteError,
        "A Docker Engine prune call failed.");
    public static readonly OpsErrorId InvalidTop = new(nameof(InvalidTop), OpsErrorCategory.InvalidArgument,
        "-Top must be a positive number.");
    public static readonly OpsErrorId JournalVacuumFailed = new(nameof(JournalVacuumFailed), OpsErrorCategory.WriteError,
        "journalctl --vacuum-time failed.");
    public static readonly OpsErrorId JournalctlNotFound = new(nameof(JournalctlNotFound), OpsErrorCategory.NotInstalled,
        "journalctl is not installed, so the journal step cannot run.");
    public static readonly OpsErrorId NotADirectory = new(nameof(NotADirectory), OpsErrorCategory.InvalidArgument,
        "The path given must be a directory.");
    public static readonly OpsErrorId CleanupFileChanged = new(nameof(CleanupFileChanged), OpsErrorCategory.InvalidOperation,
        "A cleanup file changed since it was listed (newer, another file, another filesystem) and was left alone.");
    public static readonly OpsErrorId DockerUnavailable = new(nameof(DockerUnavailable), OpsErrorCategory.ConnectionError,
        "The Docker Engine API (diskEmergency.dockerEndpoint) did not answer or failed.");
    public static readonly OpsErrorId DockerTimeout = new(nameof(DockerTimeout), OpsErrorCategory.OperationTimeout,
        "The Docker Engine API (diskEmergency.dockerEndpoint) did not answer within diskEmergency.stepTimeoutSeconds.");
}
