<#
    Every wait is bounded and ends in a named error: dependencies that accept a connection and never
    answer, locks held elsewhere, steps that hang (issue 9).
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Import-Module (Join-Path $PSScriptRoot 'BackupTestHelpers.psm1') -Force
    Assert-OpsSandbox
    # A listener that completes the TCP handshake (the kernel's backlog) and never says a word.
    $script:Hang = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $script:Hang.Start()
    $hungUrl = "http://127.0.0.1:$($script:Hang.LocalEndpoint.Port)"
    $text = (Get-Content (Get-OpsSandbox).ConfigPath -Raw) -replace "serviceUrl: 'http://127.0.0.1:\d+'", "serviceUrl: '$hungUrl', timeoutSeconds: 2"
    $script:HungS3Config = Join-Path $TestDrive 'hung-s3.yaml'
    Set-Content -Path $script:HungS3Config -Value $text
    $script:HungUrl = $hungUrl
}

AfterAll { if ($script:Hang) { $script:Hang.Stop() } }

Describe 'A hung S3 endpoint' {
    It '<Name> ends in BackupStorageTimeout naming the endpoint within s3.timeoutSeconds, retries included' -ForEach @(
        @{ Name = 'Get-OpsBackup'; Run = { Get-OpsBackup -ConfigPath $script:HungS3Config -ErrorAction Stop } }
        @{ Name = 'Backup-OpsDatabase'; Run = { Backup-OpsDatabase -ConfigPath $script:HungS3Config -ErrorAction Stop } }
        @{ Name = 'Test-BackupRestore'; Run = { Test-BackupRestore -ConfigPath $script:HungS3Config -Environment staging -Key 'postgres/app/2026/12/01/app-20261201T000000Z.dump' -ErrorAction Stop } }
    ) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $e = { & $Run } | Should -Throw -PassThru
        $sw.Stop()
        $e.FullyQualifiedErrorId | Should -BeLike 'BackupStorageTimeout,*'
        $e.Exception.Message | Should -Match ([regex]::Escape($script:HungUrl))
        # 2 s per request; a cmdlet makes at most a couple of requests in line before the first one fails.
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 6
    }
}

Describe 'A cmdlet whose pipeline side fails' {
    It 'Test-BackupRestore -WarningAction Stop on a backup that warns leaves no scratch database and no running pg_restore' {
        $cfg = New-BackupTestConfig
        $path = Join-Path $TestDrive 'no-manifest.dump'
        $null = Backup-OpsDatabase -ConfigPath $cfg.Path -Path $path
        Remove-Item ([OpsRunbook.Core.Backup.BackupKeys]::ManifestPath($path))
        Get-ScratchDatabases | Should -BeNullOrEmpty
        # "has no manifest" is a warning; under -WarningAction Stop it ends the cmdlet.
        { Test-BackupRestore -ConfigPath $cfg.Path -Environment staging -Path $path -WarningAction Stop } | Should -Throw '*no manifest*'
        # Before the fix the restore went on in the background: a scratch database and pg_restore appeared after the cmdlet ended.
        $seen = foreach ($i in 1..30) {
            Get-ScratchDatabases
            # Only our own pg_restore: other sandboxes on the machine may restore at the same time.
            Get-Process pg_restore -ErrorAction Ignore | Where-Object { $_.CommandLine -like "*$path*" } | ForEach-Object { "pg_restore $($_.Id)" }
            Start-Sleep -Milliseconds 100
        }
        $seen | Should -BeNullOrEmpty
    }
}

Describe 'A read-only cmdlet behind a lock held elsewhere' {
    BeforeAll {
        $sb = Get-OpsSandbox
        $text = (Get-Content $sb.ConfigPath -Raw) -replace 'database: app, ', 'database: app, lockTimeoutSeconds: 1, '
        $script:LockConfig = Join-Path $TestDrive 'lock.yaml'
        Set-Content -Path $script:LockConfig -Value $text
        function Start-LockHolder {
            # psql holds ACCESS EXCLUSIVE on users for 20 s (killed by the test), as a migration would.
            $psi = [Diagnostics.ProcessStartInfo]::new('/usr/lib/postgresql/15/bin/psql')
            foreach ($a in '-X', '-q', '-h', $sb.PgSocket, '-p', "$($sb.Ports.Postgres)", '-U', 'postgres', '-d', 'app',
                '-c', 'BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(20); COMMIT;') { $psi.ArgumentList.Add($a) }
            $psi.Environment['PGAPPNAME'] = 'opsrb-lock-holder'
            $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
            $p = [Diagnostics.Process]::Start($psi)
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            do {
                Start-Sleep -Milliseconds 100
                $held = Invoke-OpsSandboxSql "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'users' AND l.mode = 'AccessExclusiveLock' AND l.granted"
            } until ($held -eq '1' -or [DateTime]::UtcNow -gt $deadline)
            $held | Should -Be '1'
            $p
        }
    }

    It '<Name> ends in DbLockTimeout naming the relation and the blocking session, within postgres.lockTimeoutSeconds' -ForEach @(
        @{ Name = 'Get-OpsDbTable'; Run = { Get-OpsDbTable -ConfigPath $script:LockConfig -ErrorAction Stop } }
        @{ Name = 'Get-OpsUserMetrics'; Run = { Get-OpsUserMetrics -ConfigPath $script:LockConfig -ErrorAction Stop } }
    ) {
        $holder = Start-LockHolder
        try {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $e = { & $Run } | Should -Throw -PassThru
            $sw.Stop()
            $e.FullyQualifiedErrorId | Should -BeLike 'DbLockTimeout,*'
            $e.Exception.Message | Should -Match 'users'
            $e.Exception.Message | Should -Match 'opsrb-lock-holder'
            $e.Exception.Message | Should -Match 'LOCK TABLE users'
            $e.ErrorDetails.RecommendedAction | Should -Match 'Stop-OpsDbConnection -Pid \d+'
            $e.ErrorDetails.RecommendedAction | Should -Not -Match 'connectTimeoutSeconds'
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 6
        }
        finally {
            # Its backend would sleep on, holding the lock, after psql is gone: end it on the server.
            $null = Invoke-OpsSandboxSql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'opsrb-lock-holder'"
            Stop-Process -Id $holder.Id -Force -ErrorAction Ignore; $holder.WaitForExit()
        }
    }
}

