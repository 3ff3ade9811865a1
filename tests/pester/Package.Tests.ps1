<#
    Follows README.md's "Install from a package" steps with its system folders moved into TestDrive: the package that
    `build.ps1 Package` wrote (the suite's Test task runs Package) is copied to a "file share", registered with
    Register-PSResourceRepository, installed with Install-PSResource into an empty PSModulePath folder and imported by
    name in a fresh pwsh; then a newer version is published to the share and Update-PSResource takes it. Every pwsh here
    gets its own HOME, so the repository list and the CurrentUser scope are the test's own, never the machine's.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $script:Root = Get-OpsRepoRoot
    $script:Version = (Import-PowerShellDataFile (Get-OpsModulePath)).ModuleVersion
    $script:Package = Join-Path $script:Root "out/OpsRunbook.$script:Version.nupkg"
    $readme = Get-Content (Join-Path $script:Root 'README.md') -Raw
    $start = $readme.IndexOf('## Install from a package')
    $end = $readme.IndexOf("`n## ", $start + 10)
    $section = $readme.Substring($start, $end - $start)
    $script:Blocks = @([regex]::Matches($section, '(?ms)^ *```(?<lang>\w+)\r?\n(?<code>.*?)^ *```') | ForEach-Object {
            [pscustomobject]@{ Lang = $_.Groups['lang'].Value; Code = (($_.Groups['code'].Value -split "`n" | ForEach-Object { $_ -replace '^   ', '' }) -join "`n") }
        })
    $t = $TestDrive
    $script:FakeHome = "$t/home"
    $script:Modules = "$t/home/.local/share/powershell/Modules"   # the CurrentUser scope of that HOME: empty
    # .NET ignores a HOME folder that does not exist (GetFolderPath returns ''), and NuGet would then write NuGet/NuGet.Config
    # into the working directory: the test's HOME has its ~/.config, and every step starts in TestDrive.
    $null = New-Item -ItemType Directory -Force "$t/share", "$t/bin", $script:Modules, "$t/home/.config"
    # The README's system paths, moved into TestDrive; AllUsers would write to /usr/local/share, so CurrentUser of the test's HOME.
    $script:Moves = [ordered]@{ '/mnt/psrepo' = "$t/share"; '-Scope AllUsers' = '-Scope CurrentUser' }
    function script:Move-Paths([string] $Text) { foreach ($kv in $script:Moves.GetEnumerator()) { $Text = $Text.Replace($kv.Key, $kv.Value) }; $Text }
    # `pwsh` on PATH: the same PowerShell as this one.
    Set-Content "$t/bin/pwsh" "#!/bin/sh`nexec '$([Environment]::ProcessPath)' '$(Join-Path $PSHOME 'pwsh.dll')' `"`$@`""
    & chmod 755 "$t/bin/pwsh"
    $script:Env = @{
        HOME = $script:FakeHome; PATH = "$t/bin:$env:PATH"; PSModulePath = $script:Modules; NO_COLOR = '1'
        OPSRUNBOOK_CONFIG = (Get-OpsSandbox).ConfigPath; DOTNET_CLI_TELEMETRY_OPTOUT = '1'
    }
    function script:Invoke-Bash([string] $Code) {
        $file = Join-Path $TestDrive "step-$([guid]::NewGuid().ToString('n')).sh"
        Set-Content $file ("set -euo pipefail`ncd '$TestDrive'`n" + $Code)
        $envArgs = @('-u', 'XDG_DATA_HOME', '-u', 'XDG_CONFIG_HOME', '-u', 'XDG_CACHE_HOME') + @($script:Env.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })
        $out = & env @envArgs bash $file 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($out -join "`n") }
    }
}

