BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Import-Module (Join-Path $PSScriptRoot 'BackupTestHelpers.psm1') -Force
    Assert-OpsSandbox
    $script:Cfg = New-BackupTestConfig
    $script:S3 = Get-BackupTestS3 $script:Cfg.Path
    $script:Good = Backup-OpsDatabase -ConfigPath $script:Cfg.Path
    $script:GoodBytes = Read-TestObject $script:S3 $script:Good.Key
    $script:Manifest = $script:Good.Manifest
    $script:Minute = 0
    function New-VariantBackup([byte[]] $Bytes, [string] $ManifestJson) {
        # A dump in the key layout, at a distinct time, with the given bytes and manifest (none when $null).
        $script:Minute++
        $key = [OpsRunbook.Core.Backup.BackupKeys]::DumpKey($script:Cfg.Prefix, 'app', [DateTimeOffset]::UtcNow.AddDays(-1).AddMinutes($script:Minute))
        Write-TestObject $script:S3 $key $Bytes
        if ($ManifestJson) { Write-TestObject $script:S3 ([OpsRunbook.Core.Backup.BackupKeys]::ManifestKey($key)) $ManifestJson }
        $key
    }
}

AfterAll {
    if ($script:S3) { Remove-TestPrefix $script:S3 ($script:Cfg.Prefix -replace 'pg/$', ''); $script:S3.Client.Dispose() }
    foreach ($d in Get-ScratchDatabases) { Invoke-OpsSandboxSql -Database postgres "DROP DATABASE IF EXISTS $d WITH (FORCE)" | Out-Null }
}

