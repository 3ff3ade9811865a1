<#
    Test-OpsBucketLogging and the Backup family's access-logging row. s3rver (the sandbox's S3) does not implement
    GetBucketLogging (NotImplemented), so tests/sandbox/node/s3-logging-stub.mjs answers that one call, in S3's XML, and
    passes every other request through to s3rver: the Backup family's listing still runs against the real s3rver.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $sb = Get-OpsSandbox
    $script:StubUrl = "http://127.0.0.1:$($sb.Ports.S3Logging)"
    $script:Stub = Start-Process node -ArgumentList @((Join-Path (Get-OpsRepoRoot) 'tests/sandbox/node/s3-logging-stub.mjs')) -PassThru `
        -Environment @{ PORT = $sb.Ports.S3Logging; UPSTREAM = "http://127.0.0.1:$($sb.Ports.S3)" } -RedirectStandardOutput (Join-Path $TestDrive 'stub.log')
    $until = [DateTime]::UtcNow.AddSeconds(20)
    while ([DateTime]::UtcNow -lt $until) {
        try { $c = [Net.Sockets.TcpClient]::new('127.0.0.1', $sb.Ports.S3Logging); $c.Dispose(); break } catch { Start-Sleep -Milliseconds 100 }
    }
    # The sandbox config with S3 behind the stand-in and the check on.
    $text = (Get-OpsSandboxConfigText) -replace "serviceUrl: 'http://127\.0\.0\.1:\d+'", "serviceUrl: '$script:StubUrl'" -replace 'checkAccessLogging: false', 'checkAccessLogging: true'
    $script:Cfg = New-OpsTestConfig -Text $text -Name 'logging.yaml'
    function script:Set-Logging([hashtable] $Buckets) {
        $null = Invoke-RestMethod -Method Post -Uri "$script:StubUrl/_control" -Body (@{ buckets = $Buckets } | ConvertTo-Json -Depth 4) -ContentType 'application/json'
    }
}

AfterAll { if ($script:Stub -and -not $script:Stub.HasExited) { $script:Stub.Kill($true); $script:Stub.WaitForExit(5000) } }

Describe 'Test-OpsBucketLogging' {
    BeforeEach { $null = Invoke-RestMethod -Method Post -Uri "$script:StubUrl/_reset" }

    It 'reports logging off, then on with the target bucket and prefix; the request is SigV4-signed' {
        $r = Test-OpsBucketLogging -ConfigPath $script:Cfg
        $r | Should -BeOfType ([OpsRunbook.Core.Storage.BucketLoggingStatus])
        $r.Bucket | Should -Be 'backups'
        $r.Enabled | Should -BeFalse
        $r.TargetBucket | Should -BeNullOrEmpty
        Test-OpsBucketLogging -ConfigPath $script:Cfg -Quiet | Should -BeFalse
        Set-Logging @{ backups = @{ TargetBucket = 'access-logs'; TargetPrefix = 's3/backups/' } }
        $r = Test-OpsBucketLogging -ConfigPath $script:Cfg
        $r.Enabled | Should -BeTrue
        $r.TargetBucket | Should -Be 'access-logs'
        $r.TargetPrefix | Should -Be 's3/backups/'
        Test-OpsBucketLogging -ConfigPath $script:Cfg -Quiet | Should -BeTrue
        ($r | Out-String) | Should -Match 'backups\s+On\s+s3://access-logs/s3/backups/'
        $calls = @(Invoke-RestMethod "$script:StubUrl/_calls")
        $calls.signed | Select-Object -Unique | Should -Be $true
    }

    It 'takes buckets from the pipeline; an unknown bucket is BackupBucketNotFound' {
        Set-Logging @{ media = @{ TargetBucket = 'access-logs'; TargetPrefix = 'media/' } }
        $r = @('backups', 'media' | Test-OpsBucketLogging -ConfigPath $script:Cfg)
        $r.Enabled | Should -Be @($false, $true)
        { Test-OpsBucketLogging -ConfigPath $script:Cfg -Bucket nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'BackupBucketNotFound,OpsRunbook.Commands.TestOpsBucketLoggingCommand'
    }

    It 'a store that answers NotImplemented: BucketLoggingNotSupported' {
        Set-Logging @{ backups = 'NotImplemented' }
        { Test-OpsBucketLogging -ConfigPath $script:Cfg -ErrorAction Stop } | Should -Throw -ErrorId 'BucketLoggingNotSupported,OpsRunbook.Commands.TestOpsBucketLoggingCommand'
    }
}

Describe 'Get-OpsHealth -Check Backup: access logging' {
    BeforeEach { $null = Invoke-RestMethod -Method Post -Uri "$script:StubUrl/_reset" }

    It 'is a Warning with the next step when logging is off, Healthy when on; the freshness rows still come from s3rver' {
        $h = @(Get-OpsHealth -ConfigPath $script:Cfg -Check Backup)
        $row = $h | Where-Object Target -eq 'backups access logging'
        $row.Status | Should -Be 'Warning'
        $row.Message | Should -Match 'Access logging is off on the backup bucket s3://backups'
        $row.NextStep | Should -Match 'put-bucket-logging --bucket backups'
        @($h | Where-Object Target -like 'backups/postgres/*').Count | Should -BeGreaterThan 0
        ($h | Where-Object Target -like 'backups/postgres/*')[0].Status | Should -Be 'Healthy' -Because 'the sandbox keeps a fresh backup in s3rver, read through the stand-in'
        Set-Logging @{ backups = @{ TargetBucket = 'access-logs'; TargetPrefix = 'backups/' } }
        (Get-OpsHealth -ConfigPath $script:Cfg -Check Backup | Where-Object Target -eq 'backups access logging').Status | Should -Be 'Healthy'
    }

    It 'a store without the call: an Unknown row that says why; the sandbox default (s3.checkAccessLogging: false): no row' {
        Set-Logging @{ backups = 'NotImplemented' }
        $row = Get-OpsHealth -ConfigPath $script:Cfg -Check Backup | Where-Object Target -eq 'backups access logging'
        $row.Status | Should -Be 'Unknown'
        $row.Message | Should -Match 'does not implement GetBucketLogging'
        @(Get-OpsHealth -Check Backup | Where-Object Target -eq 'backups access logging').Count | Should -Be 0
    }
}
