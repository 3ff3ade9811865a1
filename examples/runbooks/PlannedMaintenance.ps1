<#
.SYNOPSIS
    The runbook's "Planned Maintenance Template" that always resumes: open the window, make the change, close it.
.DESCRIPTION
    Invoke-OpsMaintenance: writes maintenance.flagPath, stops maintenance.workers, takes a backup and records the window
    (all undone if one step fails, and the change is then not run); runs -Change (a script file, or a script block);
    then, whatever happened to the change (an error, Ctrl+C), runs the smoke tests, starts the workers, removes the
    flag and closes the window. One plain line per step.
        pwsh -File .../runbooks/PlannedMaintenance.ps1 -Reason 'Upgrade PostgreSQL' -Duration 45m -Change ./upgrade.ps1
    Exit codes (Nagios convention): 0 the change ran and the service resumed, 2 the window could not open, the change
    failed or resuming had a problem, 3 the config is broken.
#>
[CmdletBinding()]
param(
    [string] $Environment,
    [string] $ConfigPath,
    [Parameter(Mandatory)] [string] $Reason,
    # The change: a path to a .ps1 file, or a script block.
    [Parameter(Mandatory)] [object] $Change,
    [string] $Duration = '1h'
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'MAINTENANCE'
$block = if ($Change -is [scriptblock]) { $Change } else { $path = (Resolve-Path -LiteralPath $Change).Path; { & $path }.GetNewClosure() }
$show = {
    param($r)
    foreach ($s in $r.Steps) { Write-Output ("{0} {1} {2}. {3} {4}: {5} - {6}" -f (& $stamp), $r.Action.ToLowerInvariant(), $s.Order, $s.Name, $s.Target, $s.Status, $s.Message) }
    Write-Output ("{0} {1}: {2}" -f (& $stamp), $r.Action.ToLowerInvariant(), $r.Message)
}
$failed = $false
try {
    Invoke-OpsMaintenance @common -Reason $Reason -Duration $Duration -ScriptBlock $block -Confirm:$false -ErrorAction Continue -ErrorVariable resumeErrors | ForEach-Object {
        if ($_ -is [OpsRunbook.Core.Operations.MaintenanceResult]) { & $show $_; if (-not $_.Succeeded) { $failed = $true } }
        else { Write-Output ("{0} change: {1}" -f (& $stamp), $_) }
    }
    if ($resumeErrors) { $failed = $true }
    Write-Output ("{0} planned maintenance {1}" -f (& $stamp), $(if ($failed) { 'FINISHED WITH PROBLEMS' } else { 'done' }))
    exit $(if ($failed) { 2 } else { 0 })
}
catch { Exit-RunbookFailure 'MAINTENANCE FAILED' $_ }
