BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Import-Module (Join-Path $PSScriptRoot 'BackupTestHelpers.psm1') -Force
    Assert-OpsSandbox
    $script:Cfg = New-BackupTestConfig
    $script:S3 = Get-BackupTestS3 $script:Cfg.Path
    # A pg_dump stand-in that runs the real pg_dump, then fails: the upload must be aborted and nothing left behind.
    $script:FailBin = Join-Path $TestDrive 'failbin'
    $null = New-Item -ItemType Directory $script:FailBin
    $real = (Get-Command pg_dump -ErrorAction Ignore).Source
    if (-not $real) { $real = '/usr/lib/postgresql/15/bin/pg_dump' }
    Set-Content -Path (Join-Path $script:FailBin 'pg_dump') -Value @"
#!/bin/sh
printf '%s\n' "`$@" > '$script:FailBin/args.txt'
env > '$script:FailBin/env.txt'
case "`$1" in --version) exec '$real' --version ;; esac
'$real' "`$@"
echo "pg_dump: error: simulated failure after the data" >&2
exit 3
"@
    & chmod +x (Join-Path $script:FailBin 'pg_dump')
}

AfterAll { if ($script:S3) { Remove-TestPrefix $script:S3 ($script:Cfg.Prefix -replace 'pg/$', ''); $script:S3.Client.Dispose() } }

