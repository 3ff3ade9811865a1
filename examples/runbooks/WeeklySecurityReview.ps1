<#
.SYNOPSIS
    The runbook's "Wednesday: Security Review" step 1: failed logins, brute force, and attacks in the web traffic.
.DESCRIPTION
    Reads the last week (or -Since) of the API's auth logs and sshd's auth.log (Get-OpsAuthFailure), and the nginx
    access logs (Find-OpsSuspiciousRequest: SQL injection, XSS, path traversal, command injection, scanners), and
    prints the brute-forcing sources, the offenders by client IP and the attacks the server answered with 2xx.

    Cron: 0 8 * * 3 pwsh -NoProfile -NonInteractive -File /opt/opsrunbook/examples/runbooks/WeeklySecurityReview.ps1
    Exit codes (the Nagios plugin convention): 0 nothing to act on, 1 attacks or failed logins to look at,
    2 a brute-forcing source or an attack the server answered with 2xx, 3 the config is broken.
#>
[CmdletBinding()]
param(
    [string] $Environment,
    [string] $ConfigPath,
    [string] $Since = '7d',
    [int] $Threshold = 10,
    [string] $Window = '10m'
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'SECURITY REVIEW'
try {
    Write-Output "== Failed logins since $Since"
    $failures = @(Get-OpsAuthFailure @common -Since $Since -Threshold $Threshold -Window $Window -WarningAction SilentlyContinue)
    $brute = @($failures | Where-Object BruteForce)
    if ($failures) { $failures | Select-Object -First 20 | Format-Table | Out-String -Width 200 | Write-Output } else { Write-Output 'None.' }

    Write-Output "== Attacks in the access logs since $Since"
    $attacks = @(Find-OpsSuspiciousRequest @common -Since $Since -WarningAction SilentlyContinue)
    $answered = @($attacks | Where-Object { $_.Status -ge 200 -and $_.Status -lt 300 -and $_.Category -ne 'Scanner' })
    if ($attacks) {
        Write-Output 'By category:'
        $attacks | Group-Object Category | Sort-Object Count -Descending | Format-Table Count, Name | Out-String | Write-Output
        Write-Output 'Top offenders:'
        $attacks | Group-Object ClientIp | Sort-Object Count -Descending | Select-Object -First 10 |
            Format-Table Count, @{ n = 'ClientIp'; e = { $_.Name } }, @{ n = 'Categories'; e = { ($_.Group.Category | Sort-Object -Unique) -join ', ' } } | Out-String -Width 200 | Write-Output
        if ($answered) {
            Write-Output 'Answered with 2xx (look at these first):'
            $answered | Select-Object -First 20 | Format-Table Time, ClientIp, Status, Rule, Uri | Out-String -Width 250 | Write-Output
        }
    }
    else { Write-Output 'None.' }

    Write-Output ("SECURITY REVIEW: {0} failed login source(s), {1} brute-forcing; {2} suspicious request(s), {3} answered with 2xx." -f $failures.Count, $brute.Count, $attacks.Count, $answered.Count)
    if ($brute -or $answered) { exit 2 }
    if ($failures -or $attacks) { exit 1 }
    exit 0
}
catch { Exit-RunbookFailure 'SECURITY REVIEW FAILED' $_ -NoTimestamp }
