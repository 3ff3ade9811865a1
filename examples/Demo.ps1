<#
.SYNOPSIS
    The demo: runs OpsRunbook's runbooks against the local sandbox (build.ps1 Demo starts it first).
.DESCRIPTION
    Uses the sandbox's ops.yaml through $env:OPSRUNBOOK_CONFIG and its secrets from the environment, exactly
    as a scheduled task on a real host would use /etc/opsrunbook/ops.yaml. Exits non-zero when a step fails.
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpsRunbook/OpsRunbook.psd1'))
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath

function Step([string] $Title) { Write-Host "`n=== $Title ===" }

Step 'Config: environments in the file, validated'
Get-OpsConfig -ListAvailable | Format-Table -AutoSize | Out-Host
if (-not (Test-OpsConfig -Quiet)) { Test-OpsConfig | Format-Table | Out-Host; throw 'The config has errors.' }
Get-OpsConfig | Format-List Name, Source, Postgres, Redis, S3 | Out-Host
