#!/usr/bin/env -S pwsh -NoProfile -NonInteractive -File
<#
.SYNOPSIS
    The runbook's Morning Health Check (runbook.md, "Daily health check script") as an OpsRunbook runbook.

.DESCRIPTION
    Runs every health check of the environment in parallel (services, disk, database, Redis, queues,
    API errors in the last 24 h, backups), writes a dated log with the results table, writes the results as
    Prometheus metrics for node_exporter's textfile collector, stores the results in the state store's health history
    (Get-OpsHealth -Record; -NoRecord to skip; Measure-OpsAvailability reads it), and prints the runbook's next step
    for every result that is not Healthy. A store that cannot be written is logged as a warning and does not change
    the exit code.

        0 9 * * *  pwsh -NoProfile -File /opt/opsrunbook/examples/runbooks/DailyHealthCheck.ps1 -Environment production

    With -Plugin it is a Nagios/Icinga check command instead: it prints one status line with perfdata and writes
    no files unless -LogDirectory or -PrometheusPath are given:

        OPSRUNBOOK CRITICAL - 1 critical, 0 warning, 0 unknown of 17 checks: Service/api | service_api_ms=...;1000;;0 ...

    Exit codes (the Nagios plugin convention, for cron, systemd and monitoring agents alike):
    0 OK, 1 Warning, 2 Critical, 3 Unknown (a check could not tell, or the config is broken).
    Output is one plain line per event when it is not a terminal (cron mail, the journal), coloured at a terminal.
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
    # Print one Nagios plugin status line with perfdata (and write files only when their paths are given).
    [switch] $Plugin,
    # Do not store the results in the health history (state store).
    [switch] $NoRecord,
    # Where to load the module from; default: the installed OpsRunbook.
    [string] $ModulePath = 'OpsRunbook'
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, the outcome and exits every runbook shares
Import-RunbookModule 'OPSRUNBOOK' -Path $ModulePath   # not even the module: the check cannot tell anything (exit 3)
$nagios = [OpsRunbook.Core.Health.NagiosPlugin]
if ($Plugin) {
    if (-not $PSBoundParameters.ContainsKey('LogDirectory')) { $LogDirectory = '' }
    if (-not $PSBoundParameters.ContainsKey('PrometheusPath')) { $PrometheusPath = '' }
}

$log = $null
if ($LogDirectory) {
    $null = New-Item -ItemType Directory -Force -Path $LogDirectory
    $log = Join-Path $LogDirectory ('health-check-{0:yyyy-MM-dd}.log' -f (Get-Date))
}
function Write-Log([string] $Text, [string] $Status = 'Healthy') {
    $line = '{0:yyyy-MM-ddTHH:mm:ssK} {1}' -f (Get-Date), ($Text -replace '\s*\r?\n\s*', ' ')
    if ($log) { Add-Content -Path $log -Value $line }
    if (-not $Plugin) { Write-Host ([OpsRunbook.Commands.ConsoleStyle]::ForStatus($Status, $line)) }
}

$options = $common + @{ TimeoutSeconds = $TimeoutSeconds; Record = -not $NoRecord }

Write-Log "Starting Daily Health Check$(if ($Environment) { " ($Environment)" })"
try {
    # A store that cannot be written is a non-terminating error of -Record: logged below, never the check's result.
    $recordErrors = $null
    $results = @(Get-OpsHealth @options -ErrorAction SilentlyContinue -ErrorVariable recordErrors)
}
catch {
    # A broken config (or anything else that stops the check itself) is Unknown: exit 3.
    Write-Log "UNKNOWN the health check could not run [$($_.FullyQualifiedErrorId)]: $($_.Exception.Message)" 'Unknown'
    if ($Plugin) { Write-Output $nagios::UnknownLine("the health check could not run: $($_.Exception.Message)") }
    exit $nagios::Unknown
}
foreach ($e in @($recordErrors)) {
    if ($e) { Write-Log "WARNING results not recorded in the state store [$($e.FullyQualifiedErrorId)]: $($e.Exception.Message)" 'Warning' }
}
if ($log) {
    $width = @{ Width = 240 }
    $results | Format-Table -AutoSize -Wrap | Out-String @width | Add-Content -Path $log
}
if ($PrometheusPath) {
    # The 30-day availability from the health history joins the health gauges (opsrunbook_availability_ratio).
    $availability = @()
    if (-not $NoRecord) {
        try { $availability = @(Measure-OpsAvailability -Since 30d @common) }
        catch { Write-Log "WARNING no availability for the metrics [$($_.FullyQualifiedErrorId)]: $($_.Exception.Message)" 'Warning' }
    }
    $results | Export-OpsPrometheusMetric -Path $PrometheusPath -Availability $availability
    Write-Log "Metrics written to $PrometheusPath"
}
$outcome = Get-RunbookHealthOutcome $results
$code = $outcome.Code
if ($Plugin) {
    Write-Output $nagios::StatusLine($outcome.Results)
    exit $code
}

if (-not [Console]::IsOutputRedirected) { $results | Format-Table | Out-Host }
foreach ($r in $results | Where-Object Status -ne 'Healthy' | Sort-Object Status -Descending) {
    Write-Log ("{0} {1}/{2}: {3}" -f $r.Status.ToString().ToUpperInvariant(), $r.Check, $r.Target, $r.Message) $r.Status
    if ($r.NextStep) { Write-Log "  next step: $($r.NextStep)" $r.Status }
}
Write-Log "Health check complete: $($outcome.Summary); exit $code ($($outcome.State))" $(if ($code -eq 0) { 'Healthy' } else { $outcome.Worst })
exit $code
