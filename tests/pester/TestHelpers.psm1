<#
    Shared helpers for the Pester suite. Every *.Tests.ps1 file starts with:

        BeforeAll { Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OpsTestModule }

    Tests always import the built module from out/OpsRunbook, never from src/.
#>
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-OpsRepoRoot { $script:RepoRoot }

function Get-OpsModulePath { Join-Path $script:RepoRoot 'out/OpsRunbook/OpsRunbook.psd1' }

function Import-OpsTestModule {
    <# Imports out/OpsRunbook and the sandbox helpers, and sets the sandbox's variables (secrets, OPSRUNBOOK_CONFIG). #>
    $module = Get-OpsModulePath
    if (-not (Test-Path $module)) { throw "The module is not built at $module. Run: dotnet pwsh ./build.ps1 Build" }
    Import-Module $module -Global -Force
    Import-Module (Join-Path $script:RepoRoot 'tests/sandbox/Sandbox.psm1') -Global -Force
    Import-OpsSandboxEnvironment
}

function Assert-OpsSandbox {
    <# Fails (never skips) with a clear message when the sandbox's services are not up. #>
    if (-not (Test-OpsSandbox)) {
        $sb = Get-OpsSandbox
        throw "The sandbox's services are not all up on 127.0.0.1:$($sb.Ports.Postgres)-$($sb.Ports.Api). Start them with: dotnet pwsh ./build.ps1 Sandbox"
    }
}

function Get-OpsSandboxConfigText { Get-Content (Get-OpsSandbox).ConfigPath -Raw }

function Invoke-OpsChildPwsh {
    <#
        Runs a script in a new, non-interactive pwsh with the module imported and the sandbox's variables set, the
        way a scheduled task would. Returns ExitCode, StdOut and StdErr (strings).
        -Environment adds or overrides variables; a $null value removes one.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = (Get-Location).Path,
        [int] $TimeoutSeconds = 120
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    $file = Join-Path ([IO.Path]::GetTempPath()) "opsrunbook-child-$([guid]::NewGuid().ToString('n')).ps1"
    $prologue = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module '$(Get-OpsModulePath)'`n"
    Set-Content -Path $file -Value ($prologue + $Script)
    foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.WorkingDirectory = $WorkingDirectory
    $psi.Environment['NO_COLOR'] = '1'
    foreach ($kv in (Get-OpsSandboxEnvironment).GetEnumerator()) { $psi.Environment[$kv.Key] = [string]$kv.Value }
    foreach ($kv in $Environment.GetEnumerator()) {
        if ($null -eq $kv.Value) { $null = $psi.Environment.Remove($kv.Key) } else { $psi.Environment[$kv.Key] = [string]$kv.Value }
    }
    $p = [System.Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEndAsync()
    $err = $p.StandardError.ReadToEndAsync()
    if (-not $p.WaitForExit($TimeoutSeconds * 1000)) { $p.Kill($true); throw "Child pwsh did not finish within $TimeoutSeconds s." }
    $p.WaitForExit()
    Remove-Item $file -ErrorAction Ignore
    [pscustomobject]@{ ExitCode = $p.ExitCode; StdOut = $out.Result; StdErr = $err.Result }
}

function Invoke-OpsCaptureAll {
    <#
        Runs a script block and returns every stream's text joined (output, error, warning, verbose, debug,
        information, and the formatted Format-List * / ConvertTo-Json / Export-Csv of the output). For secret-leak tests.
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $csv = [IO.Path]::GetTempFileName()
    try {
        $all = & {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
            try { & $ScriptBlock } catch { $_ }
        } *>&1
        $objects = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.InformationalRecord] })
        $text = [System.Text.StringBuilder]::new()
        foreach ($r in $all) {
            $null = $text.AppendLine(($r | Out-String -Width 400))
            if ($r -is [System.Management.Automation.ErrorRecord]) {
                $null = $text.AppendLine($r.Exception.ToString())
                if ($r.ErrorDetails) { $null = $text.AppendLine($r.ErrorDetails.Message + ' ' + $r.ErrorDetails.RecommendedAction) }
                $null = $text.AppendLine([string]$r.TargetObject)
            }
        }
        if ($objects) {
            $null = $text.AppendLine(($objects | Format-List * -Force | Out-String -Width 400))
            $null = $text.AppendLine(($objects | ConvertTo-Json -Depth 6 -WarningAction Ignore))
            $objects | Export-Csv -Path $csv -NoTypeInformation -Force
            $null = $text.AppendLine((Get-Content $csv -Raw))
        }
        $text.ToString()
    }
    finally { Remove-Item $csv -ErrorAction Ignore }
}

function New-OpsTestConfig {
    <# Writes a config file into TestDrive (or -Directory) and returns its path. #>
    param([Parameter(Mandatory)] [string] $Text, [string] $Directory = $TestDrive, [string] $Name = 'ops.yaml')
    $path = Join-Path $Directory $Name
    Set-Content -Path $path -Value $Text -NoNewline
    $path
}

Export-ModuleMember -Function *
