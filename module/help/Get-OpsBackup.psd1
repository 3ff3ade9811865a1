@{
    Synopsis    = 'Lists the PostgreSQL backups in S3 newest first, with their manifests, or summarises the backup and media prefixes.'
    Description = @'
Get-OpsBackup lists the .dump objects under the environment's s3.postgresPrefix (the key layout is described in Backup-OpsDatabase's help), newest first, paging through ListObjectsV2 continuation tokens over any number of objects. Each BackupInfo has Key, Bucket, Database, Time (from the key, UTC), Age, SizeBytes, LastModified, ManifestKey and the Manifest (row counts, sha256) when there is one.

With -Summary it returns, for s3.postgresPrefix and s3.mediaPrefix, the object count, total bytes and newest object, as `aws s3 ls --recursive --summarize` does.

Objects under the prefix that do not follow the key layout are skipped (see -Verbose). An unreachable S3 gives BackupStorageUnavailable; a missing bucket BackupBucketNotFound.
'@
    Parameters  = @{
        Environment = @{ Description = 'The environment whose s3 section is used.'; Default = "The file's defaultEnvironment" }
        ConfigPath  = @{ Description = 'The config file to read.'; Default = '$env:OPSRUNBOOK_CONFIG, ./ops.yaml, ~/.config/opsrunbook/ops.yaml' }
        Database    = @{ Description = 'Only this database''s backups (lists only <postgresPrefix><database>/).'; Default = 'Every database' }
        Latest      = @{ Description = 'Only the newest N backups.'; Default = 'All' }
        NoManifest  = 'Do not read the manifests (one GET per backup), for a quick listing of many backups.'
        Summary     = 'Return object count, total bytes and newest object under s3.postgresPrefix and s3.mediaPrefix instead of the backups.'
        PageSize    = @{ Description = 'Objects per ListObjectsV2 request (MaxKeys), 1-1000.'; Default = '1000' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Backup.BackupInfo'           = 'One per backup, newest first.'
        'OpsRunbook.Core.Backup.BackupStorageSummary' = 'With -Summary: one per prefix.'
    }
    Examples    = @(
        @{
            Title   = 'The latest backups'
            Code    = 'Get-OpsBackup -Latest 5'
            Remarks = 'Time, age, database, size, tables and rows of the five newest backups.'
        }
        @{
            Title   = 'One database, with row counts from the manifests'
            Code    = 'Get-OpsBackup -Database app | Select-Object Key, SizeBytes, @{ n = ''Rows''; e = { $_.Manifest.TotalRows } }'
            Remarks = 'Keys and row totals of every backup of app.'
        }
        @{
            Title   = 'Summarise the bucket, as aws s3 ls --summarize does'
            Code    = 'Get-OpsBackup -Summary'
            Remarks = 'Objects and total size under the postgres and media prefixes.'
        }
    )
    Notes       = 'Pipe into Test-BackupRestore to prove a backup, or into Remove-OpsBackup to remove it.'
    Links       = @('Backup-OpsDatabase', 'Test-BackupRestore', 'Remove-OpsBackup', 'Test-OpsBackupFreshness')
}
