<#
    Runs every tests/pester/*.Tests.ps1 file in this (fresh) pwsh against out/OpsRunbook and writes the
    counts to -ResultFile as JSON. build.ps1 Test starts it in a new process, so assemblies loaded by the
    build never leak into the tests.
#>
param(
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string[]] $Path = @(Join-Path $PSScriptRoot 'pester'),
    [string[]] $FullNameFilter = @()
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterModule -MinimumVersion 5.9.1
$c = New-PesterConfiguration
$c.Run.Path = $Path
$c.Run.PassThru = $true
$c.Output.Verbosity = 'Detailed'
$c.Output.RenderMode = 'Plaintext'
$c.TestResult.Enabled = $true
$c.TestResult.OutputPath = [IO.Path]::ChangeExtension($ResultFile, '.xml')
$c.TestResult.OutputFormat = 'NUnitXml'
$FullNameFilter = @($FullNameFilter -split ',' | Where-Object { $_ })
if ($FullNameFilter) { $c.Filter.FullName = $FullNameFilter }
$r = Invoke-Pester -Configuration $c
# A container that failed to run (syntax error, BeforeAll throwing) counts as a failure too.
$blockFailures = @($r.Containers | Where-Object { $_.Result -eq 'Failed' -and $_.FailedCount -eq 0 }).Count
[ordered]@{
    Passed  = $r.PassedCount
    Failed  = $r.FailedCount + $blockFailures
    Skipped = $r.SkippedCount
    NotRun  = $r.NotRunCount
} | ConvertTo-Json | Set-Content $ResultFile