Describe 'Test-BackupRestore' {
    BeforeEach { Get-ScratchDatabases | Should -BeNullOrEmpty -Because 'no scratch database may be left over from an earlier test' }
    AfterEach { Get-ScratchDatabases | Should -BeNullOrEmpty -Because 'the scratch database must be dropped' }

    It 'restores a piped backup on staging, verifies every table''s row count, and drops the scratch database' {
        $r = Get-OpsBackup -ConfigPath $script:Cfg.Path -Latest 1 | Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Jobs 2
        $r | Should -BeOfType OpsRunbook.Core.Backup.BackupRestoreResult
        $r.Backup | Should -Be "s3://backups/$($script:Good.Key)"
        $r.RestoreStatus | Should -Be 'Success'
        $r.VerifyStatus | Should -Be 'Success'
        $r.ChecksumOk | Should -BeTrue
        $r.TablesChecked | Should -Be $script:Manifest.Tables.Count
        $r.RowsChecked | Should -Be $script:Manifest.TotalRows
        $r.Mismatches | Should -BeNullOrEmpty
        $r.ScratchDatabase | Should -Match '^opsrunbook_restore_\d{14}_[0-9a-f]{6}$'
        $r.Dropped | Should -BeTrue
        $r.SizeBytes | Should -Be $script:Good.SizeBytes
        $r.BackupTime | Should -Be $script:Good.StartTime
        $r.TestServer | Should -Be "127.0.0.1:$((Get-OpsSandbox).Ports.Postgres)"
        $r.RestoreDuration | Should -BeGreaterThan ([TimeSpan]::Zero)
        $r.ErrorId | Should -BeNullOrEmpty
    }

    It 'shows progress through its steps and completes it' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Get-OpsModulePath)'; Test-BackupRestore -ConfigPath '$($script:Cfg.Path)' -Environment staging -Key '$($script:Good.Key)'")
            $out = $ps.Invoke()
            $out[0].Success | Should -BeTrue
            $status = @($ps.Streams.Progress | Where-Object RecordType -ne 'Completed').StatusDescription
            ($ps.Streams.Progress | Where-Object Activity -eq 'Downloading') | Should -Not -BeNullOrEmpty
            $status | Where-Object { $_ -like 'Creating opsrunbook_restore_*' } | Should -Not -BeNullOrEmpty
            $status | Where-Object { $_ -like 'pg_restore -j 2 into *' } | Should -Not -BeNullOrEmpty
            $status | Where-Object { $_ -like 'Counting rows in * tables' } | Should -Not -BeNullOrEmpty
            @($ps.Streams.Progress)[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }

    It 'takes a backup straight from Backup-OpsDatabase, and a -Key' {
        $r = Backup-OpsDatabase -ConfigPath $script:Cfg.Path -Environment staging | Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging
        $r.Success | Should -BeTrue
        $r.Database | Should -Be 'app_staging'
        (Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $script:Good.Key).Success | Should -BeTrue
    }

    It 'tests a local dump with -Path' {
        $path = Join-Path $TestDrive 'local.dump'
        $null = Backup-OpsDatabase -ConfigPath $script:Cfg.Path -Path $path
        $r = Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Path $path
        $r.Success | Should -BeTrue
        $r.Backup | Should -Be $path
        $r.TablesChecked | Should -Be 6
    }

    It 'fails with BackupChecksumMismatch for a corrupted dump and restores nothing' {
        $bytes = [byte[]]$script:GoodBytes.Clone(); $bytes[[int]($bytes.Length / 2)] = $bytes[[int]($bytes.Length / 2)] -bxor 0xFF
        $key = New-VariantBackup $bytes $script:Manifest.ToJson()
        $r = Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $key -ErrorVariable e -ErrorAction SilentlyContinue
        $r.ErrorId | Should -Be 'BackupChecksumMismatch'
        $r.ChecksumOk | Should -BeFalse
        $r.VerifyStatus | Should -Be 'Failed'
        $r.ScratchDatabase | Should -BeNullOrEmpty
        $r.Message | Should -Match 'Nothing was restored'
        $e[0].FullyQualifiedErrorId | Should -BeLike 'BackupChecksumMismatch,*'
        { Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $key -ErrorAction Stop } | Should -Throw
    }

    It 'fails with RestoreFailed and pg_restore''s own message for a truncated dump, and drops the scratch database' {
        $key = New-VariantBackup ([byte[]]$script:GoodBytes[0..([int]($script:GoodBytes.Length / 2))]) $null
        $r = Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $key -WarningAction SilentlyContinue -ErrorVariable e -ErrorAction SilentlyContinue
        $r.ErrorId | Should -Be 'RestoreFailed'
        $r.RestoreStatus | Should -Be 'Failed'
        $r.Message | Should -Match 'pg_restore'
        $r.Message | Should -Match 'could not read|unexpected end|error'
        $r.ScratchDatabase | Should -Not -BeNullOrEmpty
        $r.Dropped | Should -BeTrue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'RestoreFailed,*'
    }

    It 'fails with RestoreVerificationFailed when row counts or tables differ from the manifest' {
        $m = [OpsRunbook.Core.Backup.BackupManifest]::FromJson($script:Manifest.ToJson())
        $users = $m.Tables | Where-Object Name -eq 'users'
        $m.Tables[$m.Tables.IndexOf($users)] = [OpsRunbook.Core.Backup.BackupTableCount]::new('public', 'users', $users.Rows + 1)
        $m.Tables.Add([OpsRunbook.Core.Backup.BackupTableCount]::new('public', 'ghost', 3))
        $key = New-VariantBackup $script:GoodBytes $m.ToJson()
        $r = Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $key -ErrorAction SilentlyContinue
        $r.ErrorId | Should -Be 'RestoreVerificationFailed'
        $r.RestoreStatus | Should -Be 'Success'
        $r.VerifyStatus | Should -Be 'Failed'
        $r.Mismatches.Count | Should -Be 2
        $r.Mismatches | Should -Contain 'public.ghost: missing'
        ($r.Mismatches -match "public.users: $($users.Rows) rows restored, $($users.Rows + 1) in the manifest").Count | Should -Be 1
        $r.Dropped | Should -BeTrue
    }

    It 'gives a Failed result with <Id> when <Case>' -ForEach @(
        @{ Case = 'the key does not exist'; Id = 'BackupNotFound' }
        @{ Case = 'S3 is down'; Id = 'BackupStorageUnavailable' }
        @{ Case = 'the test server is down'; Id = 'DbConnectFailed' }
    ) {
        $params = @{ ConfigPath = $script:Cfg.Path; Environment = 'staging'; Key = $script:Good.Key }
        switch ($Id) {
            'BackupNotFound' { $params.Key = "$($script:Cfg.Prefix)app/2020/01/app-20200101T000000Z.dump" }
            'BackupStorageUnavailable' {
                $path = Join-Path $TestDrive 's3down.yaml'
                (Get-Content $script:Cfg.Path -Raw) -replace "serviceUrl: 'http://127.0.0.1:\d+'", "serviceUrl: 'http://127.0.0.1:$(Get-OpsFreePort)'" | Set-Content $path
                $params.ConfigPath = $path
            }
            'DbConnectFailed' { $params.TestServer = "127.0.0.1:$(Get-OpsFreePort)" }
        }
        $r = Test-BackupRestore @params -ErrorVariable e -ErrorAction SilentlyContinue
        $r.ErrorId | Should -Be $Id
        $r.Success | Should -BeFalse
        $r.Message | Should -Not -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        { Test-BackupRestore @params -ErrorAction Stop } | Should -Throw
    }

    It 'refuses a production server unless -AllowProduction' {
        $err = $null
        try { Test-BackupRestore -ConfigPath $script:Cfg.Path -Key $script:Good.Key -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'RestoreProductionRefused,*'
        $err = $null
        try { Test-BackupRestore -ConfigPath $script:Cfg.Path -Key $script:Good.Key -TestServer "127.0.0.1:$((Get-OpsSandbox).Ports.Postgres)" -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'RestoreProductionRefused,*'
        (Test-BackupRestore -ConfigPath $script:Cfg.Path -Key $script:Good.Key -AllowProduction).Success | Should -BeTrue
    }

    It 'creates nothing under -WhatIf' {
        $r = Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $script:Good.Key -WhatIf
        $r.RestoreStatus | Should -Be 'Skipped'
        $r.ScratchDatabase | Should -BeNullOrEmpty
        Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -RemoveScratch -WhatIf | Should -BeNullOrEmpty
    }

    It 'skips a backup above -MaxSize, saying why' {
        $r = Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $script:Good.Key -MaxSize 1KB
        $r.RestoreStatus | Should -Be 'Skipped'
        $r.Message | Should -Match 'MaxSize'
        $r.ErrorId | Should -BeNullOrEmpty
    }

    It 'checks only the checksum and the archive with -VerifyOnly' {
        $r = Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $script:Good.Key -VerifyOnly
        $r.VerifyStatus | Should -Be 'Success'
        $r.RestoreStatus | Should -Be 'Skipped'
        $r.ChecksumOk | Should -BeTrue
        $r.Message | Should -Match 'pg_restore --list'
        $junk = New-VariantBackup ([Text.Encoding]::ASCII.GetBytes('this is not a dump at all')) $null
        $r = Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $junk -VerifyOnly -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $r.ErrorId | Should -Be 'BackupCorrupt'
        $r.Message | Should -Match 'pg_restore'
    }

    It 'keeps the scratch database with -NoDrop, and -RemoveScratch cleans up leftovers' {
        $r = Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $script:Good.Key -NoDrop -WarningAction SilentlyContinue
        $r.Dropped | Should -BeFalse
        Get-ScratchDatabases | Should -Be $r.ScratchDatabase
        Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -RemoveScratch -Confirm:$false | Should -Be $r.ScratchDatabase
    }

    It 'drops the scratch database when the restore is stopped (Ctrl+C)' {
        $bin = Join-Path $TestDrive 'slowbin'; $null = New-Item -ItemType Directory $bin -Force
        Set-Content (Join-Path $bin 'pg_restore') "#!/bin/sh`nsleep 60`nexec /usr/lib/postgresql/15/bin/pg_restore `"`$@`"`n"
        & chmod +x (Join-Path $bin 'pg_restore')
        $slow = New-BackupTestConfig -Backup "{ pgBinDirectory: '$bin' }" -Name 'slow.yaml'
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$(Get-OpsModulePath)'; Test-BackupRestore -ConfigPath '$($slow.Path)' -Environment staging -Key '$($script:Good.Key -replace [regex]::Escape($script:Cfg.Prefix), $slow.Prefix)'")
        Write-TestObject $script:S3 ($script:Good.Key -replace [regex]::Escape($script:Cfg.Prefix), $slow.Prefix) $script:GoodBytes
        Write-TestObject $script:S3 ($script:Good.ManifestKey -replace [regex]::Escape($script:Cfg.Prefix), $slow.Prefix) $script:Manifest.ToJson()
        try {
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not (Get-ScratchDatabases) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Get-ScratchDatabases | Should -Not -BeNullOrEmpty -Because 'the restore should have created its scratch database'
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 20
            Get-ScratchDatabases | Should -BeNullOrEmpty
            Get-Process -Name sleep -ErrorAction Ignore | Where-Object { $_.Parent.Name -eq 'pg_restore' } | Should -BeNullOrEmpty
        }
        finally { $ps.Dispose(); Remove-TestPrefix $script:S3 ($slow.Prefix -replace 'pg/$', '') }
    }

    It 'stops with RestoreDiskSpaceLow before downloading when the dump does not fit in backup.restoreTempDirectory' {
        $mnt = Join-Path $TestDrive 'small-tmp'; $null = New-Item -ItemType Directory $mnt -Force
        & mount -t tmpfs -o size=4k tmpfs $mnt
        $LASTEXITCODE | Should -Be 0 -Because 'the test mounts a 4 KiB tmpfs as the download directory (it runs as root, as .ci/run does)'
        try {
            $script:Good.SizeBytes | Should -BeGreaterThan 4KB
            $path = Join-Path $TestDrive 'small-tmp.yaml'
            (Get-Content $script:Cfg.Path -Raw) -replace '(?m)^(    thresholds: .*)$', "`$1`n    backup: { restoreTempDirectory: '$mnt' }" | Set-Content $path
            $r = Test-BackupRestore -ConfigPath $path -Environment staging -Key $script:Good.Key -ErrorVariable e -ErrorAction SilentlyContinue
            $r.ErrorId | Should -Be 'RestoreDiskSpaceLow'
            $r.Success | Should -BeFalse
            $r.ScratchDatabase | Should -BeNullOrEmpty
            $r.Sha256 | Should -BeNullOrEmpty -Because 'nothing may be downloaded'
            $r.Message | Should -Match ([regex]::Escape($mnt))
            $r.Message | Should -Match 'download'
            $r.Message | Should -Match 'has 4\.0 KiB free'
            $e[0].FullyQualifiedErrorId | Should -BeLike 'RestoreDiskSpaceLow,*'
            @(Get-ChildItem $mnt -Force) | Should -BeNullOrEmpty
            { Test-BackupRestore -ConfigPath $path -Environment staging -Key $script:Good.Key -ErrorAction Stop } | Should -Throw
            # -MaxSize and -WhatIf still answer without touching the disk.
            (Test-BackupRestore -ConfigPath $path -Environment staging -Key $script:Good.Key -WhatIf).ErrorId | Should -BeNullOrEmpty
        }
        finally { & umount $mnt }
    }

    It 'stops with RestoreDiskSpaceLow when the restored database, estimated from the manifest, does not fit on the test server''s disk' {
        $script:Manifest.DatabaseSizeBytes | Should -BeGreaterThan 0 -Because 'Backup-OpsDatabase records the database size in the manifest'
        $huge = [OpsRunbook.Core.Backup.BackupManifest]::FromJson($script:Manifest.ToJson())
        $huge.DatabaseSizeBytes = [long]1e18
        $key = New-VariantBackup $script:GoodBytes $huge.ToJson()
        $r = Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $key -ErrorAction SilentlyContinue
        $r.ErrorId | Should -Be 'RestoreDiskSpaceLow'
        $r.ScratchDatabase | Should -BeNullOrEmpty
        $dataDir = Invoke-OpsSandboxSql -Database postgres 'SHOW data_directory'
        $r.Message | Should -Match ([regex]::Escape($dataDir))
        $r.Message | Should -Match 'restored database'
        # The same dump with its true size passes the check.
        (Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $script:Good.Key).Success | Should -BeTrue
    }

    It 'logs in to -TestServer as the -Credential user, and names a wrong password without showing it' {
        $pw = 'Rt-' + [guid]::NewGuid().ToString('n')
        Invoke-OpsSandboxSql -Database postgres "DROP ROLE IF EXISTS restore_tester; CREATE ROLE restore_tester LOGIN SUPERUSER PASSWORD '$pw'" | Out-Null
        try {
            $cred = [pscredential]::new('restore_tester', (ConvertTo-SecureString $pw -AsPlainText -Force))
            $server = "127.0.0.1:$((Get-OpsSandbox).Ports.Postgres)"
            $r = Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $script:Good.Key -TestServer $server -Credential $cred -NoDrop -WarningAction SilentlyContinue
            $r.Success | Should -BeTrue
            Invoke-OpsSandboxSql -Database postgres "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$($r.ScratchDatabase)'" | Should -Be 'restore_tester'
            Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -RemoveScratch -TestServer $server -Credential $cred -Confirm:$false | Should -Be $r.ScratchDatabase
            $bad = [pscredential]::new('restore_tester', (ConvertTo-SecureString 'Wrong-Pass-7d1f0c' -AsPlainText -Force))
            $text = Invoke-OpsCaptureAll { Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $script:Good.Key -TestServer $server -Credential $bad -Verbose }
            $text | Should -Match 'DbAuthenticationFailed'
            $text | Should -Match 'restore_tester'
            $text | Should -Not -Match 'Wrong-Pass-7d1f0c'
            $text | Should -Not -Match ([regex]::Escape($pw))
        }
        finally { Invoke-OpsSandboxSql -Database postgres 'DROP ROLE IF EXISTS restore_tester' | Out-Null }
    }

    It 'never shows the database password' {
        $key = New-VariantBackup ([byte[]]$script:GoodBytes[0..2000]) $null
        $text = Invoke-OpsCaptureAll { Test-BackupRestore -ConfigPath $script:Cfg.Path -Environment staging -Key $key -Verbose }
        $text | Should -Match 'RestoreFailed|pg_restore'
        $text | Should -Not -Match ([regex]::Escape($env:DB_PASSWORD))
    }
}
