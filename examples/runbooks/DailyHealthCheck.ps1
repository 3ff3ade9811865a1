#!/usr/bin/env -S pwsh -NoProfile -NonInteractive -File
<#
.SYNOPSIS
    The runbook's Morning Health Check (runbook.md, "Daily health check script") as an OpsRunbook runbook.

.DESCRIPTION
    Runs every health check of the environment in parallel (services, disk, database, Redis, queues,
    API errors in the last 24 h), writes a dated log with the results table, writes the results as
    Prometheus metrics for node_exporter's textfile collector, and exits non-zero when anything is
    Critical, so cron or a systemd timer marks the run failed:

        0 9 * * *  pwsh -NoProfile -File /opt/opsrunbook/examples/runbooks/DailyHealthCheck.ps1 -Environment production

    Exit codes: 0 all good (warnings are logged), 1 something is Critical (or, with -FailOnWarning,
    a Warning), 2 the check itself could not run (a broken config).
#>
[CmdletBinding()]
param(
    # The environment in ops.yaml; default: its defaultEnvironment.
    [string] $Environment,
    # The config file; default: $env:OPSRUNBOOK_CONFIG, ./ops.yaml, ~/.config/opsrunbook/ops.yaml.
    [string] $ConfigPath,
    # Where the daily log goes (health-check-yyyy-MM-dd.log, appended).
    [string] $LogDirectory = './logs',
    # The .prom file for node_exporter (--collector.textfile.directory); '' to skip.
    [string] $PrometheusPath = './opsrunbook-health.prom',
    # The bound on each check, seconds.
    [double] $TimeoutSeconds = 5,
    # Fail on warnings too.
    [switch] $FailOnWarning,
    # Where to load the module from; default: the installed OpsRunbook.
    [string] $ModulePath = 'OpsRunbook'
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath

$null = New-Item -ItemType Directory -Force -Path $LogDirectory
$log = Join-Path $LogDirectory ('health-check-{0:yyyy-MM-dd}.log' -f (Get-Date))
function Write-Log([string] $Text) {
    $line = '{0:yyyy-MM-ddTHH:mm:ssK} {1}' -f (Get-Date), $Text
    Add-Content -Path $log -Value $line
    Write-Host $line
}

$options = @{ TimeoutSeconds = $TimeoutSeconds }
if ($Environment) { $options.Environment = $Environment }
if ($ConfigPath) { $options.ConfigPath = $ConfigPath }

Write-Log "Starting Daily Health Check$(if ($Environment) { " ($Environment)" })"
try {
    $results = @(Get-OpsHealth @options)
}
catch {
    Write-Log "ERROR the health check could not run: $($_.Exception.Message)"
    exit 2
}
$results | Format-Table -AutoSize -Wrap | Out-String -Width 220 | Add-Content -Path $log
if ($PrometheusPath) {
    $results | Export-OpsPrometheusMetric -Path $PrometheusPath
    Write-Log "Metrics written to $PrometheusPath"
}
$summary = ($results | Group-Object Status | Sort-Object Name | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '
Write-Log "Health check complete: $summary"

try {
    $results | Assert-OpsHealthy -FailOn $(if ($FailOnWarning) { 'Warning' } else { 'Critical' })
}
catch {
    Write-Log "FAILED $($_.Exception.Message)"
    exit 1
}
exit 0
