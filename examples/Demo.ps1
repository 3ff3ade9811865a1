<#
.SYNOPSIS
    The demo: runs OpsRunbook's runbooks against the local sandbox (build.ps1 Demo starts it first).
.DESCRIPTION
    Uses the sandbox's ops.yaml through $env:OPSRUNBOOK_CONFIG and its secrets from the environment, exactly as a
    scheduled task on a real host would use /etc/opsrunbook/ops.yaml. Walks the runbook's daily, weekly and monthly
    procedures once. Destructive steps run with -WhatIf. Exits non-zero when a step fails.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpsRunbook/OpsRunbook.psd1'),
    # Where the runbooks write their logs and .prom file.
    [string] $OutputDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'opsrunbook-demo')
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
$runbooks = Join-Path $PSScriptRoot 'runbooks'
$null = New-Item -ItemType Directory -Force -Path $OutputDirectory

function Step([string] $Title) { Write-Host "`n=== $Title ===" }
function Show { $input | Format-Table -AutoSize | Out-String -Width 160 | Write-Host }

Step 'Config: the environments in the file, validated (secrets redacted)'
Get-OpsConfig -ListAvailable | Show
if (-not (Test-OpsConfig -Quiet)) { Test-OpsConfig | Show; throw 'The config has errors.' }

Step 'Daily: the morning health check, in parallel (examples/runbooks/DailyHealthCheck.ps1)'
& (Join-Path $runbooks 'DailyHealthCheck.ps1') -ModulePath $ModulePath -LogDirectory $OutputDirectory -PrometheusPath (Join-Path $OutputDirectory 'opsrunbook-health.prom')
if ($LASTEXITCODE) { throw "DailyHealthCheck.ps1 exited $LASTEXITCODE." }
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
Get-OpsDbConnection | Group-Object User, Application | Select-Object Count, Name | Show

Step 'Monthly: database maintenance (ANALYZE, REINDEX CONCURRENTLY, VACUUM), then bloat'
Invoke-DbMaintenance -Confirm:$false | Show
Get-OpsDbBloat | Select-Object -First 5 | Show

Step 'Emergency drill: disk space (preview only: -WhatIf)'
Get-OpsDiskSpace | Show
Get-OpsLargeFile -Path (Split-Path (Get-OpsConfig).Logs.Directory) -Top 5 | Show
Clear-DiskEmergency -WhatIf | Show

Step 'Done: the platform is healthy'
Get-OpsHealth | Assert-OpsHealthy -PassThru | Group-Object Check | Select-Object Name, Count | Show
