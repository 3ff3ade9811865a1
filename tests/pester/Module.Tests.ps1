BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $script:Root = Get-OpsRepoRoot
    $script:Manifest = Import-PowerShellDataFile (Get-OpsModulePath)
    $script:Assembly = (Get-Module OpsRunbook).ImplementingAssembly ?? [System.AppDomain]::CurrentDomain.GetAssemblies().Where({ $_.GetName().Name -eq 'OpsRunbook' })[0]
    $script:Common = @([System.Management.Automation.Cmdlet]::CommonParameters) + @([System.Management.Automation.Cmdlet]::OptionalCommonParameters)
    $script:CmdletTypes = @($script:Assembly.GetExportedTypes() | Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) })
}

Describe 'The built module' {
    It 'imports in a fresh pwsh without any warning or error' {
        $r = Invoke-OpsChildPwsh -Script '$m = Get-Module OpsRunbook; "$($m.Name) $($m.Version)"' -Environment @{ OPSRUNBOOK_CONFIG = $null }
        $r.ExitCode | Should -Be 0
        $r.StdErr | Should -BeNullOrEmpty
        $r.StdOut | Should -Not -Match 'WARNING'
        $r.StdOut.Trim() | Should -Match '^OpsRunbook \d+\.\d+\.\d+$'
    }

    It 'takes its version from Directory.Build.props' {
        $props = [xml](Get-Content (Join-Path $script:Root 'Directory.Build.props') -Raw)
        $version = @($props.Project.PropertyGroup.Version | Where-Object { $_ })[0]
        $script:Manifest.ModuleVersion | Should -Be $version
        (Get-Module OpsRunbook).Version | Should -Be $version
    }

    It 'exports exactly the cmdlets the assembly defines, listed by name' {
        foreach ($key in 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') {
            @($script:Manifest[$key]) | Should -Not -Contain '*' -Because "$key must be explicit"
        }
        $defined = $script:CmdletTypes | ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" }
        @($script:Manifest.CmdletsToExport | Sort-Object) | Should -Be @($defined | Sort-Object)
        @((Get-Command -Module OpsRunbook).Name | Sort-Object) | Should -Be @($defined | Sort-Object)
    }

    It 'lists every format and types file under module/ in the manifest' {
        $formats = @(Get-ChildItem (Join-Path $script:Root 'module/formats') -Filter *.ps1xml | ForEach-Object { "formats/$($_.Name)" })
        @($script:Manifest.FormatsToProcess + $script:Manifest.TypesToProcess | Sort-Object) | Should -Be @($formats | Sort-Object)
        foreach ($f in $formats) { Join-Path (Split-Path (Get-OpsModulePath)) $f | Should -Exist }
    }

    It 'declares Core edition and a minimum PowerShell version' {
        $script:Manifest.CompatiblePSEditions | Should -Be @('Core')
        [version]$script:Manifest.PowerShellVersion | Should -BeGreaterOrEqual ([version]'7.4')
    }

    It 'has one sealed <Verb><Noun>Command class per file, with [OutputType] where it writes objects' {
        foreach ($t in $script:CmdletTypes) {
            $a = $t.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $t.Name | Should -Be "$($a.VerbName)$($a.NounName)Command"
            $t.IsSealed | Should -BeTrue -Because "$($t.Name) should be sealed"
            $t.IsSubclassOf([OpsRunbook.Commands.OpsCmdlet]) | Should -BeTrue -Because "$($t.Name) should derive from OpsCmdlet"
            # One file per cmdlet, in the folder of its runbook area (Commands/<Area>/<Verb><Noun>Command.cs).
            $files = @(Get-ChildItem (Join-Path $script:Root 'src/OpsRunbook/Commands') -Recurse -Filter "$($t.Name).cs")
            $files.Count | Should -Be 1 -Because "$($t.Name) should live in exactly one Commands/<Area>/$($t.Name).cs"
            $file = $files[0].FullName
            Split-Path (Split-Path (Split-Path $file)) -Leaf | Should -Be 'Commands' -Because "$($t.Name) should sit in an area folder directly under Commands/"
            @(Get-ChildItem (Join-Path $script:Root 'src/OpsRunbook/Commands') -Recurse -Filter *.cs | Select-String -Pattern "class $($t.Name)\b").Count | Should -Be 1
            (Get-Content $file -Raw) | Should -Match '\[OutputType\(' -Because "$($t.Name) must declare its output type"
        }
    }

    It 'takes the config duration syntax (30s, 5m, 2h, 1d) on every TimeSpan parameter' {
        foreach ($c in Get-Command -Module OpsRunbook) {
            foreach ($p in $c.Parameters.Values | Where-Object { $_.ParameterType -in [timespan], [Nullable[timespan]] }) {
                @($p.Attributes | Where-Object { $_ -is [OpsRunbook.Commands.DurationAttribute] }).Count |
                    Should -Be 1 -Because "$($c.Name) -$($p.Name) should carry [Duration]"
            }
        }
        { Get-OpsDbConnection -IdleLongerThan 'five minutes' } | Should -Throw "*'five minutes' is not a duration*" 
    }

    It 'validates every parameter with a fixed set of values (a typo is an error, never "nothing found"), keeping tab completion' {
        # Parameters whose values come from the config file cannot be a ValidateSet: they are checked against the file
        # when the cmdlet runs, and an unknown value is a named error (proved below).
        $checkedAtRunTime = @{ Environment = 'ConfigEnvironmentNotFound' }
        $validated = 0
        foreach ($c in Get-Command -Module OpsRunbook) {
            foreach ($p in $c.Parameters.Values | Where-Object Name -notin $script:Common) {
                $type = if ($p.ParameterType.IsArray) { $p.ParameterType.GetElementType() } else { [Nullable]::GetUnderlyingType($p.ParameterType) ?? $p.ParameterType }
                $set = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })
                $completer = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] })
                if ($type -eq [string] -and $completer -and -not $set) {
                    $checkedAtRunTime.Keys | Should -Contain $p.Name -Because "$($c.Name) -$($p.Name) has a completer, so it has a fixed set of values: validate it with [ValidateSet] (or an enum)"
                }
                if (-not ($set -or $type.IsEnum)) { continue }
                $validated++
                $values = if ($set) { @($set[0].ValidValues) } else { [enum]::GetNames($type) }
                $line = "$($c.Name) -$($p.Name) "
                $offered = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText)
                $offered.Count | Should -BeGreaterThan 0 -Because "tab completion must offer the values of $($c.Name) -$($p.Name)"
                foreach ($o in $offered) { $values | Should -Contain $o -Because "$($c.Name) -$($p.Name) offers only valid values" }
            }
        }
        $validated | Should -BeGreaterOrEqual 5
        foreach ($kv in $checkedAtRunTime.GetEnumerator()) {
            { Get-OpsConfig -ConfigPath (Get-OpsSandbox).ConfigPath -Environment 'no-such-environment' -ErrorAction Stop } |
                Should -Throw -ErrorId "$($kv.Value),OpsRunbook.Commands.GetOpsConfigCommand"
        }
    }

    It 'rejects a typo in -State instead of returning nothing' {
        $e = { Get-OpsDbConnection -State idel } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OpsRunbook.Commands.GetOpsDbConnectionCommand' -PassThru
        $e.Exception.Message | Should -Match "idle in transaction"
        $line = 'Get-OpsDbConnection -State idle'
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Contain "'idle in transaction'"
        { Get-OpsHealth -Check Disks } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OpsRunbook.Commands.GetOpsHealthCommand'
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        foreach ($c in Get-Command -Module OpsRunbook) { $approved | Should -Contain $c.Verb }
    }

    It 'supports -WhatIf on every cmdlet whose verb changes state' {
        $changing = 'Remove', 'Stop', 'Clear', 'Invoke', 'Set', 'New', 'Start', 'Restart', 'Reset', 'Backup', 'Restore', 'Optimize', 'Repair', 'Register', 'Unregister'
        foreach ($c in Get-Command -Module OpsRunbook | Where-Object Verb -in $changing) {
            $c.Parameters.Keys | Should -Contain 'WhatIf' -Because "$($c.Name) changes state"
        }
    }
}
