<#
.SYNOPSIS
    The runbook's Disk Space Emergency with OpsRunbook: shows the disk, finds what takes the space,
    previews the cleanup, asks, cleans, and reports the disk before and after.
.DESCRIPTION
    Replaces `du -h / | sort -rh`, `find ... -delete` and `rm -rf /tmp/*` from runbook.md. Only the
    environment's cleanup policies (the 'cleanup' list in ops.yaml) are ever applied. Deleted files that a
    process still holds open are listed, because deleting them frees nothing until the process lets go.
.EXAMPLE
    ./DiskSpaceEmergency.ps1 -WhatIf
    Shows everything and previews the cleanup without changing anything.
.EXAMPLE
    ./DiskSpaceEmergency.ps1 -Environment production -ScanPath /srv
    Asks once before cleaning.
.EXAMPLE
    ./DiskSpaceEmergency.ps1 -Force
    For a scheduled task: no questions.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $Environment,
    [string] $ConfigPath,
    [string] $ScanPath = '/',
    [int] $Top = 20,
    [switch] $Force
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common and the module, as every runbook
Import-RunbookModule 'DISK SPACE EMERGENCY'
$ProgressPreference = 'Continue'              # run by hand: the scans show their progress

Write-Host '1. Disk space now' -ForegroundColor Cyan
$before = @(Get-OpsDiskSpace @common)
$before | Format-Table | Out-Host

Write-Host "2. Largest files under $ScanPath" -ForegroundColor Cyan
Get-OpsLargeFile -Path $ScanPath -Top $Top | Format-Table | Out-Host

Write-Host '3. Deleted files still held open (their space is not free until the process closes them)' -ForegroundColor Cyan
$held = @(Get-OpsDeletedOpenFile)
if ($held) {
    $held | Format-Table | Out-Host
    Write-Warning ("{0:N0} bytes are held by deleted files: restart or signal those processes (nginx -s reopen), or truncate their FdPath." -f ($held | Measure-Object AllocatedBytes -Sum).Sum)
}
else { Write-Host '   none' }

Write-Host '4. What the cleanup policies would free' -ForegroundColor Cyan
$candidates = @(Get-OpsCleanupCandidate @common)
$candidates | Group-Object Policy | ForEach-Object {
    [pscustomobject]@{ Policy = $_.Name; Files = $_.Count; Bytes = ($_.Group | Measure-Object SizeBytes -Sum).Sum }
} | Format-Table | Out-Host
$total = ($candidates | Measure-Object SizeBytes -Sum).Sum

Write-Host '5. Clean' -ForegroundColor Cyan
$results = @()
if ($WhatIfPreference) {
    $results = @(Clear-DiskEmergency @common -WhatIf)
}
elseif ($candidates.Count -eq 0) {
    Write-Host '   nothing to clean'
}
elseif ($Force -or $PSCmdlet.ShouldContinue("Free $total bytes in $($candidates.Count) files with the cleanup policies?", 'Disk Space Emergency')) {
    $results = @(Clear-DiskEmergency @common -Force -ErrorAction Continue)
}
$results | Format-Table | Out-Host

Write-Host '6. Disk space after' -ForegroundColor Cyan
$after = @(Get-OpsDiskSpace @common)
& { for ($i = 0; $i -lt $after.Count; $i++) {
    [pscustomobject]@{
        MountPoint = $after[$i].MountPoint
        FreeBefore = $before[$i].FreeBytes
        FreeAfter  = $after[$i].FreeBytes
        Freed      = $after[$i].FreeBytes - $before[$i].FreeBytes
        UsedPercentAfter = $after[$i].UsedPercent
    }
} } | Format-Table | Out-Host

[pscustomobject]@{ Before = $before; After = $after; Cleanup = $results; HeldByDeletedFiles = $held }
