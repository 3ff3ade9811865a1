namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Systems area.</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId DiskStatFailed = new(nameof(DiskStatFailed), OpsErrorCategory.ReadError,
        "statvfs failed on a path.");
    public static readonly OpsErrorId PathNotFound = new(nameof(PathNotFound), OpsErrorCategory.ObjectNotFound,
        "The path does not exist or cannot be resolved.");
    public static readonly OpsErrorId ProcessTimeout = new(nameof(ProcessTimeout), OpsErrorCategory.OperationTimeout,
        "An outside tool (journalctl, pg_dump, pg_restore, systemctl) did not finish within its bound and was stopped; the message names the tool and the setting.");
}
