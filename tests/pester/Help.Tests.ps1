<#
    Every exported cmdlet has full help (synopsis, description, every parameter, at least one example), and
    every example in module/help/<Verb-Noun>.psd1 runs without error against the sandbox. An example that cannot
    run here (it needs a real production host) says so with Run = $false and Why = '...'.
#>
BeforeDiscovery {
    $script:HelpDir = Join-Path $PSScriptRoot '../../module/help'
    $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../out/OpsRunbook/OpsRunbook.psd1')
    $script:Commands = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $script:Common = @([System.Management.Automation.Cmdlet]::CommonParameters) + @([System.Management.Automation.Cmdlet]::OptionalCommonParameters)
    $script:Common = @($script:Common | Where-Object { $_ -notin 'WhatIf', 'Confirm' })
}

Describe 'Help for <Name>' -ForEach $script:Commands {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
        $script:Source = Import-PowerShellDataFile (Join-Path (Get-OpsRepoRoot) "module/help/$Name.psd1")
    }

    It 'has a synopsis and a description' {
        $script:Help.Synopsis | Should -Not -BeNullOrEmpty
        $script:Help.Synopsis | Should -Not -Match "^\s*$Name\s"
        ($script:Help.Description.Text -join "`n").Length | Should -BeGreaterThan 40
    }

    It 'describes every parameter' {
        foreach ($p in $script:Command.Parameters.Keys | Where-Object { $_ -notin $script:Common }) {
            $ph = $script:Help.parameters.parameter | Where-Object Name -eq $p
            ($ph.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "parameter -$p of $Name needs help"
        }
    }

    It 'lists -WhatIf and -Confirm in SYNTAX and PARAMETERS when the cmdlet supports them' {
        if (-not $script:Command.Parameters.ContainsKey('WhatIf')) { return }
        foreach ($p in 'WhatIf', 'Confirm') {
            (Get-Help $Name -Parameter $p).Description.Text -join '' | Should -Not -BeNullOrEmpty -Because "Get-Help $Name -Parameter $p must find it"
            foreach ($item in @($script:Help.syntax.syntaxItem)) { @($item.parameter.name) | Should -Contain $p }
        }
    }

    It 'writes parameter types the way Get-Command -Syntax does' {
        $syntaxText = ($script:Command.ParameterSets | ForEach-Object { $_.ToString() }) -join ' '
        foreach ($ph in @($script:Help.parameters.parameter)) {
            $type = [string]$ph.type.name
            $type | Should -Not -Match 'System\.|`|\[\[|Nullable' -Because "-$($ph.name) of $Name should read like Get-Command -Syntax, not '$type'"
            if ($syntaxText -match "-$($ph.name)\]? <([^>]+)>") { $type | Should -Be $Matches[1] }
        }
    }

    It 'lists the values of every fixed-set parameter, taken from the code' {
        foreach ($info in $script:Command.Parameters.Values | Where-Object Name -notin $script:Common) {
            $set = @($info.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })
            $type = if ($info.ParameterType.IsArray) { $info.ParameterType.GetElementType() } else { [Nullable]::GetUnderlyingType($info.ParameterType) ?? $info.ParameterType }
            $values = if ($set) { @($set[0].ValidValues) } elseif ($type.IsEnum) { [enum]::GetNames($type) } else { continue }
            $ph = $script:Help.parameters.parameter | Where-Object Name -eq $info.Name
            $text = $ph.Description.Text -join "`n"
            foreach ($v in $values) { $text | Should -Match ([regex]::Escape($v)) -Because "help for -$($info.Name) of $Name lists its value $v" }
            foreach ($item in @($script:Help.syntax.syntaxItem)) {
                $sp = $item.parameter | Where-Object Name -eq $info.Name
                if ($sp) { @($sp.parameterValueGroup.parameterValue) | Should -Be $values -Because "SYNTAX shows -$($info.Name) {values}" }
            }
        }
    }

    It 'describes only parameters the cmdlet has (no help left over from a renamed parameter)' {
        if (-not $script:Source.ContainsKey('Parameters')) { return }
        foreach ($k in $script:Source.Parameters.Keys) { $script:Command.Parameters.Keys | Should -Contain $k -Because "module/help/$Name.psd1 describes -$k" }
    }

    It 'has at least one example, and every example runs' {
        @($script:Help.Examples.Example).Count | Should -BeGreaterThan 0
        $runnable = @($script:Source.Examples | Where-Object { $_.Run -ne $false })
        foreach ($e in $script:Source.Examples | Where-Object { $_.Run -eq $false }) {
            $e.Why | Should -Not -BeNullOrEmpty -Because "example '$($e.Title)' of $Name does not run, so it must say why"
        }
        $runnable.Count | Should -BeGreaterThan 0 -Because 'at least one example must run against the sandbox'
        $dir = Join-Path $TestDrive $Name; $null = New-Item -ItemType Directory $dir
        Copy-Item (Get-OpsSandbox).ConfigPath (Join-Path $dir 'ops.yaml')
        foreach ($e in $runnable) {
            $r = Invoke-OpsChildPwsh -WorkingDirectory $dir -Script ($e.Code + "`n") -TimeoutSeconds 300
            $r.ExitCode | Should -Be 0 -Because "example '$($e.Title)' of $Name failed:`n$($e.Code)`n$($r.StdErr)$($r.StdOut)"
        }
    }
}

Describe 'Help for Get-OpsHealth -Check' {
    It 'names every registered check family, in the description and under -Check' {
        $help = Get-Help Get-OpsHealth -Full
        $description = $help.Description.Text -join "`n"
        $check = ($help.parameters.parameter | Where-Object Name -eq Check).Description.Text -join "`n"
        foreach ($f in [OpsRunbook.Core.Health.HealthCheckRegistry]::Default.Families) {
            $description | Should -Match "- $($f.Name):" -Because "the description's list of families must include $($f.Name)"
            $check | Should -Match "- $($f.Name): $([regex]::Escape($f.Description))"
        }
    }
}
