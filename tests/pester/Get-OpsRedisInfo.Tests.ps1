BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    # An own Redis (no password, slowlog of every command, DEBUG allowed), so counts are exact.
    $script:Port = Get-OpsFreePort
    $script:Dir = Join-Path $TestDrive 'redis'; $null = New-Item -ItemType Directory $script:Dir
    & redis-server --port $script:Port --bind 127.0.0.1 --daemonize yes --dir $script:Dir --pidfile "$script:Dir/redis.pid" --save '' --appendonly no `
        --slowlog-log-slower-than 0 --slowlog-max-len 1000 --enable-debug-command yes --logfile "$script:Dir/redis.log"
    $deadline = (Get-Date).AddSeconds(10)
    while (-not (Test-Path "$script:Dir/redis.pid") -or (& redis-cli -p $script:Port ping) -ne 'PONG') { if ((Get-Date) -gt $deadline) { throw 'own redis did not start' }; Start-Sleep -Milliseconds 100 }
    $script:Config = New-OpsTestConfig -Text @"
defaultEnvironment: t
environments:
  t:
    redis: { configuration: '127.0.0.1:$($script:Port)' }
"@
    function Invoke-Cli { & redis-cli -p $script:Port @args }
}

AfterAll {
    if ($script:Dir -and (Test-Path "$script:Dir/redis.pid")) { & kill ([int](Get-Content "$script:Dir/redis.pid")) }
}

Describe 'Get-OpsRedisInfo' {
    It 'types INFO: hits, misses and hit ratio match what the server counted' {
        $null = Invoke-Cli set k1 v1
        $null = Invoke-Cli get k1; $null = Invoke-Cli get k1; $null = Invoke-Cli get k1
        $null = Invoke-Cli get nope; $null = Invoke-Cli get nope2
        $i = Get-OpsRedisInfo -ConfigPath $script:Config
        $i | Should -BeOfType ([OpsRunbook.Core.Performance.RedisInfo])
        $i.KeyspaceHits | Should -Be 3
        $i.KeyspaceMisses | Should -Be 2
        $i.HitRatio | Should -Be 0.6
        $i.Keys | Should -Be 1
        $cli = (Invoke-Cli info server) -join "`n"
        $i.Version | Should -Be ([regex]::Match($cli, 'redis_version:(\S+)').Groups[1].Value)
        $mem = (Invoke-Cli info memory) -join "`n"
        $i.UsedMemoryBytes | Should -BeGreaterThan 100000
        [math]::Abs($i.UsedMemoryBytes - [long][regex]::Match($mem, 'used_memory:(\d+)').Groups[1].Value) | Should -BeLessThan 200000
        $i.FragmentationRatio | Should -BeGreaterThan 0
        $i.ConnectedClients | Should -BeGreaterOrEqual 1
        $i.BlockedClients | Should -Be 0
        $i.EvictedKeys | Should -Be 0
        $i.OpsPerSecond | Should -BeGreaterOrEqual 0
        $i.Sections | Should -Be @('server', 'clients', 'memory', 'stats', 'keyspace')
    }

    It 'counts a blocked client and expired keys' {
        $null = Invoke-Cli set short v px 50
        Start-Sleep -Milliseconds 200
        $null = Invoke-Cli get short    # lazy expiry at the latest
        $blocker = Start-Process redis-cli -ArgumentList '-p', $script:Port, 'blpop', 'emptylist', '5' -PassThru -RedirectStandardOutput "$script:Dir/blpop.out"
        try {
            $deadline = (Get-Date).AddSeconds(5)
            do { Start-Sleep -Milliseconds 100; $i = Get-OpsRedisInfo clients, stats -ConfigPath $script:Config } until ($i.BlockedClients -ge 1 -or (Get-Date) -gt $deadline)
            $i.BlockedClients | Should -Be 1
            $i.ExpiredKeys | Should -BeGreaterOrEqual 1
            $i.Sections | Should -Be @('clients', 'stats')
            $i.UsedMemoryBytes | Should -BeNullOrEmpty -Because 'the memory section was not asked'
            $i.Fields['clients']['blocked_clients'] | Should -Be '1'
        }
        finally { Stop-Process -Id $blocker.Id -ErrorAction Ignore }
    }

    It 'reads the sandbox Redis with its password' {
        $i = Get-OpsRedisInfo -Section stats
        $i.Endpoint | Should -Be "127.0.0.1:$((Get-OpsSandbox).Ports.Redis)"
        $i.TotalCommands | Should -BeGreaterThan 0
    }

    It 'fails with RedisConnectFailed on a closed port, fast' {
        $closed = New-OpsTestConfig -Name closed.yaml -Text "defaultEnvironment: t`nenvironments:`n  t:`n    redis: { configuration: '127.0.0.1:$(Get-OpsFreePort)' }`n"
        $sw = [Diagnostics.Stopwatch]::StartNew()
        { Get-OpsRedisInfo -ConfigPath $closed -Timeout 2s -ErrorAction Stop } | Should -Throw -ErrorId 'RedisConnectFailed*'
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 10
    }
}

Describe 'Get-OpsRedisSlowLog' {
    It 'returns Id, Time, Duration and the command with its values masked' {
        $null = Invoke-Cli slowlog reset
        $null = Invoke-Cli set 'user:42:token' 'TopSecretValue-9f2c'
        $null = Invoke-Cli debug sleep 0.25
        $rows = @(Get-OpsRedisSlowLog -ConfigPath $script:Config -First 50)
        $rows[0] | Should -BeOfType ([OpsRunbook.Core.Performance.RedisSlowLogEntry])
        $set = $rows | Where-Object CommandName -eq 'SET'
        $set.Command | Should -Be 'SET ? ?'
        $set.ArgumentCount | Should -Be 2
        $sleep = $rows | Where-Object CommandName -eq 'DEBUG SLEEP'
        $sleep.Duration.TotalMilliseconds | Should -BeGreaterOrEqual 250
        $sleep.DurationMs | Should -Be $sleep.Duration.TotalMilliseconds
        $sleep.Id | Should -BeGreaterThan $set.Id -Because 'newest first, ids grow'
        $rows[0].Id | Should -BeGreaterOrEqual $rows[-1].Id
        [math]::Abs(($sleep.Time - [DateTimeOffset]::UtcNow).TotalSeconds) | Should -BeLessThan 60
        $sleep.Client | Should -Match '^127\.0\.0\.1:\d+$'
        # The same ids and durations as redis-cli's SLOWLOG GET (the oracle), and no value anywhere in the output.
        $cli = (Invoke-Cli slowlog get 50) -join "`n"
        $cli | Should -Match "(?m)^$($sleep.Id)\s*$"
        $cli | Should -Match "(?m)^$([long]($sleep.Duration.Ticks / 10))\s*$"
        ($rows | ConvertTo-Csv | Out-String) + ($rows | Format-Table | Out-String) | Should -Not -Match 'TopSecretValue|user:42:token'
    }

    It '-First limits the entries' {
        @(Get-OpsRedisSlowLog -ConfigPath $script:Config -First 2).Count | Should -Be 2
    }
}
