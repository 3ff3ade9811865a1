<#
    Dependency isolation: admins' sessions hold other versions of OpsRunbook's dependencies (AWS.Tools ships its own
    AWSSDK.Core, powershell-yaml its own YamlDotNet). A fresh pwsh loads YamlDotNet 13.7.1 and AWSSDK.Core 3.7.402
    (restored from NuGet by Bootstrap, tests/tools/tools.proj) first, then imports OpsRunbook: the cmdlets that use
    those libraries still work against the sandbox, and the session's other copies still answer.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim() }
    $script:OtherYaml = Join-Path $packages 'yamldotnet/13.7.1/lib/net6.0/YamlDotNet.dll'
    $script:OtherAws = Join-Path $packages 'awssdk.core/3.7.402/lib/net8.0/AWSSDK.Core.dll'
    foreach ($f in $script:OtherYaml, $script:OtherAws) {
        if (-not (Test-Path $f)) { throw "$f is missing: run dotnet pwsh ./build.ps1 Bootstrap (it restores tests/tools/tools.proj)." }
    }
    # What the other modules' copies do, before and after OpsRunbook is imported: parse YAML, name an AWS region.
    $script:OtherCopiesAnswer = @'
function Test-OtherCopies {
    $y = [YamlDotNet.Serialization.DeserializerBuilder]::new().Build().Deserialize[System.Collections.Generic.Dictionary[string, object]]("answer: 42")
    $aws = [Amazon.RegionEndpoint]::GetBySystemName('eu-west-1').DisplayName
    '{0}|{1}|{2}|{3}' -f [YamlDotNet.Serialization.DeserializerBuilder].Assembly.GetName().Version, $y['answer'],
        [Amazon.RegionEndpoint].Assembly.GetName().Version, $aws
}
'@
}

Describe 'Dependency isolation' {
    It 'with other YamlDotNet and AWSSDK.Core loaded first, the YAML and S3 cmdlets work and the other copies still answer' {
        # Invoke-OpsChildPwsh's prologue imports the module first; this test loads the other copies before it, so it starts its own pwsh.
        $file = Join-Path $TestDrive 'other-first.ps1'
        Set-Content $file @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'
Add-Type -Path '$script:OtherYaml'
Add-Type -Path '$script:OtherAws'
$script:OtherCopiesAnswer
"before `$(Test-OtherCopies)"
Import-Module '$(Get-OpsModulePath)'
"config `$((Get-OpsConfig).Name)"
`$null = Test-OpsConfig; "test-config ran"
`$b = @(Get-OpsBackup)
"backups `$(`$b.Count) `$(`$b[0].Key)"
"fresh `$(Test-OpsBackupFreshness -Quiet)"
"health `$((Get-OpsHealth -Check Database, Redis, Backup | ForEach-Object { "`$(`$_.Check)=`$(`$_.Status)" }) -join ',')"
"after `$(Test-OtherCopies)"
# Which copies are loaded, in which load context.
foreach (`$n in 'YamlDotNet', 'AWSSDK.Core', 'OpsRunbook.Core') {
    `$found = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq `$n } |
        ForEach-Object { '{0}@{1}' -f `$_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name } | Sort-Object
    "loaded `$n `$(`$found -join ' ')"
}
"@
        $out = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $file 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $lines = @($out | ForEach-Object { "$_" })
        $text = $lines -join "`n"
        $lines | Should -Contain 'before 13.0.0.0|42|3.3.0.0|Europe (Ireland)' -Because $text
        $lines | Should -Contain 'config production' -Because $text
        $lines | Should -Contain 'test-config ran' -Because $text
        ($lines | Where-Object { $_ -like 'backups *' }) | Should -Match '^backups [1-9]\d* postgres/' -Because $text
        $lines | Should -Contain 'fresh True' -Because $text
        ($lines | Where-Object { $_ -like 'health *' }) | Should -Match '^health (\w+=Healthy,?)+$' -Because $text
        $lines | Should -Contain 'after 13.0.0.0|42|3.3.0.0|Europe (Ireland)' -Because $text
        # Two copies of each library, the session's in the default context and OpsRunbook's in its own.
        $lines | Should -Contain 'loaded YamlDotNet 13.0.0.0@Default 18.0.0.0@OpsRunbook' -Because $text
        $lines | Should -Contain 'loaded AWSSDK.Core 3.3.0.0@Default 4.0.0.0@OpsRunbook' -Because $text
        $lines | Should -Contain 'loaded OpsRunbook.Core 0.1.0.0@OpsRunbook' -Because $text
    }

    It 'imported first, OpsRunbook leaves the default context free: the other versions load after it and both work' {
        $r = Invoke-OpsChildPwsh -Script @"
Add-Type -Path '$script:OtherYaml'
Add-Type -Path '$script:OtherAws'
$script:OtherCopiesAnswer
"other `$(Test-OtherCopies)"
"config `$((Get-OpsConfig).Name)"
"backups `$(@(Get-OpsBackup).Count -gt 0)"
"@
        $r.ExitCode | Should -Be 0 -Because ($r.StdOut + $r.StdErr)
        $lines = @($r.StdOut -split "`r?`n")
        $lines | Should -Contain 'other 13.0.0.0|42|3.3.0.0|Europe (Ireland)' -Because $r.StdOut
        $lines | Should -Contain 'config production'
        $lines | Should -Contain 'backups True'
    }

    It 'OpsRunbook.dll references no third-party assembly: every library is reached through the engine' {
        $dll = Join-Path (Split-Path (Get-OpsModulePath)) 'OpsRunbook.dll'
        $stream = [IO.File]::OpenRead($dll)
        try {
            $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
            $md = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            $refs = @(foreach ($h in $md.AssemblyReferences) { $md.GetString($md.GetAssemblyReference($h).Name) })
            $pe.Dispose()
        }
        finally { $stream.Dispose() }
        $others = @($refs | Where-Object { $_ -notmatch '^(System(\..+)?|Microsoft\.Win32\..+|netstandard|OpsRunbook\.Core)$' })
        $others | Should -BeNullOrEmpty -Because 'a third-party type in the cmdlet assembly would bind in the default context, to whatever copy the session holds'
        $refs | Should -Contain 'OpsRunbook.Core'
        # And the engine with its dependencies sits in Dependencies/, where only OpsRunbook's load context looks.
        Join-Path (Split-Path $dll) 'Dependencies/OpsRunbook.Core.dll' | Should -Exist
        Join-Path (Split-Path $dll) 'Dependencies/YamlDotNet.dll' | Should -Exist
        @(Get-ChildItem (Split-Path $dll) -Filter *.dll).Name | Sort-Object | Should -Be @('OpsRunbook.dll', 'OpsRunbook.Loader.dll')
    }
}
