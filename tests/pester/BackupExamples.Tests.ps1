# The backup example runbooks in examples/ run end to end against the sandbox, as cron would run them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Import-Module (Join-Path $PSScriptRoot 'BackupTestHelpers.psm1') -Force
    Assert-OpsSandbox
    $script:Cfg = New-BackupTestConfig
    $script:S3 = Get-BackupTestS3 $script:Cfg.Path
    $script:Examples = Join-Path (Get-OpsRepoRoot) 'examples/runbooks'
}

AfterAll { if ($script:S3) { Remove-TestPrefix $script:S3 ($script:Cfg.Prefix -replace 'pg/$', ''); $script:S3.Client.Dispose() } }

Describe 'Backup example runbooks' {
    It 'BackupEvery6Hours.ps1 takes a backup, applies retention and reports fresh backups' {
        $old = New-FakeBackup $script:S3 $script:Cfg.Prefix -Time ([DateTimeOffset]::UtcNow.AddDays(-40))
        $r = Invoke-OpsChildPwsh -Script "& '$script:Examples/BackupEvery6Hours.ps1' -ConfigPath '$($script:Cfg.Path)' -RetentionDays 30 -KeepLatest 1; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match 'backup s3://backups/'
        $r.StdOut | Should -Match 'removed 1 backup'
        $r.StdOut | Should -Match 'Healthy'
        (Get-OpsBackup -ConfigPath $script:Cfg.Path).Key | Should -Not -Contain $old
    }

    It 'WeeklyBackupVerification.ps1 restores the newest backup on staging and exits 0' {
        $r = Invoke-OpsChildPwsh -Script "& '$script:Examples/WeeklyBackupVerification.ps1' -ConfigPath '$($script:Cfg.Path)'; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match 'RestoreStatus\s*:\s*Success'
        $r.StdOut | Should -Match 'VerifyStatus\s*:\s*Success'
        Get-ScratchDatabases | Should -BeNullOrEmpty
    }

    It 'follow the exit-code contract: 2 when the backup fails, 3 when the config is broken' {
        $down = Join-Path $TestDrive 's3-down.yaml'
        (Get-Content $script:Cfg.Path -Raw) -replace "serviceUrl: 'http://127.0.0.1:\d+'", "serviceUrl: 'http://127.0.0.1:$(Get-OpsFreePort)'" | Set-Content $down
        $r = Invoke-OpsChildPwsh -Script "& '$script:Examples/BackupEvery6Hours.ps1' -ConfigPath '$down'; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 2 -Because "a failed backup is Critical: $($r.StdOut)"
        @($r.StdOut -split "`n" | Where-Object { $_ -match 'BACKUP FAILED' }).Count | Should -Be 1
        $broken = Join-Path $TestDrive 'broken.yaml'
        Set-Content $broken 'environments: [ nope'
        foreach ($runbook in 'BackupEvery6Hours.ps1', 'WeeklyBackupVerification.ps1') {
            $r = Invoke-OpsChildPwsh -Script "& '$script:Examples/$runbook' -ConfigPath '$broken'; exit `$LASTEXITCODE"
            $r.ExitCode | Should -Be 3 -Because "$runbook with a broken config is Unknown: $($r.StdOut)"
        }
    }
}
