BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Import-Module (Join-Path $PSScriptRoot 'BackupTestHelpers.psm1') -Force
    Assert-OpsSandbox
    $script:Configs = [Collections.Generic.List[object]]::new()
    function New-FreshnessCase([string] $Backup = '{ maximumAge: 26h, warningAge: 20h, minimumSizeBytes: 1000 }') {
        $c = New-BackupTestConfig -Backup $Backup -Name "f-$([guid]::NewGuid().ToString('n')).yaml"
        $script:Configs.Add($c)
        $c
    }
    $script:S3 = Get-BackupTestS3 (New-FreshnessCase).Path
}

AfterAll {
    if ($script:S3) {
        foreach ($c in $script:Configs) { Remove-TestPrefix $script:S3 ($c.Prefix -replace 'pg/$', '') }
        $script:S3.Client.Dispose()
    }
}

Describe 'Test-OpsBackupFreshness' {
    It 'is <Status> when <Case>' -ForEach @(
        @{ Case = 'there is no backup'; Status = 'Critical'; Hours = $null; Size = 0 }
        @{ Case = 'the newest backup is 2 h old'; Status = 'Healthy'; Hours = 2; Size = 5000 }
        @{ Case = 'the newest backup is 22 h old'; Status = 'Warning'; Hours = 22; Size = 5000 }
        @{ Case = 'the newest backup is 30 h old'; Status = 'Critical'; Hours = 30; Size = 5000 }
        @{ Case = 'the newest backup is too small'; Status = 'Warning'; Hours = 1; Size = 10 }
        @{ Case = 'the newest backup has no manifest'; Status = 'Warning'; Hours = 1; Size = 5000; NoManifest = $true }
    ) {
        $c = New-FreshnessCase
        if ($null -ne $Hours) {
            $null = New-FakeBackup $script:S3 $c.Prefix -Time ([DateTimeOffset]::UtcNow.AddHours(-$Hours)) -Size $Size -NoManifest:([bool]$NoManifest)
            $null = New-FakeBackup $script:S3 $c.Prefix -Time ([DateTimeOffset]::UtcNow.AddHours(-$Hours - 24)) -Size 5000
        }
        $r = Test-OpsBackupFreshness -ConfigPath $c.Path
        $r | Should -BeOfType OpsRunbook.Core.Health.HealthCheckResult
        $r.Check | Should -Be 'Backup'
        $r.Status | Should -Be $Status
        $r.Threshold | Should -Match 'critical age > 26 h'
        $r.Unit | Should -Be 's' -Because 'the age is in seconds (a base unit for Prometheus and Nagios perfdata)'
        if ($null -ne $Hours) { $r.Value | Should -BeGreaterOrEqual (($Hours - 0.1) * 3600); $r.Value | Should -BeLessThan (($Hours + 0.1) * 3600) }
        else { $r.Value | Should -BeNullOrEmpty }
        Test-OpsBackupFreshness -ConfigPath $c.Path -Quiet | Should -Be ($Status -eq 'Healthy')
    }

    It 'checks every database in backup.databases' {
        $c = New-FreshnessCase '{ maximumAge: 26h, databases: [app, reports] }'
        $null = New-FakeBackup $script:S3 $c.Prefix -Time ([DateTimeOffset]::UtcNow.AddHours(-1))
        $r = Test-OpsBackupFreshness -ConfigPath $c.Path
        $r.Count | Should -Be 2
        ($r | Where-Object Target -like '*/app').Status | Should -Be 'Healthy'
        ($r | Where-Object Target -like '*/reports').Status | Should -Be 'Critical'
    }

    It 'is Critical (not an error) when S3 is down' {
        $c = New-FreshnessCase
        $port = Get-OpsFreePort
        (Get-Content $c.Path -Raw) -replace "serviceUrl: 'http://127.0.0.1:\d+'", "serviceUrl: 'http://127.0.0.1:$port'" | Set-Content $c.Path
        $r = Test-OpsBackupFreshness -ConfigPath $c.Path -ErrorAction Stop
        $r.Status | Should -Be 'Critical'
        $r.Message | Should -Match 'Cannot list backups'
    }

    It 'is what the core check returns (for Get-OpsHealth)' {
        $c = New-FreshnessCase
        $null = New-FakeBackup $script:S3 $c.Prefix -Time ([DateTimeOffset]::UtcNow.AddHours(-3)) -Size 5000
        $env = Get-OpsConfig -ConfigPath $c.Path
        $core = [OpsRunbook.Core.Health.Probes.BackupFreshness]::CheckAsync($env, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $core[0].Status | Should -Be 'Healthy'
        $core[0].Target | Should -Be (Test-OpsBackupFreshness -ConfigPath $c.Path).Target
    }
}