Describe 'Backup-OpsDatabase' {
    It 'streams a dump to S3 that round-trips byte for byte, with a manifest of exact row counts' {
        $r = Backup-OpsDatabase -ConfigPath $script:Cfg.Path
        $r | Should -BeOfType OpsRunbook.Core.Backup.BackupResult
        $r.Key | Should -Match ('^' + [regex]::Escape($script:Cfg.Prefix) + 'app/\d{4}/\d{2}/app-\d{8}T\d{6}Z\.dump$')
        $r.ManifestKey | Should -Be ($r.Key -replace '\.dump$', '.manifest.json')
        $bytes = Read-TestObject $script:S3 $r.Key
        $bytes.Length | Should -Be $r.SizeBytes
        Get-Sha256Hex $bytes | Should -Be $r.Sha256
        [Text.Encoding]::ASCII.GetString($bytes, 0, 5) | Should -Be 'PGDMP'
        $m = [OpsRunbook.Core.Backup.BackupManifest]::FromJson([Text.Encoding]::UTF8.GetString((Read-TestObject $script:S3 $r.ManifestKey)))
        $m.Sha256 | Should -Be $r.Sha256
        $m.SizeBytes | Should -Be $r.SizeBytes
        $m.Database | Should -Be 'app'
        $m.ServerVersion | Should -Match '^15\.'
        $m.PgDumpVersion | Should -Match 'pg_dump'
        $m.EndTime | Should -BeGreaterOrEqual $m.StartTime
        $m.Tables.Count | Should -Be 6
        foreach ($t in $m.Tables) {
            [long](Invoke-OpsSandboxSql "SELECT count(*) FROM $($t.Schema).$($t.Name)") | Should -Be $t.Rows -Because $t.Name
        }
    }

    It 'writes a local dump and manifest with -Path that pg_restore can read' {
        $path = Join-Path $TestDrive 'local/app.dump'
        $r = Backup-OpsDatabase -ConfigPath $script:Cfg.Path -Path $path
        $r.Path | Should -Be $path
        (Get-Item $path).Length | Should -Be $r.SizeBytes
        (Get-FileHash $path -Algorithm SHA256).Hash.ToLower() | Should -Be $r.Sha256
        Test-Path (Join-Path $TestDrive 'local/app.manifest.json') | Should -BeTrue
        Test-Path "$path.partial" | Should -BeFalse
        & /usr/lib/postgresql/15/bin/pg_restore --list $path | Should -Not -BeNullOrEmpty
        $LASTEXITCODE | Should -Be 0
    }

    It 'dumps another database with -Database and -Environment' {
        $r = Backup-OpsDatabase -ConfigPath $script:Cfg.Path -Environment staging -Database app_staging -CompressionLevel 1
        $r.Database | Should -Be 'app_staging'
        $r.Key | Should -Match '/app_staging/'
        $r.Rows | Should -BeGreaterThan 0
    }

    It 'shows progress and completes it' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Get-OpsModulePath)'; Backup-OpsDatabase -ConfigPath '$($script:Cfg.Path)'")
            $out = $ps.Invoke()
            $ps.HadErrors | Should -BeFalse
            $out.Count | Should -Be 1
            $p = @($ps.Streams.Progress)
            ($p | Where-Object Activity -eq 'Backup app').StatusDescription | Should -Contain 'Taking a snapshot'
            ($p | Where-Object Activity -eq 'Backup app').StatusDescription | Should -Contain 'Completing the upload'
            $p[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }

    It 'changes nothing under -WhatIf' {
        $before = @(Get-TestKeys $script:S3 $script:Cfg.Prefix).Count
        Backup-OpsDatabase -ConfigPath $script:Cfg.Path -WhatIf | Should -BeNullOrEmpty
        @(Get-TestKeys $script:S3 $script:Cfg.Prefix).Count | Should -Be $before
    }

    It 'aborts the multipart upload when pg_dump fails, with BackupDumpFailed and pg_dump''s message, and never passes the password on the command line' {
        $cfg = New-BackupTestConfig -Backup "{ pgBinDirectory: '$script:FailBin' }" -Name 'fail.yaml'
        $s3 = Get-BackupTestS3 $cfg.Path
        try {
            $err = $null
            $messages = $(try { Backup-OpsDatabase -ConfigPath $cfg.Path -ErrorAction Stop -Verbose } catch { $err = $_ }) 4>&1 3>&1 | Out-String
            $err.FullyQualifiedErrorId | Should -BeLike 'BackupDumpFailed,*'
            $err.Exception.Message | Should -Match 'simulated failure'
            # The upload was never completed: no object (dump or manifest) exists.
            @(Get-TestKeys $s3 $cfg.Prefix).Count | Should -Be 0
            # And it was aborted (s3rver 3.7.1 answers AbortMultipartUpload with 405: the attempt is reported).
            $messages | Should -Match 'abort(ed)? the multipart upload'
            $args = Get-Content (Join-Path $script:FailBin 'args.txt') -Raw
            $args | Should -Not -Match ([regex]::Escape($env:DB_PASSWORD))
            $args | Should -Match '--snapshot='
            (Get-Content (Join-Path $script:FailBin 'env.txt')) -contains "PGPASSWORD=$env:DB_PASSWORD" | Should -BeTrue
        }
        finally { $s3.Client.Dispose() }
    }

    It 'stops with <Id> for <Case>' -ForEach @(
        @{ Case = 'a database that does not exist'; Id = 'DbDatabaseNotFound'; Params = @{ Database = 'no_such_db' } }
        @{ Case = 'S3 down'; Id = 'BackupUploadFailed'; S3Down = $true; Params = @{} }
        @{ Case = 'a pg_dump that cannot be found'; Id = 'PgToolNotFound'; Backup = "{ pgBinDirectory: '/nonexistent' }"; Params = @{} }
    ) {
        $cfg = if ($Backup) { New-BackupTestConfig -Backup $Backup -Name 'case.yaml' } else { New-BackupTestConfig -Name 'case.yaml' }
        if ($S3Down) {
            $port = Get-OpsFreePort
            (Get-Content $cfg.Path -Raw) -replace "serviceUrl: 'http://127.0.0.1:\d+'", "serviceUrl: 'http://127.0.0.1:$port'" | Set-Content $cfg.Path
        }
        $err = $null
        try { Backup-OpsDatabase -ConfigPath $cfg.Path @Params -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $s3 = Get-BackupTestS3 (New-BackupTestConfig -Name 'check.yaml').Path
        try { @(Get-TestKeys $s3 $cfg.Prefix).Count | Should -Be 0 } finally { $s3.Client.Dispose() }
    }

    It 'never shows the database password or the S3 secret' {
        $text = Invoke-OpsCaptureAll { Backup-OpsDatabase -ConfigPath $script:Cfg.Path -Verbose }
        $text | Should -Match 'pg_dump'
        $text | Should -Not -Match ([regex]::Escape($env:DB_PASSWORD))
        $cfg = New-BackupTestConfig -Backup "{ pgBinDirectory: '$script:FailBin' }" -Name 'leak.yaml'
        $text = Invoke-OpsCaptureAll { Backup-OpsDatabase -ConfigPath $cfg.Path -Verbose }
        $text | Should -Match 'simulated failure'
        $text | Should -Not -Match ([regex]::Escape($env:DB_PASSWORD))
    }
}
