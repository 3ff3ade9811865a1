<#
.SYNOPSIS
    The runbook's "Friday: Performance Review" step 4 (API performance) and the p95 and error rate of the Success Metrics.
.DESCRIPTION
    Reads the nginx access logs of the last week (or -Since) with Measure-OpsAccessLog: overall requests, error rate
    and exact p50/p95/p99, the slowest endpoints by p95, and the ERROR digest of the API logs (Get-OpsLogError).
    The reports issue grows this into a report.

    Cron: 0 9 * * 5 pwsh -NoProfile -NonInteractive -File /opt/opsrunbook/examples/runbooks/WeeklyPerformanceReview.ps1
    Exit codes: 0 p95 and error rate within the goals, 1 one of them is over its goal, 3 the config is broken.
#>
[CmdletBinding()]
param(
    [string] $Environment,
    [string] $ConfigPath,
    [string] $Since = '7d',
    [int] $P95GoalMs = 500,
    [double] $ErrorRateGoal = 0.01,
    [int] $Top = 10
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module OpsRunbook -ErrorAction SilentlyContinue
$env_ = @{}
if ($Environment) { $env_.Environment = $Environment }
if ($ConfigPath) { $env_.ConfigPath = $ConfigPath }
try {
    $all = Measure-OpsAccessLog @env_ -Since $Since -WarningAction SilentlyContinue
    Write-Output "== Traffic since $Since"
    $all | Format-List Requests, RequestsPerSecond, ErrorRate, P50Ms, P95Ms, P99Ms, MeanMs, MaxMs, First, Last | Out-String -Width 200 | Write-Output

    Write-Output "== Slowest endpoints (p95, of the $Top busiest)"
    Measure-OpsAccessLog @env_ -Since $Since -GroupBy Endpoint -Top $Top -WarningAction SilentlyContinue | Sort-Object P95Ms -Descending |
        Format-Table | Out-String -Width 250 | Write-Output

    Write-Output "== Errors in the API logs since $Since"
    Get-OpsLogError @env_ -Since $Since -WarningAction SilentlyContinue | Select-Object -First $Top | Format-Table | Out-String -Width 250 | Write-Output

    $p95Ok = $null -eq $all.P95Ms -or $all.P95Ms -le $P95GoalMs
    $errOk = $all.ErrorRate -le $ErrorRateGoal
    Write-Output ("PERFORMANCE: p95 {0} ms (goal {1}), error rate {2:P2} (goal {3:P2}) over {4:N0} requests." -f $all.P95Ms, $P95GoalMs, $all.ErrorRate, $ErrorRateGoal, $all.Requests)
    if ($p95Ok -and $errOk) { exit 0 }
    exit 1
}
catch {
    Write-Output "PERFORMANCE REVIEW FAILED [$($_.FullyQualifiedErrorId)]: $($_.Exception.Message -replace '\s*\r?\n\s*', ' ')"
    exit [OpsRunbook.Core.Health.NagiosPlugin]::ExitCodeFor($_.Exception)
}
