<#
.SYNOPSIS
    The runbook's Weekly Backup Verification: prove the newest backup by restoring it on staging.
.DESCRIPTION
    Lists the latest backups, restores the newest into a scratch database on the test environment's server
    (pg_restore -j, --no-owner), checks the sha256 and every table's exact row count against the manifest, and
    drops the scratch database. Scratch databases left by an earlier killed run are dropped first.

    Cron: 0 3 * * 1 pwsh -NoProfile -NonInteractive -File /opt/opsrunbook/examples/runbooks/WeeklyBackupVerification.ps1
    Exit codes (the Nagios plugin convention): 0 the backup restored and verified, 2 it did not (or there is no
    backup), 3 the config is broken.
#>
[CmdletBinding()]
param(
    [string] $Environment,                # where the backups are listed (default: the config's default)
    [string] $TestEnvironment = 'staging', # whose server the restore runs on
    [string] $ConfigPath,
    [string] $Database,
    [int] $Jobs = 2,
    [long] $MaxSize = 50GB
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'VERIFICATION'
$source = $common.Clone(); $test = @{ Environment = $TestEnvironment }
if ($ConfigPath) { $test.ConfigPath = $ConfigPath }
if ($Database) { $source.Database = $Database }
try {
    Write-Output '== Latest backups'
    Get-OpsBackup @source -Latest 5 | Format-Table | Out-String -Width 200 | Write-Output

    $left = @(Test-BackupRestore @test -RemoveScratch -Confirm:$false)
    if ($left) { Write-Output "Dropped $($left.Count) scratch database(s) left by an earlier run: $($left -join ', ')" }

    Write-Output "== Restore test on $TestEnvironment"
    $latest = Get-OpsBackup @source -Latest 1
    if (-not $latest) { Write-Output 'No backup found.'; exit 2 }
    $r = $latest | Test-BackupRestore @test -Jobs $Jobs -MaxSize $MaxSize -ErrorAction Continue
    $r | Format-List Backup, BackupTime, SizeBytes, TestServer, ScratchDatabase, DownloadDuration, RestoreDuration, RestoreStatus, VerifyStatus,
        TablesChecked, RowsChecked, Mismatches, Dropped, Message | Out-String -Width 200 | Write-Output
    if ($r.Success -and $r.RestoreStatus -eq 'Success') { exit 0 }
    exit 2
}
catch { Exit-RunbookFailure 'VERIFICATION FAILED' $_ -NoTimestamp }
