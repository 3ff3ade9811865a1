<#
.SYNOPSIS
    The runbook's "Friday: Performance Review" as a page: p95 per endpoint, requests per hour, slow queries,
    table sizes and the Redis hit ratio (New-OpsReport -Kind WeeklyPerformance), plus the KPI page.
.DESCRIPTION
    Cron: 0 9 * * 5 pwsh -NoProfile -NonInteractive -File .../WeeklyPerformanceReview.ps1 -OutputDirectory /var/www/reports
    Writes weekly-performance-<date>.html and kpi-<date>.html (and .md with -Markdown). Exit codes (Nagios convention):
    0 every known KPI met, 1 a KPI missed or unknown, 3 the config is broken.
#>
[CmdletBinding()]
param(
    [string] $Environment,
    [string] $ConfigPath,
    [string] $OutputDirectory = '.',
    [switch] $Markdown
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'REVIEW'
$day = [DateTime]::UtcNow.ToString('yyyy-MM-dd')
try {
    $ext = if ($Markdown) { 'md' } else { 'html' }
    foreach ($kind in 'WeeklyPerformance', 'Kpi') {
        $name = if ($kind -eq 'Kpi') { "kpi-$day.$ext" } else { "weekly-performance-$day.$ext" }
        $f = New-OpsReport @common -Kind $kind -Path (Join-Path $OutputDirectory $name) -Force
        Write-Output "report $kind : $($f.FullName)"
    }
    $kpis = @(Get-OpsKpi @common -Since 7d)
    foreach ($k in $kpis) { Write-Output ("kpi {0}: {1} (value {2}, target {3}) {4}" -f $k.Name, $k.Status, $k.Value, $k.Target, $k.Source) }
    exit $(if (@($kpis | Where-Object Status -ne 'Met').Count -gt 0) { 1 } else { 0 })
}
catch { Exit-RunbookFailure 'REVIEW FAILED' $_ -NoTimestamp }
