BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $script:Config = New-OpsTestConfig -Text "defaultEnvironment: t`nenvironments:`n  t:`n    disk: { paths: [ / ] }`n    state: { path: '$(Join-Path $TestDrive 'state.db')' }`n"
    $now = [DateTimeOffset]::UtcNow
    0..99 | ForEach-Object { [OpsRunbook.Core.Health.HealthCheckResult]@{ Environment = 't'; Check = 'Disk'; Target = '/'; Status = 'Healthy'; Timestamp = $now.AddDays(-$_) } } |
        Save-OpsHealth -ConfigPath $script:Config
}

Describe 'Clear-OpsState' {
    It 'asks first: ConfirmImpact High' {
        (Get-Command Clear-OpsState).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
    }

    It '-WhatIf changes nothing' {
        Clear-OpsState -Before 30d -WhatIf -ConfigPath $script:Config
        @(Get-OpsHealthHistory -Since 200d -ConfigPath $script:Config).Count | Should -Be 100
    }

    It 'deletes what was recorded before the time and keeps the rest' {
        $r = Clear-OpsState -Before 30d -Confirm:$false -ConfigPath $script:Config
        $r | Should -BeOfType OpsRunbook.Core.Health.StatePruneResult
        $r.RowsDeleted | Should -Be 70
        $r.Batches | Should -Be 1
        @(Get-OpsHealthHistory -Since 200d -ConfigPath $script:Config).Count | Should -Be 30
        (Get-OpsState -ConfigPath $script:Config).Rows | Should -Be 30
    }
}
