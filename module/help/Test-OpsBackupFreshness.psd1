@{
    Synopsis    = 'Checks that every database has a recent, big enough backup in S3 (Barman-style last_backup_maximum_age and minimum size).'
    Description = @'
Test-OpsBackupFreshness looks at the newest backup of each database in backup.databases (default: postgres.database) and returns one HealthCheckResult (Check = Backup) per database. Value is the backup's age in hours; Threshold says what it was judged by. Get-OpsHealth runs the same check (OpsRunbook.Core.Health.Probes.BackupFreshness).

Status:
- Critical: no backup at all, the newest is older than backup.maximumAge (default 26h), or S3 cannot be listed.
- Warning: the newest is older than backup.warningAge (default three quarters of maximumAge), smaller than backup.minimumSizeBytes (default 1024), or has no readable manifest.
- Healthy otherwise.
'@
    Parameters  = @{
        Environment = @{ Description = 'The environment whose s3 and backup sections are used.'; Default = "The file's defaultEnvironment" }
        ConfigPath  = @{ Description = 'The config file to read.'; Default = '$env:OPSRUNBOOK_CONFIG, ./ops.yaml, ~/.config/opsrunbook/ops.yaml' }
        Quiet       = 'Return $true when every database''s newest backup is Healthy, $false otherwise.'
    }
    Outputs     = @{
        'OpsRunbook.Core.Health.HealthCheckResult' = 'One per database: Status, Value (age in hours), Threshold and Message.'
        'System.Boolean'                           = 'With -Quiet.'
    }
    Examples    = @(
        @{
            Title   = 'Is the newest backup recent enough?'
            Code    = 'Test-OpsBackupFreshness | Format-List Target, Status, Value, Threshold, Message'
            Remarks = 'Shows the age of the newest backup and the thresholds.'
        }
        @{
            Title   = 'Alert from a scheduled script'
            Code    = 'if (-not (Test-OpsBackupFreshness -Quiet)) { Write-Warning ''The last backup is stale or missing.'' }'
            Remarks = 'Warns when any database lacks a fresh backup.'
        }
    )
    Notes       = 'Configure with backup: { maximumAge: 26h, warningAge: 20h, minimumSizeBytes: 1048576 } in ops.yaml.'
    Links       = @('Get-OpsBackup', 'Backup-OpsDatabase')
}