Describe 'Clear-DiskEmergency steps whose tool or daemon hangs' {
    BeforeAll {
        # A journalctl that never finishes, and a Docker socket that accepts and never answers.
        $script:HangStub = Join-Path $TestDrive 'hang-bin'; $null = New-Item -ItemType Directory $script:HangStub
        Set-Content -Path "$script:HangStub/journalctl" -Value "#!/bin/sh`nexec sleep 600`n"
        chmod +x "$script:HangStub/journalctl"
        $script:HungSock = Join-Path $TestDrive 'hung-docker.sock'
        $script:SockListener = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
        $script:SockListener.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($script:HungSock))
        $script:SockListener.Listen(16)
        $logs = Join-Path $TestDrive 'hang-logs'; $null = New-Item -ItemType Directory $logs
        $script:HangConfig = New-OpsTestConfig -Name 'hang-steps.yaml' -Text @"
environments:
  production:
    cleanup:
      - { name: old-logs, path: '$logs', pattern: '*.log', olderThanDays: 7, action: delete }
    diskEmergency: { journalVacuumTime: 2d, dockerPrune: true, dockerEndpoint: 'unix://$script:HungSock', stepTimeoutSeconds: 1 }
"@
        $script:SavedPath = $env:PATH
        $env:PATH = "$($script:HangStub):$env:PATH"
    }
    AfterAll {
        $env:PATH = $script:SavedPath
        $script:SockListener.Dispose()
    }

    It 'bounds each step by diskEmergency.stepTimeoutSeconds, names the failure, and never reports a failed step as freed 0 B' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $out = Clear-DiskEmergency -ConfigPath $script:HangConfig -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        $sw.Stop()
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 8 -Because 'two steps of 1 s each, not 600 s'
        @($out).Policy | Should -Be @('old-logs') -Because 'a failed step gives an error, not a result that freed 0 bytes'
        $ids = @($errs | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' })
        $ids | Should -Contain 'ProcessTimeout'
        $ids | Should -Contain 'DockerTimeout'
        ($errs | Where-Object FullyQualifiedErrorId -like 'ProcessTimeout,*').Exception.Message | Should -Match 'journalctl.*diskEmergency.stepTimeoutSeconds'
        ($errs | Where-Object FullyQualifiedErrorId -like 'DockerTimeout,*').Exception.Message | Should -Match ([regex]::Escape($script:HungSock))
        # The hung journalctl was stopped, not left behind.
        Get-Process sleep -ErrorAction Ignore | Where-Object { $_.CommandLine -match 'sleep 600' } | Should -BeNullOrEmpty
    }

    It '-WhatIf is bounded the same way' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $out = Clear-DiskEmergency -ConfigPath $script:HangConfig -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 8
        @($out | Where-Object Policy -in 'journal', 'docker') | Should -BeNullOrEmpty
        @($errs).Count | Should -Be 2
    }
}

Describe 'Paths that name a directory' {
    It 'Backup-OpsDatabase -Path (an existing directory) says BackupPathIsDirectory and writes nothing' {
        $dir = Join-Path $TestDrive 'dumps'; $null = New-Item -ItemType Directory $dir
        { Backup-OpsDatabase -ConfigPath (Get-OpsSandbox).ConfigPath -Path $dir -ErrorAction Stop } | Should -Throw -ErrorId 'BackupPathIsDirectory,OpsRunbook.Commands.BackupOpsDatabaseCommand'
        Get-ChildItem $dir | Should -BeNullOrEmpty
        Test-Path "$dir.partial" | Should -BeFalse
    }

    It '-ConfigPath (a directory) says it is a directory' {
        $e = { Get-OpsConfig -ConfigPath $TestDrive -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ConfigFileUnreadable,*'
        $e.Exception.Message | Should -Match 'is a directory'
    }
}

Describe 'Invoke-DbMaintenance and the system catalogs' {
    It 'refuses pg_catalog.pg_class without -IncludeSystemSchema and goes on with the rest' {
        $r = Invoke-DbMaintenance -ConfigPath (Get-OpsSandbox).ConfigPath -Table 'pg_catalog.pg_class', 'information_schema.sql_features', 'users' -Operation Analyze -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) | Should -Be @('DbSystemSchemaRefused', 'DbSystemSchemaRefused')
        @($r).Count | Should -Be 1
        $r.Table | Should -Match 'users$'
    }

    It 'maintains a catalog table with -IncludeSystemSchema' {
        $r = Invoke-DbMaintenance -ConfigPath (Get-OpsSandbox).ConfigPath -Table 'pg_catalog.pg_class' -Operation Analyze -IncludeSystemSchema -ErrorAction Stop
        @($r).Count | Should -Be 1
    }
}
