namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Systems area.</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId DiskStatFailed = new(nameof(DiskStatFailed), OpsErrorCategory.ReadError,
        "statvfs failed on a path.");
    public static readonly OpsErrorId PathNotFound = new(nameof(PathNotFound), OpsErrorCategory.ObjectNotFound,
        "The path does not exist or cannot be resolved.");
}
