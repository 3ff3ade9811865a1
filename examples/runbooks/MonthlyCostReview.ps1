<#
.SYNOPSIS
    The runbook's monthly cost review as a page (New-OpsReport -Kind MonthlyCost): cost per service, per tier and per
    active user against kpi.costPerUser, for the last complete month (Get-OpsCostReport's figures).
.DESCRIPTION
    Cron: 0 8 1 * * pwsh -NoProfile -NonInteractive -File .../MonthlyCostReview.ps1 -OutputDirectory /var/www/reports
    Exit codes: 0 written, 3 the config is broken, 2 anything else failed.
#>
[CmdletBinding()]
param(
    [string] $Environment,
    [string] $ConfigPath,
    [string] $OutputDirectory = '.',
    [switch] $Markdown
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'COST REVIEW'
try {
    $name = 'monthly-cost-{0}.{1}' -f [DateTime]::UtcNow.ToString('yyyy-MM'), $(if ($Markdown) { 'md' } else { 'html' })
    $f = New-OpsReport @common -Kind MonthlyCost -Path (Join-Path $OutputDirectory $name) -Force
    Write-Output "report MonthlyCost: $($f.FullName)"
    exit 0
}
catch { Exit-RunbookFailure 'COST REVIEW FAILED' $_ -NoTimestamp }
