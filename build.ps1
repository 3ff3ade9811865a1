<#
.SYNOPSIS
    Builds, tests and demonstrates OpsRunbook.
.DESCRIPTION
    Tasks (run in the order given):
      Bootstrap    install what the tests and sandbox need: apt packages (tests/sandbox/apt-packages.txt),
                   npm packages (tests/sandbox/node), Pester and test packages from NuGet (tests/tools/tools.proj)
      Build        compile and lay the module out at out/OpsRunbook (manifest, dlls, formats, MAML help)
      Package      Build, then out/OpsRunbook.<version>.nupkg with Publish-PSResource (install it with Install-PSResource)
      Sandbox      start the sandbox of real services (idempotent); StopSandbox stops it
      Test         Bootstrap + Build + Package + Sandbox, then xUnit and Pester; ends with 'N passed, N failed'
      Demo         Bootstrap + Build + Sandbox, then examples/Demo.ps1 against the sandbox
      Bench        run every bench/*.ps1 and print their ratios
      Clean        stop the sandbox and remove out/, bin/, obj/ and .sandbox/
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    # One or more tasks: './build.ps1 Test', './build.ps1 Bootstrap Build' or './build.ps1 Bootstrap,Build'.
    [Parameter(Position = 0, ValueFromRemainingArguments)]
    [string[]] $Task = @('Build'),
    [string] $Configuration = 'Release',
    # Test: run only Pester tests whose full name matches (wildcards), and skip xUnit unless -XunitFilter is given.
    [string[]] $PesterFilter = @(),
    # Test: a dotnet test --filter expression for xUnit.
    [string] $XunitFilter = ''
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$KnownTasks = 'Bootstrap', 'Build', 'Package', 'Sandbox', 'StopSandbox', 'Test', 'Demo', 'Bench', 'Clean'
$Task = @($Task -split ',' | ForEach-Object Trim | Where-Object { $_ })
foreach ($t in $Task) { if ($t -notin $KnownTasks) { throw "Unknown task '$t'. Tasks: $($KnownTasks -join ', ')." } }
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'OpsRunbook'
$PesterVersion = '5.9.1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:NO_COLOR = '1'
Set-Location $Root

function Write-Step([string] $Text) { Write-Host "==> $Text" }

function Invoke-Checked([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit $LASTEXITCODE)." }
}

# A fresh pwsh process for child work (help generation, Pester, demo): same PowerShell as this one.
function Invoke-FreshPwsh([string[]] $Arguments) {
    & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive @Arguments
}

function Get-NuGetPackagesRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list
    ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-Bootstrap {
    Write-Step 'Bootstrap: apt packages'
    $wanted = Get-Content (Join-Path $Root 'tests/sandbox/apt-packages.txt') | Where-Object { $_ -and $_ -notmatch '^\s*#' } |
        ForEach-Object { $pkg, $probe = -split $_; [pscustomobject]@{ Package = $pkg; Probe = $probe } }
    $missing = @($wanted | Where-Object {
            if ($_.Probe.StartsWith('/')) { -not (Test-Path $_.Probe) } else { -not (Get-Command $_.Probe -CommandType Application -ErrorAction Ignore) }
        } | ForEach-Object Package)
    if ($missing) {
        if ((& id -u) -ne '0') { throw "Missing Debian packages: $($missing -join ' '). Install them as root: apt-get install -y $($missing -join ' ')" }
        Write-Host "    installing $($missing -join ' ')"
        # policy-rc.d 101: packages must not start their daemons (nginx on :80, prometheus on :9090...).
        $policy = '/usr/sbin/policy-rc.d'
        $hadPolicy = Test-Path $policy
        if (-not $hadPolicy) { Set-Content $policy "#!/bin/sh`nexit 101"; & chmod 755 $policy }
        try {
            $env:DEBIAN_FRONTEND = 'noninteractive'
            Invoke-Checked 'apt-get update' { & apt-get update -qq }
            Invoke-Checked 'apt-get install' { & apt-get install -y -qq --no-install-recommends @missing }
        }
        finally { if (-not $hadPolicy) { Remove-Item $policy -ErrorAction Ignore } }
    }

    Write-Step 'Bootstrap: npm packages'
    $node = Join-Path $Root 'tests/sandbox/node'
    $stamp = Join-Path $node 'node_modules/.package-lock.json'
    if (-not (Test-Path $stamp) -or [IO.File]::GetLastWriteTimeUtc($stamp) -lt [IO.File]::GetLastWriteTimeUtc((Join-Path $node 'package-lock.json'))) {
        Push-Location $node
        try { Invoke-Checked 'npm ci' { & npm ci --no-audit --no-fund --loglevel=error } }
        finally { Pop-Location }
    }

    Write-Step 'Bootstrap: Pester and test packages from NuGet'
    $packages = Get-NuGetPackagesRoot
    $wanted = ([xml](Get-Content (Join-Path $Root 'tests/tools/tools.proj') -Raw)).Project.ItemGroup.PackageDownload |
        ForEach-Object { Join-Path $packages ('{0}/{1}' -f $_.Include.ToLowerInvariant(), $_.Version.Trim('[]')) }
    if (@($wanted | Where-Object { -not (Test-Path $_) })) {
        Invoke-Checked 'dotnet restore tests/tools/tools.proj' { & dotnet restore (Join-Path $Root 'tests/tools/tools.proj') --verbosity quiet }
    }
}

function Get-ModuleVersion {
    ([xml](Get-Content (Join-Path $Root 'Directory.Build.props') -Raw)).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
}

function Invoke-Build {
    Write-Step "Build ($Configuration)"
    $publish = Join-Path $Out 'publish'
    Invoke-Checked 'dotnet build' { & dotnet build (Join-Path $Root 'OpsRunbook.sln') -c $Configuration --nologo -v quiet -clp:ErrorsOnly }
    Invoke-Checked 'dotnet publish' { & dotnet publish (Join-Path $Root 'src/OpsRunbook/OpsRunbook.csproj') -c $Configuration --no-build -o $publish --nologo -v quiet }

    Write-Step "Lay out $ModuleOut"
    # Remove, then copy: never overwrite a dll another pwsh may have mapped.
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $dependencies = Join-Path $ModuleOut 'Dependencies'
    $null = New-Item -ItemType Directory -Path $ModuleOut, (Join-Path $ModuleOut 'formats'), (Join-Path $ModuleOut 'en-US'), $dependencies
    # The module's files: the cmdlet assembly (RootModule) and the small entry assembly OpsRunbook.Loader (NestedModules),
    # which PowerShell loads, and Dependencies/ with the engine (OpsRunbook.Core) and its runtime dependencies, which the
    # loader puts in a load context of their own (dependency isolation); publish already excludes the PowerShell SDK.
    # Then the format files the manifest lists, and the help.
    $entry = 'OpsRunbook.dll', 'OpsRunbook.Loader.dll'
    foreach ($f in $entry) { Copy-Item (Join-Path $publish $f) $ModuleOut }
    Get-ChildItem $publish -Filter *.dll | Where-Object Name -notin $entry | Copy-Item -Destination $dependencies
    # Native libraries (SQLite's e_sqlite3) for this platform sit beside the assemblies that use them.
    $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $native = Join-Path $publish "runtimes/$rid/native"
    if (-not (Test-Path $native)) { $native = Join-Path $publish ("runtimes/linux-{0}/native" -f ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant())) }
    if (Test-Path $native) { Copy-Item (Join-Path $native '*') $dependencies }
    $manifestText = Get-Content (Join-Path $Root 'OpsRunbook.psd1') -Raw
    $version = Get-ModuleVersion
    $manifestText = $manifestText -replace "ModuleVersion(\s*)=(\s*)'[^']*'", "ModuleVersion`$1=`$2'$version'"
    Set-Content -Path (Join-Path $ModuleOut 'OpsRunbook.psd1') -Value $manifestText
    $manifest = Import-PowerShellDataFile (Join-Path $ModuleOut 'OpsRunbook.psd1')
    foreach ($f in @($manifest.FormatsToProcess) + @($manifest.TypesToProcess)) {
        if (-not $f) { continue }
        $src = Join-Path $Root "module/$f"
        if (-not (Test-Path $src)) { throw "The manifest lists $f, but module/$f does not exist." }
        Copy-Item $src (Join-Path $ModuleOut $f)
    }
    Copy-Item (Join-Path $Root 'module/en-US/*') (Join-Path $ModuleOut 'en-US')
    # The runbooks travel with the module, so an installed module runs them: <module>/runbooks/DailyHealthCheck.ps1.
    $null = New-Item -ItemType Directory -Path (Join-Path $ModuleOut 'runbooks')
    Copy-Item (Join-Path $Root 'examples/runbooks/*.ps1') (Join-Path $ModuleOut 'runbooks')

    Write-Step 'Help (MAML from module/help)'
    Invoke-Checked 'help generation' {
        Invoke-FreshPwsh @('-File', (Join-Path $Root 'module/help/Build-Help.ps1'), '-ModuleManifest', (Join-Path $ModuleOut 'OpsRunbook.psd1'),
            '-SourceDirectory', (Join-Path $Root 'module/help'), '-OutputFile', (Join-Path $ModuleOut 'en-US/OpsRunbook.dll-Help.xml'))
    }
    Invoke-Checked 'error id list' {
        Invoke-FreshPwsh @('-File', (Join-Path $Root 'module/help/Build-ErrorIds.ps1'), '-ModuleManifest', (Join-Path $ModuleOut 'OpsRunbook.psd1'),
            '-AboutFile', (Join-Path $ModuleOut 'en-US/about_OpsRunbook.help.txt'))
    }
    Write-Host "    OpsRunbook $version -> $ModuleOut"
}

function Invoke-Package {
    $version = Get-ModuleVersion
    $package = Join-Path $Out "OpsRunbook.$version.nupkg"
    Write-Step "Package $package"
    if (-not (Test-Path (Join-Path $ModuleOut 'OpsRunbook.psd1'))) { throw "The module is not laid out at $ModuleOut. Run: dotnet pwsh ./build.ps1 Build" }
    # PSResourceGet ships with pwsh 7.4 and later (the pinned 7.6.9 has it); the package is made with it, as admins install it.
    if (-not (Get-Module -ListAvailable Microsoft.PowerShell.PSResourceGet)) {
        throw "Microsoft.PowerShell.PSResourceGet is not available in this pwsh ($PSHOME). It ships with pwsh 7.4 and later: run the pinned one (dotnet tool restore && dotnet pwsh ./build.ps1 Package)."
    }
    Get-ChildItem $Out -Filter 'OpsRunbook.*.nupkg' | Remove-Item -Force
    # out/ is the local file repository. It is registered in a throwaway repository list (PSResourceGet keeps it under
    # XDG_DATA_HOME), so the build never adds to or races with the user's own list.
    $store = Join-Path ([IO.Path]::GetTempPath()) "opsrunbook-psresource-$PID"
    $null = New-Item -ItemType Directory -Force $store   # .NET ignores an XDG_DATA_HOME that does not exist
    $saved = $env:XDG_DATA_HOME
    $env:XDG_DATA_HOME = $store
    try {
        Invoke-Checked 'Publish-PSResource' {
            Invoke-FreshPwsh @('-Command', "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Register-PSResourceRepository -Name OpsRunbookBuild -Uri '$Out' -Trusted; Publish-PSResource -Path '$ModuleOut' -Repository OpsRunbookBuild")
        }
    }
    finally {
        $env:XDG_DATA_HOME = $saved
        Remove-Item $store -Recurse -Force -ErrorAction Ignore
    }
    if (-not (Test-Path $package)) { throw "Publish-PSResource did not write $package." }
    Write-Host ("    {0} ({1:N1} MB)" -f $package, ((Get-Item $package).Length / 1MB))
}

function Import-Sandbox { Import-Module (Join-Path $Root 'tests/sandbox/Sandbox.psm1') -Force -Global }

function Invoke-Sandbox {
    Write-Step 'Sandbox'
    Import-Sandbox
    $sb = Start-OpsSandbox
    Write-Host "    services on 127.0.0.1:$($sb.Ports.Postgres)-$($sb.Ports.Api); config $($sb.ConfigPath)"
    # A healthy platform has a fresh backup: take one with the module itself when the newest is not fresh.
    $manifest = Join-Path $ModuleOut 'OpsRunbook.psd1'
    if (Test-Path $manifest) {
        Import-OpsSandboxEnvironment
        Invoke-Checked 'sandbox backup' {
            Invoke-FreshPwsh @('-Command', "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module '$manifest'; if (-not (Test-OpsBackupFreshness -Quiet)) { `$b = Backup-OpsDatabase; Write-Host ""    fresh backup s3://`$(`$b.Bucket)/`$(`$b.Key)"" }")
        }
    }
    else { Write-Host '    (module not built yet: no sandbox backup taken; run Build, then Sandbox again)' }
}

function Invoke-Test {
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $null = New-Item -ItemType Directory -Force -Path $results
    Import-Sandbox
    Import-OpsSandboxEnvironment
    $layers = [ordered]@{}
    $runXunit = -not $PesterFilter -or $XunitFilter

    if ($runXunit) {
        Write-Step 'xUnit (OpsRunbook.Core)'
        $trx = Join-Path $results 'xunit.trx'
        $xargs = @('test', (Join-Path $Root 'tests/OpsRunbook.Core.Tests/OpsRunbook.Core.Tests.csproj'), '-c', $Configuration, '--no-build', '--nologo',
            '--logger', "trx;LogFileName=$trx", '--logger', 'console;verbosity=normal')
        if ($XunitFilter) { $xargs += @('--filter', $XunitFilter) }
        & dotnet @xargs | Where-Object { $_ -match 'Passed |Failed |Skipped |error|Error Message|at .*:line|Assert\.|Total tests' } | ForEach-Object { Write-Host "    $_" }
        $layers['xUnit'] = if (Test-Path $trx) {
            $c = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
            @{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted }
        }
        else { Write-Host '    xUnit produced no results file: counted as a failure.'; @{ Passed = 0; Failed = 1; Skipped = 0 } }
    }

    Write-Step 'Pester (cmdlets through out/OpsRunbook, in a fresh pwsh)'
    $pesterJson = Join-Path $results 'pester.json'
    $pester = Join-Path (Get-NuGetPackagesRoot) "pester/$PesterVersion/tools/Pester.psd1"
    $pargs = @('-File', (Join-Path $Root 'tests/Invoke-PesterSuite.ps1'), '-PesterModule', $pester, '-ResultFile', $pesterJson)
    if ($PesterFilter) { $pargs += @('-FullNameFilter', ($PesterFilter -join ',')) }
    Invoke-FreshPwsh $pargs
    $layers['Pester'] = if (Test-Path $pesterJson) { Get-Content $pesterJson -Raw | ConvertFrom-Json -AsHashtable }
    else { Write-Host '    Pester produced no results file: counted as a failure.'; @{ Passed = 0; Failed = 1; Skipped = 0 } }

    # CI leaves no daemons behind; on a workstation the sandbox stays up for the next run.
    if ($env:CI -eq 'true') { Write-Step 'Stopping the sandbox (CI)'; Stop-OpsSandbox }

    $passed = 0; $failed = 0; $skipped = 0
    foreach ($kv in $layers.GetEnumerator()) {
        $r = $kv.Value
        Write-Host ("[{0}] {1} passed, {2} failed, {3} skipped" -f $kv.Key, $r.Passed, $r.Failed, $r.Skipped)
        $passed += $r.Passed; $failed += $r.Failed; $skipped += $r.Skipped
    }
    if ($skipped -gt 0) { Write-Host "$skipped test(s) were skipped: a skipped test counts as a failure here." }
    if ($passed -eq 0) { Write-Host 'No test ran.' }
    Write-Host $(if ($skipped) { "$passed passed, $failed failed, $skipped skipped" } else { "$passed passed, $failed failed" })
    if ($failed -gt 0 -or $skipped -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Write-Step 'Demo (examples/Demo.ps1 against the sandbox)'
    Import-Sandbox
    Import-OpsSandboxEnvironment
    Invoke-Checked 'examples/Demo.ps1' { Invoke-FreshPwsh @('-File', (Join-Path $Root 'examples/Demo.ps1'), '-ModulePath', (Join-Path $ModuleOut 'OpsRunbook.psd1')) }
}

function Invoke-Bench {
    Import-Sandbox
    Import-OpsSandboxEnvironment
    foreach ($b in Get-ChildItem (Join-Path $Root 'bench') -Filter *.ps1 | Sort-Object Name) {
        Write-Step "Bench: $($b.Name)"
        Invoke-Checked $b.Name { Invoke-FreshPwsh @('-File', $b.FullName, '-ModulePath', (Join-Path $ModuleOut 'OpsRunbook.psd1')) }
    }
}

function Invoke-Clean {
    Write-Step 'Clean'
    if (Test-Path (Join-Path $Root 'tests/sandbox/Sandbox.psm1')) { Import-Sandbox; Stop-OpsSandbox }
    $pgLocation = Join-Path $Root '.sandbox/pg-location'   # PostgreSQL data kept outside an unreachable clone
    if (Test-Path $pgLocation) { $pgDir = (Get-Content $pgLocation -Raw).Trim(); if (Test-Path $pgDir) { Remove-Item $pgDir -Recurse -Force } }
    foreach ($d in @($Out, (Join-Path $Root '.sandbox')) + @(Get-ChildItem $Root -Recurse -Directory -Include bin, obj -ErrorAction Ignore | Where-Object FullName -notmatch 'node_modules' | ForEach-Object FullName)) {
        if (Test-Path $d) { Remove-Item $d -Recurse -Force }
    }
}

$plan = [System.Collections.Generic.List[string]]::new()
foreach ($t in $Task) {
    $steps = switch ($t) {
        'Test' { 'Bootstrap', 'Build', 'Package', 'Sandbox', 'Test' }
        'Package' { 'Build', 'Package' }
        'Demo' { 'Bootstrap', 'Build', 'Sandbox', 'Demo' }
        'Bench' { 'Bootstrap', 'Build', 'Sandbox', 'Bench' }
        default { $t }
    }
    foreach ($s in $steps) { if (-not $plan.Contains($s)) { $plan.Add($s) } }
}
foreach ($step in $plan) {
    switch ($step) {
        'Bootstrap' { Invoke-Bootstrap }
        'Build' { Invoke-Build }
        'Package' { Invoke-Package }
        'Sandbox' { Invoke-Sandbox }
        'StopSandbox' { Import-Sandbox; Stop-OpsSandbox; Write-Step 'Sandbox stopped' }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Clean' { Invoke-Clean }
    }
}
