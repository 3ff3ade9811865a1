@{
    Synopsis    = 'Checks that S3 server access logging is on for a bucket (the backup bucket by default): GetBucketLogging, with the target bucket and prefix.'
    Description = @'
Test-OpsBucketLogging is step 3 of the runbook's "Wednesday: Security Review", `aws s3api get-bucket-logging --bucket <bucket>`, through AWSSDK.S3 with the s3 section's endpoint and keys (bounded by s3.timeoutSeconds). Without access logging nobody can tell afterwards who read or deleted a backup.

Each result says whether logging is Enabled, and where the logs go (TargetBucket, TargetPrefix). -Quiet returns only $true when logging is on for every bucket asked, else $false.

The same check is a row of Get-OpsHealth's Backup family ("<bucket> access logging"): Healthy when on, Warning when off, Unknown when it cannot be read. s3.checkAccessLogging: false leaves the row out, for S3-compatible stores without GetBucketLogging. A store that answers NotImplemented is the error BucketLoggingNotSupported here. s3rver (the sandbox's S3) is worse: it answers the request with a listing of the bucket, which reads as "logging off", so the sandbox config turns the check off and the tests use a small stand-in for that one call. Other errors: BackupBucketNotFound, BackupStorageUnavailable, BackupStorageTimeout.
'@
    Parameters  = @{
        Bucket = 'The buckets to check (from the pipeline too). Default: s3.bucket, the backup bucket.'
        Quiet  = 'Return only $true (logging is on for every bucket) or $false.'
    }
    Outputs     = @{
        'OpsRunbook.Core.Storage.BucketLoggingStatus' = 'Bucket, Enabled, TargetBucket, TargetPrefix, Endpoint, Timestamp, Duration, DurationMs.'
        'System.Boolean'                              = 'With -Quiet.'
    }
    Examples    = @(
        @{ Title = 'Is access logging on for the backup bucket?'; Code = "Test-OpsBucketLogging | Format-List Bucket, Enabled, TargetBucket, TargetPrefix"; Remarks = 'On AWS S3: whether logging is on and where the logs go. (The sandbox''s s3rver does not implement the call and always reads as off.)' }
        @{ Title = 'The Security Review step'; Code = "if (-not (Test-OpsBucketLogging -Quiet)) { Write-Warning 'S3 access logging is off on the backup bucket' }"; Run = $false; Why = 'Needs an S3 that implements GetBucketLogging; the tests use a stand-in for that call.'; Remarks = 'A warning when logging is off.' }
        @{ Title = 'Several buckets'; Code = "'backups', 'media-uploads' | Test-OpsBucketLogging | Format-Table"; Run = $false; Why = 'Needs an S3 that implements GetBucketLogging.'; Remarks = 'One row per bucket.' }
    )
    Links       = @('Get-OpsHealth', 'Get-OpsBackup')
}