Describe 'README: Install from a package' {
    It 'has the steps: package and copy to the share, register and install, update' {
        @($script:Blocks.Lang) | Should -Be @('bash', 'bash', 'bash', 'powershell')
        $script:Package | Should -Exist -Because 'build.ps1 Test runs Package before the tests (or run: dotnet pwsh ./build.ps1 Package)'
    }

    It 'the package carries the manifest, the assemblies, formats, help and runbooks, and what a repository shows' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($script:Package)
        try {
            $entries = @($zip.Entries.FullName)
            $nuspec = [xml](New-Object IO.StreamReader ($zip.GetEntry('OpsRunbook.nuspec').Open())).ReadToEnd()
        }
        finally { $zip.Dispose() }
        foreach ($f in 'OpsRunbook.psd1', 'OpsRunbook.dll', 'en-US/OpsRunbook.dll-Help.xml', 'en-US/about_OpsRunbook.help.txt', 'runbooks/DailyHealthCheck.ps1') {
            $entries | Should -Contain $f
        }
        $manifest = Import-PowerShellDataFile (Get-OpsModulePath)
        foreach ($f in $manifest.FormatsToProcess) { $entries | Should -Contain ($f -replace '\\', '/') }
        $entries | Where-Object { $_ -match '(^|/)OpsRunbook\.Core\.dll$' } | Should -Not -BeNullOrEmpty
        $m = $nuspec.package.metadata
        $m.id | Should -Be 'OpsRunbook'
        $m.version | Should -Be $script:Version
        $m.description | Should -Be $manifest.Description
        $m.projectUrl | Should -Be $manifest.PrivateData.PSData.ProjectUri
        $m.releaseNotes | Should -Be $manifest.PrivateData.PSData.ReleaseNotes
        $m.tags -split ' ' | Should -Contain 'postgresql'
        foreach ($k in 'ProjectUri', 'LicenseUri', 'Tags', 'ReleaseNotes') { $manifest.PrivateData.PSData[$k] | Should -Not -BeNullOrEmpty -Because "the Gallery shows $k" }
    }

    It 'step 1 copies the package to the share' {
        # The suite has run Package already: the build line is not repeated here.
        $code = (Move-Paths $script:Blocks[0].Code) -split "`n" | Where-Object { $_ -notmatch 'build\.ps1 Package' }
        $r = Invoke-Bash ("cd '$script:Root'`n" + ($code -join "`n"))
        $r.ExitCode | Should -Be 0 -Because $r.Output
        @(Get-ChildItem "$TestDrive/share" -Filter *.nupkg).Name | Should -Be @("OpsRunbook.$script:Version.nupkg")
    }

    It 'step 2 installs it with Install-PSResource into the empty PSModulePath folder; a fresh pwsh imports it by name and runs Get-OpsConfig' {
        @(Get-ChildItem $script:Modules).Count | Should -Be 0
        $r = Invoke-Bash (Move-Paths $script:Blocks[1].Code)
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match '(?m)^production\s+True'
        "$script:Modules/OpsRunbook/$script:Version/OpsRunbook.psd1" | Should -Exist
        "$script:Modules/OpsRunbook/$script:Version/runbooks/DailyHealthCheck.ps1" | Should -Exist
        # By name, from the installed folder: no path to out/ anywhere.
        $r = Invoke-Bash @'
pwsh -NoProfile -NonInteractive -Command '$ErrorActionPreference = "Stop"; Import-Module OpsRunbook; $m = Get-Module OpsRunbook; "$($m.Version) $($m.ModuleBase)"; (Get-OpsConfig).Name; (Get-Help Get-OpsConfig).Synopsis; [AppDomain]::CurrentDomain.GetAssemblies().Location -match "/out/" | Measure-Object | ForEach-Object Count'
'@
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $lines = @($r.Output -split "`n")
        $lines[0] | Should -Be "$script:Version $script:Modules/OpsRunbook/$script:Version"
        $lines[1] | Should -Be 'production'
        $lines[2] | Should -Not -BeNullOrEmpty -Because 'the MAML help travels in the package'
        $lines[3] | Should -Be '0' -Because 'nothing is loaded from out/'
    }

    It 'step 3 updates to a newer version published to the share' {
        # A newer version of the same module on the share, published the way the build does it.
        $v = [version]$script:Version
        $next = '{0}.{1}.{2}' -f $v.Major, $v.Minor, ($v.Build + 1)
        $src = "$TestDrive/next/OpsRunbook"
        $null = New-Item -ItemType Directory -Force (Split-Path $src)
        Copy-Item (Split-Path (Get-OpsModulePath)) $src -Recurse
        $psd1 = Join-Path $src 'OpsRunbook.psd1'
        (Get-Content $psd1 -Raw) -replace "ModuleVersion(\s*)=(\s*)'[^']*'", "ModuleVersion`$1=`$2'$next'" | Set-Content $psd1
        $r = Invoke-Bash @"
pwsh -NoProfile -NonInteractive -Command 'Register-PSResourceRepository -Name Build -Uri "$TestDrive/share" -Trusted; Publish-PSResource -Path "$src" -Repository Build'
"@
        $r.ExitCode | Should -Be 0 -Because $r.Output
        "$TestDrive/share/OpsRunbook.$next.nupkg" | Should -Exist

        $r = Invoke-Bash (Move-Paths $script:Blocks[2].Code)
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r = Invoke-Bash @'
pwsh -NoProfile -NonInteractive -Command '$ErrorActionPreference = "Stop"; Import-Module OpsRunbook; (Get-Module OpsRunbook).Version.ToString(); (Get-OpsConfig).Name'
'@
        $r.ExitCode | Should -Be 0 -Because $r.Output
        @($r.Output -split "`n") | Should -Be @($next, 'production')
        "$script:Modules/OpsRunbook/$script:Version" | Should -Exist -Because 'the old version stays until Uninstall-PSResource'
    }
}
