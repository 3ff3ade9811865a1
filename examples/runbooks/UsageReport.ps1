<#
.SYNOPSIS
    The runbook's daily usage report (Cron Schedule: "0 6 * * * generate-usage-report.sh").
.DESCRIPTION
    Yesterday's User Metrics Review (Get-OpsUserMetrics: active users, signups, uploads, searches) and the busiest
    users (Get-OpsUserActivitySummary), written as usage-report-<date>.csv and usage-top-users-<date>.csv in
    -OutputDirectory, and printed.
        0 6 * * * root pwsh -NoProfile -NonInteractive -File .../runbooks/UsageReport.ps1 -OutputDirectory /var/log/opsrunbook/reports
    Exit codes (Nagios convention): 0 written, 2 the database could not be read, 3 the config is broken.
#>
[CmdletBinding()]
param(
    [string] $Environment,
    [string] $ConfigPath,
    # The day to report; default yesterday.
    [datetime] $Date = [DateTime]::Today.AddDays(-1),
    [string] $OutputDirectory = './reports',
    # How many of the busiest users to list.
    [int] $Top = 10
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'USAGE REPORT'
try {
    $metrics = Get-OpsUserMetrics @common -Date $Date
    $busiest = @(Get-OpsUserActivitySummary @common -Top $Top)
    $null = New-Item -ItemType Directory -Force -Path $OutputDirectory
    $day = $Date.ToString('yyyy-MM-dd')
    $report = Join-Path $OutputDirectory "usage-report-$day.csv"
    $metrics | Export-Csv -LiteralPath $report -NoTypeInformation
    $busiest | Export-Csv -LiteralPath (Join-Path $OutputDirectory "usage-top-users-$day.csv") -NoTypeInformation
    Write-Output ("{0} usage {1}: {2} active users, {3} signups, {4} uploads ({5:0.0} MB), {6} searches -> {7}" -f (& $stamp), $day,
        $metrics.DailyActiveUsers, $metrics.NewSignups, $metrics.Uploads, $metrics.UploadedMB, $metrics.Searches, $report)
    Write-Output ("{0} busiest {1} user(s) written beside it" -f (& $stamp), $busiest.Count)
    exit 0
}
catch { Exit-RunbookFailure 'USAGE REPORT FAILED' $_ }
