<#
.SYNOPSIS
    The runbook's hourly cost tracking (Cron Schedule: "0 * * * * update-cost-tracking.sh").
.DESCRIPTION
    Writes the month-to-date cost breakdown (Get-OpsCostReport: cost_tracking by service, and cost per active user)
    to cost-<yyyy-MM>.csv in -OutputDirectory, replaced every hour, and prints the total.
        0 * * * * root pwsh -NoProfile -NonInteractive -File .../runbooks/CostTracking.ps1 -OutputDirectory /var/log/opsrunbook/reports
    Exit codes (Nagios convention): 0 written, 2 the database could not be read, 3 the config is broken.
#>
[CmdletBinding()]
param(
    [string] $Environment,
    [string] $ConfigPath,
    [string] $OutputDirectory = './reports'
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'COST TRACKING'
try {
    $month = [DateTime]::UtcNow.ToString('yyyy-MM')
    $rows = @(Get-OpsCostReport @common -Month $month)
    $null = New-Item -ItemType Directory -Force -Path $OutputDirectory
    $file = Join-Path $OutputDirectory "cost-$month.csv"
    $rows | Export-Csv -LiteralPath "$file.tmp" -NoTypeInformation
    Move-Item -LiteralPath "$file.tmp" -Destination $file -Force
    $total = ($rows | Measure-Object -Property TotalCost -Sum).Sum
    Write-Output ("{0} cost {1} to date: {2:N2} over {3} row(s) -> {4}" -f (& $stamp), $month, $total, $rows.Count, $file)
    exit 0
}
catch { Exit-RunbookFailure 'COST TRACKING FAILED' $_ }
