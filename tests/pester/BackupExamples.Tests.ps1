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
}
