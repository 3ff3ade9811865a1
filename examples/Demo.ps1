<#
.SYNOPSIS
    The demo: runs OpsRunbook's runbooks against the local sandbox (build.ps1 Demo starts it first).
.DESCRIPTION
    Uses the sandbox's ops.yaml through $env:OPSRUNBOOK_CONFIG and its secrets from the environment, exactly as a
    scheduled task on a real host would use /etc/opsrunbook/ops.yaml. Walks the runbook's daily, weekly and monthly
    procedures once, with the health table itself; then an incident drill: one sandbox service (the API process) is
    stopped on purpose, the health check shows it Critical with the runbook's next step, and the service comes back.
    Destructive steps run with -WhatIf. Exits non-zero when a step fails.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpsRunbook/OpsRunbook.psd1'),
    # Where the runbooks write their logs and .prom file.
    [string] $OutputDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'opsrunbook-demo')
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot '../tests/sandbox/Sandbox.psm1')   # the incident drill stops and restarts a sandbox service
$runbooks = Join-Path $PSScriptRoot 'runbooks'
$started = [Diagnostics.Stopwatch]::StartNew()
$null = New-Item -ItemType Directory -Force -Path $OutputDirectory

function Step([string] $Title) { Write-Host "`n=== $Title ===" }
function Show { $input | Format-Table -AutoSize | Out-String -Width 160 | Write-Host }

Step 'Config: the environments in the file, validated (secrets redacted)'
Get-OpsConfig -ListAvailable | Show
if (-not (Test-OpsConfig -Quiet)) { Test-OpsConfig | Show; throw 'The config has errors.' }

Step 'Daily: the morning health check, every family in parallel (Get-OpsHealth)'
Get-OpsHealth | Show
Step 'Daily: the same as a scheduled runbook: log, .prom file, Nagios exit code (examples/runbooks/DailyHealthCheck.ps1)'
& (Join-Path $runbooks 'DailyHealthCheck.ps1') -ModulePath $ModulePath -LogDirectory $OutputDirectory -PrometheusPath (Join-Path $OutputDirectory 'opsrunbook-health.prom')
if ($LASTEXITCODE -ge 2) { throw "DailyHealthCheck.ps1 exited $LASTEXITCODE." }
Write-Host "Prometheus textfile: $(Join-Path $OutputDirectory 'opsrunbook-health.prom') ($(@(Get-Content (Join-Path $OutputDirectory 'opsrunbook-health.prom') | Where-Object { $_ -notmatch '^#' }).Count) samples)"

Step 'Daily: system info and user metrics'
$si = Get-OpsSystemInfo -Top 3
Write-Host ("load {0} | memory {1:N0}% used | top CPU: {2}" -f "$($si.LoadAverage1) $($si.LoadAverage5) $($si.LoadAverage15)", $si.MemoryUsedPercent, (($si.TopByCpu | ForEach-Object Name) -join ', '))
Get-OpsUserMetrics | Show

Step 'Every 6 hours: back up to S3 (examples/runbooks/BackupEvery6Hours.ps1)'
& (Join-Path $runbooks 'BackupEvery6Hours.ps1') -RetentionDays 30 -KeepLatest 3
Get-OpsBackup -Latest 3 | Show

Step 'Weekly: prove the newest backup restores, row for row, on staging'
Get-OpsBackup -Latest 1 | Test-BackupRestore -Environment staging | Show

Step 'Weekly: security and performance review'
$unusual = @(Get-OpsUnusualActivity)
Write-Host "Users over the unusual-activity thresholds (100 uploads in 7 days, 500 searches a day): $($unusual.Count)"
$unusual | Select-Object -First 5 | Show
Get-OpsSlowQuery -Top 5 | Show

Step 'Connections: who holds the database slots (the first step of Database Connection Exhaustion)'
# A few client sessions, as the platform's API and workers would hold them.
$pg = (Get-OpsConfig).Postgres
# OpsRunbook keeps its Npgsql in a load context of its own; the demo's client sessions use a copy of it in the session's.
if (-not ('Npgsql.NpgsqlConnection' -as [type])) { Add-Type -Path (Join-Path (Get-Module OpsRunbook).ModuleBase 'Dependencies/Npgsql.dll') }
$clients = foreach ($app in 'api', 'api', 'api', 'media-worker', 'embeddings-worker') {
    $c = [Npgsql.NpgsqlConnection]::new("Host=$($pg.Host);Port=$($pg.Port);Database=$($pg.Database);Username=app;Password=$env:APP_DB_PASSWORD;Application Name=$app;Pooling=false")
    $c.Open(); $c
}
try {
    Get-OpsDbConnection | Group-Object User, Application | Select-Object Count, Name | Show
    Get-OpsDbConnection -State idle -User app | Show
    Get-OpsDbConnection -State idle -Application media-worker | Stop-OpsDbConnection -WhatIf   # the emergency line, previewed
}
finally { $clients | ForEach-Object Dispose }

Step 'Monthly: database maintenance (ANALYZE, REINDEX CONCURRENTLY, VACUUM), then bloat'
Invoke-DbMaintenance -Confirm:$false | Show
Get-OpsDbBloat | Select-Object -First 5 | Show

Step 'Emergency drill: disk space (preview only: -WhatIf)'
Get-OpsDiskSpace | Show
Get-OpsLargeFile -Path (Split-Path (Get-OpsConfig).Logs.Directory) -Top 5 | Show
Clear-DiskEmergency -WhatIf | Show

Step 'Incident drill: the API process is stopped on purpose'
Stop-OpsSandboxService -Name Api
try {
    $health = @(Get-OpsHealth -Check Service, Database)
    $health | Show
    foreach ($r in $health | Where-Object Status -ne 'Healthy') {
        Write-Host ([OpsRunbook.Commands.ConsoleStyle]::ForStatus($r.Status, "$($r.Status) $($r.Check)/$($r.Target): $($r.Message)"))
        Write-Host "  Runbook, next step: $($r.NextStep)"
    }
    Write-Host 'As a Nagios/Icinga check command (DailyHealthCheck.ps1 -Plugin), exit code 2 = CRITICAL:'
    & (Join-Path $runbooks 'DailyHealthCheck.ps1') -ModulePath $ModulePath -Plugin
    Write-Host "exit $LASTEXITCODE"
    if ($LASTEXITCODE -ne 2) { throw "DailyHealthCheck.ps1 -Plugin exited $LASTEXITCODE with the API down, not 2 (CRITICAL)." }
}
finally {
    Write-Host 'Restarting the API process (the runbook: docker restart api-container).'
    Start-OpsSandboxService -Name Api
}

Step 'Done: the platform is healthy again'
Get-OpsHealth | Assert-OpsHealthy -PassThru | Group-Object Check | Select-Object Name, Count | Show
Write-Host ("Demo finished in {0:0} s." -f $started.Elapsed.TotalSeconds)
