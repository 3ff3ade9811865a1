namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Backup area.</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId BackupBucketNotFound = new(nameof(BackupBucketNotFound), OpsErrorCategory.ObjectNotFound,
        "The S3 bucket in s3.bucket does not exist.");
    public static readonly OpsErrorId BackupDownloadFailed = new(nameof(BackupDownloadFailed), OpsErrorCategory.ConnectionError,
        "A backup could not be downloaded from S3.");
    public static readonly OpsErrorId BackupDumpFailed = new(nameof(BackupDumpFailed), OpsErrorCategory.InvalidOperation,
        "pg_dump failed; the message carries its error output.");
    public static readonly OpsErrorId BackupFileExists = new(nameof(BackupFileExists), OpsErrorCategory.ResourceExists,
        "Backup-OpsDatabase -Path names a file that already exists.");
    public static readonly OpsErrorId BackupNotFound = new(nameof(BackupNotFound), OpsErrorCategory.ObjectNotFound,
        "The backup named does not exist in the bucket.");
    public static readonly OpsErrorId BackupRemoveFailed = new(nameof(BackupRemoveFailed), OpsErrorCategory.WriteError,
        "A backup object could not be deleted from S3.");
    public static readonly OpsErrorId BackupWriteFailed = new(nameof(BackupWriteFailed), OpsErrorCategory.WriteError,
        "The dump could not be written (upload or local file).");
    public static readonly OpsErrorId PgToolNotFound = new(nameof(PgToolNotFound), OpsErrorCategory.NotInstalled,
        "pg_dump or pg_restore was not found (backup.pgBinDirectory, $OPSRUNBOOK_PG_BIN, PATH).");
    public static readonly OpsErrorId RestoreProductionRefused = new(nameof(RestoreProductionRefused), OpsErrorCategory.PermissionDenied,
        "Test-BackupRestore refuses to restore into a production environment without -AllowProduction.");
    public static readonly OpsErrorId RestoreScratchDropFailed = new(nameof(RestoreScratchDropFailed), OpsErrorCategory.InvalidOperation,
        "The scratch database of a restore test could not be dropped.");
    public static readonly OpsErrorId BackupUploadFailed = new(nameof(BackupUploadFailed), OpsErrorCategory.WriteError,
        "The dump could not be uploaded to S3.");
    public static readonly OpsErrorId BackupStorageUnavailable = new(nameof(BackupStorageUnavailable), OpsErrorCategory.ConnectionError,
        "S3 (s3.serviceUrl) could not be reached or answered an error.");
    public static readonly OpsErrorId BackupChecksumMismatch = new(nameof(BackupChecksumMismatch), OpsErrorCategory.InvalidData,
        "The downloaded dump's SHA-256 differs from the manifest: the backup is damaged.");
    public static readonly OpsErrorId BackupCorrupt = new(nameof(BackupCorrupt), OpsErrorCategory.InvalidData,
        "pg_restore cannot read the dump.");
    public static readonly OpsErrorId RestoreFailed = new(nameof(RestoreFailed), OpsErrorCategory.InvalidOperation,
        "The scratch database could not be created or pg_restore failed.");
    public static readonly OpsErrorId RestoreVerificationFailed = new(nameof(RestoreVerificationFailed), OpsErrorCategory.InvalidData,
        "Restored row counts differ from the backup manifest.");
    public static readonly OpsErrorId BackupStorageTimeout = new(nameof(BackupStorageTimeout), OpsErrorCategory.OperationTimeout,
        "S3 (s3.serviceUrl) did not answer within s3.timeoutSeconds, retries included; the message names the endpoint.");
    public static readonly OpsErrorId BackupPathIsDirectory = new(nameof(BackupPathIsDirectory), OpsErrorCategory.InvalidArgument,
        "Backup-OpsDatabase -Path names an existing directory, not a dump file.");
    public static readonly OpsErrorId RestoreDiskSpaceLow = new(nameof(RestoreDiskSpaceLow), OpsErrorCategory.ResourceUnavailable,
        "Test-BackupRestore stopped before downloading: the dump plus the restored database (estimated from the manifest) do not fit in the free disk; the message names the filesystem, the need and what is free.");
}
