namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the security checks (image scans, bucket access logging).</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId ImageScannerNotInstalled = new(nameof(ImageScannerNotInstalled), OpsErrorCategory.ObjectNotFound,
        "Invoke-OpsImageScan found no trivy on PATH and was given no -ReportPath.");
    public static readonly OpsErrorId ImageScanFailed = new(nameof(ImageScanFailed), OpsErrorCategory.InvalidResult,
        "trivy exited non-zero (image not found, registry unreachable, no vulnerability database).");
    public static readonly OpsErrorId ImageScanReportInvalid = new(nameof(ImageScanReportInvalid), OpsErrorCategory.InvalidData,
        "The trivy report is not trivy JSON (SchemaVersion 2 with Results), or cannot be read.");
    public static readonly OpsErrorId BucketLoggingNotSupported = new(nameof(BucketLoggingNotSupported), OpsErrorCategory.ResourceUnavailable,
        "The S3 store answered NotImplemented to GetBucketLogging (s3rver, some S3-compatible stores): access logging cannot be checked there.");
}
