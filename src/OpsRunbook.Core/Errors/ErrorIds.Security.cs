namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Security area (certificates, login history, sudo events).</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId CertificateUnreachable = new(nameof(CertificateUnreachable), OpsErrorCategory.ConnectionError,
        "Test-OpsCertificate could not connect to a target, or the TLS handshake failed or did not finish within the bound (certificates.timeoutSeconds).");
    public static readonly OpsErrorId CertificateFileInvalid = new(nameof(CertificateFileInvalid), OpsErrorCategory.InvalidData,
        "A certificate file (-Path, certificates.paths or caFile) is missing or holds no PEM certificate.");
    public static readonly OpsErrorId CertificateThresholdsInvalid = new(nameof(CertificateThresholdsInvalid), OpsErrorCategory.InvalidArgument,
        "-CriticalDays is more than -WarnDays.");
    public static readonly OpsErrorId LoginHistoryUnreadable = new(nameof(LoginHistoryUnreadable), OpsErrorCategory.ReadError,
        "The wtmp file could not be read, or is not a file of utmp records (its size is not a multiple of 384 bytes).");
}

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

/// <summary>Error ids of the dependency audit (npm audit).</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId NpmNotInstalled = new(nameof(NpmNotInstalled), OpsErrorCategory.NotInstalled,
        "Invoke-OpsDependencyAudit found no npm on PATH and was given no -ReportPath.");
    public static readonly OpsErrorId DependencyAuditUnavailable = new(nameof(DependencyAuditUnavailable), OpsErrorCategory.ConnectionError,
        "npm audit could not get advisories: the registry was unreachable or answered the audit request with an error (a mirror without the audit endpoint answers 404 or 405).");
    public static readonly OpsErrorId DependencyAuditNoLockfile = new(nameof(DependencyAuditNoLockfile), OpsErrorCategory.ObjectNotFound,
        "The directory given to Invoke-OpsDependencyAudit does not exist, has no package.json, or has no package-lock.json / npm-shrinkwrap.json for npm audit.");
    public static readonly OpsErrorId DependencyAuditFailed = new(nameof(DependencyAuditFailed), OpsErrorCategory.InvalidResult,
        "npm audit failed for another reason (a broken package.json, an npm without --json reports); the message carries npm's error.");
    public static readonly OpsErrorId DependencyAuditReportInvalid = new(nameof(DependencyAuditReportInvalid), OpsErrorCategory.InvalidData,
        "The saved report is not npm audit JSON (auditReportVersion 2), cannot be read, or records a failed audit.");
}
