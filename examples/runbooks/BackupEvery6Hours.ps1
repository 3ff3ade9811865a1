<#
.SYNOPSIS
    The runbook's 6-hourly backup: pg_dump to S3 with a manifest, retention, then the freshness check.
.DESCRIPTION
    Cron (the runbook's crontab, replacing `pg_dump ... | aws s3 cp`):
        0 */6 * * * DB_PASSWORD=... pwsh -NoProfile -NonInteractive -File /opt/opsrunbook/examples/runbooks/BackupEvery6Hours.ps1 >> /var/log/opsrunbook-backup.log 2>&1
    Exit codes (the Nagios plugin convention): 0 the backup was taken and the newest backup is Healthy, 1 the
    freshness check warns, 2 the backup failed or the newest backup is Critical, 3 the config is broken. One plain
    line per step (cron mails the output).
#>
[CmdletBinding()]
param(
    [string] $Environment,
    [string] $ConfigPath,
    [string] $Database,
    [double] $RetentionDays = 30,
    [int] $KeepLatest = 8
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'BACKUP'
try {
    $backup = if ($Database) { Backup-OpsDatabase @common -Database $Database } else { Backup-OpsDatabase @common }
    Write-Output ("{0} backup {1}: {2:0.0} MB, {3} tables, {4} rows, {5:0.0} s, sha256 {6}" -f (& $stamp), $backup.Location,
        ($backup.SizeBytes / 1MB), $backup.Tables, $backup.Rows, $backup.Duration.TotalSeconds, $backup.Sha256)

    $removed = @(Remove-OpsBackup @common -OlderThanDays $RetentionDays -KeepLatest $KeepLatest -Confirm:$false -PassThru | Where-Object Removed)
    Write-Output ("{0} retention: removed {1} backup(s) older than {2} days, keeping the newest {3} good ones" -f (& $stamp), $removed.Count, $RetentionDays, $KeepLatest)

    $fresh = Test-OpsBackupFreshness @common
    foreach ($f in $fresh) { Write-Output ("{0} freshness {1}: {2} - {3}" -f (& $stamp), $f.Target, $f.Status, $f.Message) }
    Exit-RunbookWithHealth $fresh
}
catch { Exit-RunbookFailure 'BACKUP FAILED' $_ }
