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
