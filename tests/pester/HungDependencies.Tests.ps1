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
            Get-Process pg_restore -ErrorAction Ignore | ForEach-Object { "pg_restore $($_.Id)" }
            Start-Sleep -Milliseconds 100
        }
        $seen | Should -BeNullOrEmpty
    }
}
