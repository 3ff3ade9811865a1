BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Import-Module (Join-Path $PSScriptRoot 'BackupTestHelpers.psm1') -Force
    Assert-OpsSandbox
    $script:Cfg = New-BackupTestConfig
    $script:S3 = Get-BackupTestS3 $script:Cfg.Path
    $script:Now = [DateTimeOffset]::new([DateTime]::UtcNow.Date.AddHours([DateTime]::UtcNow.Hour), [TimeSpan]::Zero)
    # 23 backups of app (hourly, one without a manifest), 3 of reports, a stray object, and 3 media objects.
    $script:AppKeys = foreach ($i in 1..23) { New-FakeBackup $script:S3 $script:Cfg.Prefix -Time $script:Now.AddHours(-$i) -Size (1000 + $i) -NoManifest:($i -eq 5) }
    $script:ReportKeys = foreach ($i in 1..3) { New-FakeBackup $script:S3 $script:Cfg.Prefix -Database reports -Time $script:Now.AddDays(-$i).AddMinutes(-30) }
    Write-TestObject $script:S3 "$($script:Cfg.Prefix)README.txt" 'not a backup'
    foreach ($i in 1..3) { Write-TestObject $script:S3 "$($script:Cfg.MediaPrefix)u$i/photo.jpg" ([byte[]]::new(100 * $i)) }
}

AfterAll { if ($script:S3) { Remove-TestPrefix $script:S3 ($script:Cfg.Prefix -replace 'pg/$', ''); $script:S3.Client.Dispose() } }

Describe 'Get-OpsBackup' {
    It 'lists every backup newest first across many pages (ListObjectsV2 continuation)' {
        $all = Get-OpsBackup -ConfigPath $script:Cfg.Path -PageSize 4
        $all.Count | Should -Be 26
        $all[0] | Should -BeOfType OpsRunbook.Core.Backup.BackupInfo
        $times = $all.Time
        $times | Should -Be ($times | Sort-Object -Descending)
        $all[0].Key | Should -Be $script:AppKeys[0]
        $all | Where-Object Key -like '*README*' | Should -BeNullOrEmpty
        (Get-OpsBackup -ConfigPath $script:Cfg.Path -PageSize 1000).Count | Should -Be 26
    }

    It 'gives Key, Database, Time, Age, SizeBytes and the manifest' {
        $b = Get-OpsBackup -ConfigPath $script:Cfg.Path -Database app -Latest 1
        $b.Database | Should -Be 'app'
        $b.Time | Should -Be $script:Now.AddHours(-1)
        $b.Age.TotalMinutes | Should -BeGreaterThan 59
        $b.SizeBytes | Should -Be 1001
        $b.Manifest.SizeBytes | Should -Be 1001
        $b.Manifest.Tables[0].Name | Should -Be 'users'
        ($b | Format-Table | Out-String) | Should -Match 'KiB|B'
        $noManifest = Get-OpsBackup -ConfigPath $script:Cfg.Path -Database app | Where-Object Key -eq $script:AppKeys[4]
        $noManifest.HasManifest | Should -BeFalse
        $noManifest.Manifest | Should -BeNullOrEmpty
    }

    It 'filters with -Database and -Latest, and skips manifests with -NoManifest' {
        $r = Get-OpsBackup -ConfigPath $script:Cfg.Path -Database reports -PageSize 2
        $r.Count | Should -Be 3
        $r.Database | Sort-Object -Unique | Should -Be 'reports'
        $latest = Get-OpsBackup -ConfigPath $script:Cfg.Path -Latest 3 -PageSize 5
        $latest.Key | Should -Be $script:AppKeys[0..2]
        (Get-OpsBackup -ConfigPath $script:Cfg.Path -Latest 2 -NoManifest | Where-Object Manifest) | Should -BeNullOrEmpty
    }

    It 'returns nothing, without error, for an empty prefix' {
        $empty = New-BackupTestConfig -Name 'empty.yaml'
        Get-OpsBackup -ConfigPath $empty.Path -ErrorAction Stop | Should -BeNullOrEmpty
        Get-OpsBackup -ConfigPath $script:Cfg.Path -Database nosuchdb -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'summarises the postgres and media prefixes with -Summary' {
        $s = Get-OpsBackup -ConfigPath $script:Cfg.Path -Summary -PageSize 7
        $s.Count | Should -Be 2
        $pg = $s | Where-Object Prefix -eq $script:Cfg.Prefix
        $pg.Objects | Should -Be (23 + 22 + 3 + 3 + 1)
        $media = $s | Where-Object Prefix -eq $script:Cfg.MediaPrefix
        $media.Objects | Should -Be 3
        $media.TotalBytes | Should -Be 600
        $media.Newest | Should -Not -BeNullOrEmpty
    }

    It 'stops with BackupStorageUnavailable when S3 is down' {
        $cfg = New-BackupTestConfig -Name 'down.yaml'
        $port = Get-OpsFreePort
        (Get-Content $cfg.Path -Raw) -replace "serviceUrl: 'http://127.0.0.1:\d+'", "serviceUrl: 'http://127.0.0.1:$port'" | Set-Content $cfg.Path
        $err = $null
        try { Get-OpsBackup -ConfigPath $cfg.Path -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'BackupStorageUnavailable,*'
    }

    It 'stops with BackupBucketNotFound for a missing bucket' {
        $cfg = New-BackupTestConfig -Name 'nobucket.yaml'
        (Get-Content $cfg.Path -Raw) -replace 'bucket: backups', 'bucket: no-such-bucket' | Set-Content $cfg.Path
        $err = $null
        try { Get-OpsBackup -ConfigPath $cfg.Path -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'BackupBucketNotFound,*'
    }
}
