BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Import-Module (Join-Path $PSScriptRoot 'BackupTestHelpers.psm1') -Force
    Assert-OpsSandbox
    $script:Configs = [Collections.Generic.List[object]]::new()
    $script:S3 = Get-BackupTestS3 (Get-OpsSandbox).ConfigPath
    function New-RetentionCase {
        # app: daily backups 1..10 days old; the newest two have no manifest (not good). reports: one 20-day-old good backup.
        $c = New-BackupTestConfig -Name "r-$([guid]::NewGuid().ToString('n')).yaml"
        $script:Configs.Add($c)
        $now = [DateTimeOffset]::UtcNow
        $keys = foreach ($d in 1..10) { New-FakeBackup $script:S3 $c.Prefix -Time $now.AddDays(-$d).AddMinutes(-1) -NoManifest:($d -le 2) }
        $report = New-FakeBackup $script:S3 $c.Prefix -Database reports -Time $now.AddDays(-20)
        $c.AppKeys = $keys; $c.ReportKey = $report
        $c
    }
}

AfterAll {
    if ($script:S3) {
        foreach ($c in $script:Configs) { Remove-TestPrefix $script:S3 ($c.Prefix -replace 'pg/$', '') }
        $script:S3.Client.Dispose()
    }
}

Describe 'Remove-OpsBackup' {
    It 'has ConfirmImpact High' {
        (Get-Command Remove-OpsBackup).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
    }

    It 'removes nothing under -WhatIf' {
        $c = New-RetentionCase
        $before = Get-TestKeys $script:S3 $c.Prefix
        $before.Count | Should -Be (10 + 8 + 2)
        Remove-OpsBackup -ConfigPath $c.Path -OlderThanDays 3 -KeepLatest 2 -WhatIf
        Get-OpsBackup -ConfigPath $c.Path | Select-Object -First 3 | Remove-OpsBackup -ConfigPath $c.Path -WhatIf
        Get-TestKeys $script:S3 $c.Prefix | Should -Be $before
    }

    It 'removes backups older than N days, keeps the newest K good ones, and removes dump and manifest together' {
        $c = New-RetentionCase
        $r = Remove-OpsBackup -ConfigPath $c.Path -OlderThanDays 3 -KeepLatest 2 -Confirm:$false -PassThru
        $r | Should -BeOfType OpsRunbook.Core.Backup.BackupRemoval
        # app: days 1, 2 (younger than 3 days, no manifest) stay; days 3 and 4 are the newest good ones; 5..10 go.
        # reports: its only backup is good and among the newest 2, so it stays although 20 days old.
        $left = Get-OpsBackup -ConfigPath $c.Path
        $left.Key | Should -Be (@($c.AppKeys[0..3]) + $c.ReportKey)
        ($r | Where-Object Removed).Key | Should -Be $c.AppKeys[4..9]
        $keys = Get-TestKeys $script:S3 $c.Prefix
        foreach ($k in $c.AppKeys[4..9]) {
            $keys | Should -Not -Contain $k
            $keys | Should -Not -Contain ([OpsRunbook.Core.Backup.BackupKeys]::ManifestKey($k))
        }
        $keys | Should -Contain ([OpsRunbook.Core.Backup.BackupKeys]::ManifestKey($c.AppKeys[3]))
    }

    It 'keeps nothing extra with -KeepLatest 0 and limits itself to -Database' {
        $c = New-RetentionCase
        Remove-OpsBackup -ConfigPath $c.Path -OlderThanDays 0 -KeepLatest 0 -Database reports -Confirm:$false
        (Get-OpsBackup -ConfigPath $c.Path -Database reports) | Should -BeNullOrEmpty
        (Get-OpsBackup -ConfigPath $c.Path -Database app).Count | Should -Be 10
    }

    It 'removes piped backups by key' {
        $c = New-RetentionCase
        Get-OpsBackup -ConfigPath $c.Path -Database app | Select-Object -Skip 7 | Remove-OpsBackup -ConfigPath $c.Path -Confirm:$false
        (Get-OpsBackup -ConfigPath $c.Path -Database app).Key | Should -Be $c.AppKeys[0..6]
        Get-TestKeys $script:S3 $c.Prefix | Where-Object { $_ -like '*.manifest.json' } | ForEach-Object { $_ -replace '\.manifest\.json$', '.dump' } |
            ForEach-Object { $_ | Should -BeIn (Get-TestKeys $script:S3 $c.Prefix) }
    }

    It 'writes BackupNotFound for a key that does not exist, and goes on' {
        $c = New-RetentionCase
        $missing = "$($c.Prefix)app/2020/01/app-20200101T000000Z.dump"
        Remove-OpsBackup -ConfigPath $c.Path -Key $missing, $c.AppKeys[9] -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'BackupNotFound,*'
        (Get-OpsBackup -ConfigPath $c.Path -Database app).Count | Should -Be 9
        { Remove-OpsBackup -ConfigPath $c.Path -Key $missing -Confirm:$false -ErrorAction Stop } | Should -Throw
    }
}
