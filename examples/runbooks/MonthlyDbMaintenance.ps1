<#
.SYNOPSIS
    The runbook's monthly database maintenance (Cron Schedule: "0 3 15 * * db-maintenance.sh").
.DESCRIPTION
    Invoke-DbMaintenance on maintenance.tables: ANALYZE, REINDEX TABLE CONCURRENTLY, VACUUM (ANALYZE), then the
    bloat and dead-tuple report, one line per table and operation. Statements give up on a lock after
    maintenance.lockTimeoutSeconds instead of blocking writers.
        0 3 15 * * root pwsh -NoProfile -NonInteractive -File .../runbooks/MonthlyDbMaintenance.ps1 -Environment production
    Exit codes (Nagios convention): 0 every operation succeeded, 2 one failed, 3 the config is broken.
    -WhatIf lists the statements and runs none.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $Environment,
    [string] $ConfigPath,
    # Tables to maintain; default maintenance.tables in the config.
    [string[]] $Table
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'DB MAINTENANCE'
if ($Table) { $common.Table = $Table }
try {
    $results = @(Invoke-DbMaintenance @common -Confirm:$false -WhatIf:$WhatIfPreference -ErrorAction Continue -ErrorVariable errs)
    foreach ($r in $results) {
        $line = "{0} {1} {2}: {3} in {4:0.0} s" -f (& $stamp), $r.Table, $r.Operation, $r.Status, $r.Duration.TotalSeconds
        if ($r.Operation -eq 'Report') { $line += (", {0:0.0} MB, {1} dead tuples, bloat ratio {2:0.00}" -f ($r.SizeAfter / 1MB), $r.DeadTuplesAfter, $r.BloatRatio) }
        Write-Output $line
    }
    $failed = @($results | Where-Object { "$($_.Status)" -eq 'Failed' }).Count + @($errs).Count
    foreach ($e in $errs) { Write-Output ("{0} FAILED [{1}]: {2}" -f (& $stamp), $e.FullyQualifiedErrorId, $e.Exception.Message) }
    Write-Output ("{0} database maintenance: {1} operation(s), {2} failed" -f (& $stamp), $results.Count, $failed)
    exit $(if ($failed) { 2 } else { 0 })
}
catch { Exit-RunbookFailure 'DB MAINTENANCE FAILED' $_ }
