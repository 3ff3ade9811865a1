<#
    Get-OpsHealth through the module, against the real sandbox services (healthy) and against broken
    states that each test sets up on its own: own PostgreSQL, own api-stub, own BullMQ prefix, own tmpfs,
    hanging listeners and refused ports. The shared sandbox is never broken.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Use-OpsNpgsql
    Assert-OpsSandbox
    $script:Sb = Get-OpsSandbox
    $script:P = $script:Sb.Ports
    $script:NodeDir = Join-Path (Get-OpsRepoRoot) 'tests/sandbox/node'

    function script:New-HealthConfig([string] $Body, [string] $Name = 'ops.yaml') {
        # One environment 'test'; $Body is indented YAML of its sections.
        $text = "defaultEnvironment: test`nenvironments:`n  test:`n" + (($Body -split "`n" | ForEach-Object { "    $_" }) -join "`n") + "`n"
        New-OpsTestConfig -Text $text -Name $Name
    }
    function script:Start-HangingListener {
        # The kernel completes the handshake for the backlog: clients connect and then wait forever for a byte.
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(64); $l
    }
    function script:Start-NodeHelper([string[]] $Arguments, [hashtable] $Environment = @{}, [string] $WaitForFile, [int] $WaitForPort) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('node')
        foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
        $psi.WorkingDirectory = $script:NodeDir
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
        foreach ($kv in $Environment.GetEnumerator()) { $psi.Environment[$kv.Key] = [string]$kv.Value }
        $p = [System.Diagnostics.Process]::Start($psi)
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while ([DateTime]::UtcNow -lt $deadline) {
            if ($p.HasExited) { throw "node $($Arguments -join ' ') exited: $($p.StandardError.ReadToEnd())" }
            if ($WaitForFile -and (Test-Path $WaitForFile)) { return $p }
            if ($WaitForPort) {
                $c = [System.Net.Sockets.TcpClient]::new()
                try { if ($c.ConnectAsync('127.0.0.1', $WaitForPort).Wait(200) -and $c.Connected) { return $p } } catch { } finally { $c.Dispose() }
            }
            Start-Sleep -Milliseconds 50
        }
        $p.Kill($true); throw "node $($Arguments -join ' ') did not start within 15 s."
    }
    function script:Invoke-BullMq([string[]] $Arguments) {
        $env:REDIS_HOST = '127.0.0.1'; $env:REDIS_PORT = $script:P.Redis
        $out = & node (Join-Path $script:NodeDir 'bullmq-jobs.mjs') @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "bullmq-jobs.mjs $($Arguments -join ' ') failed: $out" }
        $out
    }
    $script:RedisYaml = "redis: { configuration: '127.0.0.1:$($script:P.Redis)', password: '`${env:REDIS_PASSWORD}' }"
    $script:PgYaml = "postgres: { host: 127.0.0.1, port: $($script:P.Postgres), database: app, username: ops, password: '`${env:DB_PASSWORD}' }"
}

Describe 'Get-OpsHealth against the healthy sandbox' {
    BeforeAll { $script:All = @(Get-OpsHealth) }

    It 'returns results of every family, all Healthy' {
        $script:All.Check | Select-Object -Unique | Should -Be @('Service', 'Disk', 'Database', 'Redis', 'Queue', 'Errors', 'Backup', 'Payments', 'Maintenance', 'Certificates')
        $bad = $script:All | Where-Object Status -ne 'Healthy'
        $bad | Should -BeNullOrEmpty -Because (($bad | ForEach-Object ToString) -join '; ')
        $script:All | ForEach-Object { $_ | Should -BeOfType ([OpsRunbook.Core.Health.HealthCheckResult]) }
    }

    It 'fills every field: environment, target, threshold, message, duration, timestamp' {
        foreach ($r in $script:All) {
            $r.Environment | Should -Be 'production'
            $r.Target | Should -Not -BeNullOrEmpty
            $r.Threshold | Should -Not -BeNullOrEmpty -Because "$r needs a threshold"
            $r.Message | Should -Not -BeNullOrEmpty
            $r.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
            $r.Timestamp | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(-5))
        }
    }

    It 'reports the numbers each family promises' {
        $by = @{}; foreach ($r in $script:All) { $by["$($r.Check)/$($r.Target)"] = $r }
        $by['Service/nginx'].Value | Should -BeGreaterThan 0
        $by['Service/api'].Unit | Should -Be 'ms'
        $by['Service/api'].Message | Should -Match '-> 200'
        $by['Disk//'].Unit | Should -Be '%'
        $by['Disk//'].Message | Should -Match 'free of .* inodes'
        $by['Database/app/connections'].Message | Should -Match 'of 60 connections in use \([\d.]+ %\): \d+ active, \d+ idle, \d+ idle in transaction'
        $by['Database/app/latency'].Value | Should -BeGreaterThan 0
        $by['Database/app/idle-in-transaction'].Value | Should -BeGreaterOrEqual 0
        $by['Database/app/long-running'].Value | Should -BeGreaterOrEqual 0
        $redis = "127.0.0.1:$($script:P.Redis)"
        $by["Redis/$redis/memory"].Message | Should -Match 'of maxmemory 256.0 MiB'
        $by["Redis/$redis/clients"].Message | Should -Match 'connected of maxclients .* rejected'
        $by["Redis/$redis/ops"].Unit | Should -Be 'ops/s'
        $by['Queue/media-processing'].Message | Should -Match 'waiting, \d+ active, \d+ delayed, \d+ failed'
        $today = 'api-{0:yyyy-MM-dd}.log' -f [DateTime]::UtcNow
        $e = $by["Errors/$today"]
        $e | Should -Not -BeNullOrEmpty -Because "the Errors target is today's file name ($today), not the pattern: $($script:All.Target -join ', ')"
        $e.Value | Should -BeGreaterThan 0 -Because 'the sandbox writes ERROR lines on every day'
        $e.Message | Should -Match '\.log\.gz'
        $b = $script:All | Where-Object Check -eq Backup
        $b.Unit | Should -Be 's'
        # The Value column and the message say the age the same way ("1 min" and "1 min old"), never "0.02 hours".
        $shown = $b.FormatValue()
        $shown | Should -Match '^\d+(\.\d)? (s|min|h|days)$'
        $b.Message | Should -Match ([regex]::Escape("is $shown old"))
    }

    It 'has a readable default table and clean CSV columns' {
        $table = $script:All | Out-String -Width 200
        $table | Should -Match 'Status\s+Check\s+Target\s+Value\s+Ms\s+Message'
        $table | Should -Match 'Healthy +Database'
        $csv = Join-Path $TestDrive 'health.csv'
        $script:All | Export-Csv -Path $csv -NoTypeInformation
        $rows = Import-Csv $csv
        $rows[0].PSObject.Properties.Name | Should -Be @('Timestamp', 'Environment', 'ComputerName', 'Check', 'Target', 'Status', 'Value', 'Unit', 'Threshold', 'WarnAt', 'CriticalAt', 'Message', 'NextStep', 'Duration', 'DurationMs')
        foreach ($row in $rows) {
            [double]::Parse($row.DurationMs, [cultureinfo]::InvariantCulture) | Should -BeGreaterThan 0
            $row.Timestamp | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$' -Because 'CSV timestamps are ISO 8601'
        }
        ($rows | Where-Object { $_.Check -eq 'Disk' }).Status | Should -Be 'Healthy'
        (Get-Content $csv -Raw) | Should -Not -Match 'System\.Collections'
    }

    It 'runs only the families named by -Check, with tab completion for them' {
        $r = Get-OpsHealth -Check Disk, database
        $r.Check | Select-Object -Unique | Should -Be @('Disk', 'Database')
        $c = TabExpansion2 -inputScript 'Get-OpsHealth -Check Da' -cursorColumn 'Get-OpsHealth -Check Da'.Length
        $c.CompletionMatches.CompletionText | Should -Contain 'Database'
        $all = TabExpansion2 -inputScript 'Get-OpsHealth -Check ' -cursorColumn 'Get-OpsHealth -Check '.Length
        @($all.CompletionMatches.CompletionText | Sort-Object) | Should -Be @([OpsRunbook.Core.Health.HealthCheckRegistry]::Default.Names | Sort-Object)
    }

    It 'rejects an unknown -Check before running anything (a ValidateSet of the registered families)' {
        { Get-OpsHealth -Check Nope -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OpsRunbook.Commands.GetOpsHealthCommand'
    }

    It 'treats a broken config, and only that, as an error' {
        $path = New-HealthConfig "disk: { paths: [ / ] }`nthresholds: { diskWarnPercent: 95, diskCriticalPercent: 90 }"
        { Get-OpsHealth -ConfigPath $path -ErrorAction Stop } | Should -Throw -ErrorId 'ConfigInvalid,OpsRunbook.Commands.GetOpsHealthCommand'
        $path = New-HealthConfig 'disk: { paths: [ / ] }' -Name 'nopg.yaml'
        { Get-OpsHealth -ConfigPath $path -Check Database -ErrorAction Stop } | Should -Throw -ErrorId 'ConfigSectionMissing,OpsRunbook.Commands.GetOpsHealthCommand'
        # Not asked for by name: a family the environment does not configure is skipped.
        (Get-OpsHealth -ConfigPath $path).Check | Select-Object -Unique | Should -Be 'Disk'
    }
}

Describe 'Get-OpsHealth secrets' {
    It 'never shows a password in output, verbose, errors or CSV, even when it is refused' {
        $canary = 'Canary-Health-Pass-8831'
        $env:OPS_HEALTH_CANARY = $canary
        try {
            $path = New-HealthConfig @"
postgres: { host: 127.0.0.1, port: $($script:P.Postgres), database: app, username: ops, password: '`${env:OPS_HEALTH_CANARY}' }
redis: { configuration: '127.0.0.1:$($script:P.Redis)', password: '`${env:OPS_HEALTH_CANARY}' }
queues: { source: bullmq, prefix: bull, names: [ media-processing ] }
"@
            $text = Invoke-OpsCaptureAll { Get-OpsHealth -ConfigPath $path -Verbose }
            $text | Should -Not -Match $canary
            $text | Should -Match 'refused the login'
            $text | Should -Match 'refused the password'
        }
        finally { Remove-Item env:OPS_HEALTH_CANARY -ErrorAction Ignore }
    }
}

Describe 'Get-OpsHealth bounds: dead, refusing and hanging dependencies' {
    It 'turns every hanging dependency into Critical within the timeout, never an error or a hang' {
        $hang = Start-HangingListener
        try {
            $hp = "127.0.0.1:$($hang.LocalEndpoint.Port)"
            $path = New-HealthConfig @"
postgres: { host: 127.0.0.1, port: $($hang.LocalEndpoint.Port), database: app, username: ops, password: x, connectTimeoutSeconds: 30 }
redis: { configuration: '$hp' }
queues: { source: bullmq, prefix: bull, names: [ q1 ] }
services:
  - { name: web, kind: http, url: 'http://$hp/health' }
"@
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $r = @(Get-OpsHealth -ConfigPath $path -TimeoutSeconds 1 -ErrorAction Stop)
            $sw.Stop()
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 1.8
            $r.Check | Select-Object -Unique | Sort-Object | Should -Be @('Database', 'Queue', 'Redis', 'Service')
            foreach ($x in $r) {
                $x.Status | Should -BeIn @('Critical', 'Unknown')
                # The bound, or StackExchange.Redis's own connect timeout (set to the same bound), whichever fires first.
                $x.Message | Should -Match 'within 1 s|did not answer within|Cannot reach Redis at .*: UnableToConnect'
                $x.Duration.TotalSeconds | Should -BeLessThan 1.5
            }
        }
        finally { $hang.Stop() }
    }

    It 'reports refused connections (service stopped) as Critical at once' {
        $free = Get-OpsFreePort
        $path = New-HealthConfig @"
postgres: { host: 127.0.0.1, port: $free, database: app, username: ops, password: x }
redis: { configuration: '127.0.0.1:$free' }
services:
  - { name: gone-tcp, kind: tcp, address: '127.0.0.1:$free' }
  - { name: gone-http, kind: http, url: 'http://127.0.0.1:$free/' }
  - { name: no-such-process-xyz, kind: process }
"@
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $r = @(Get-OpsHealth -ConfigPath $path)
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 3
        $r | ForEach-Object { $_.Status | Should -Be 'Critical' -Because $_.ToString() }
        ($r | Where-Object Target -eq 'gone-tcp').Message | Should -Match 'ConnectionRefused'
        ($r | Where-Object Target -eq 'gone-http').Message | Should -Match 'refused'
        ($r | Where-Object Target -eq 'no-such-process-xyz').Message | Should -Match "No 'no-such-process-xyz' process is running"
        ($r | Where-Object Check -eq 'Database').Message | Should -Match "Cannot reach PostgreSQL at ops@127.0.0.1:$free/app"
        ($r | Where-Object Check -eq 'Redis').Message | Should -Match "Cannot reach Redis at 127.0.0.1:$free"
    }

    It 'stops promptly on Ctrl+C (StopProcessing) while a dependency hangs' {
        $hang = Start-HangingListener
        try {
            $path = New-HealthConfig "services:`n  - { name: web, kind: http, url: 'http://127.0.0.1:$($hang.LocalEndpoint.Port)/' }"
            $ps = [powershell]::Create()
            $null = $ps.AddCommand('Import-Module').AddArgument((Get-OpsModulePath)).AddStatement()
            $null = $ps.AddCommand('Get-OpsHealth').AddParameter('ConfigPath', $path).AddParameter('TimeoutSeconds', 60)
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 1500
            $async.IsCompleted | Should -BeFalse
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 1
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Dispose()
        }
        finally { $hang.Stop() }
    }
}

Describe 'Get-OpsHealth Service checks by kind' {
    It 'process: counts the sandbox nginx processes' {
        $path = New-HealthConfig "services:`n  - { name: web, kind: process, process: nginx }"
        $r = Get-OpsHealth -ConfigPath $path
        $r.Status | Should -Be 'Healthy'
        $r.Value | Should -BeGreaterOrEqual 2 -Because 'nginx runs a master and a worker'
    }

    It 'http: Critical on 503 from a stopped-health api, Healthy on 200, with latency (own api-stub)' {
        $port = Get-OpsFreePort
        $flag = Join-Path $TestDrive 'unhealthy'
        $api = Start-NodeHelper -Arguments 'api-stub.mjs' -WaitForPort $port -Environment @{
            PORT = $port; REDIS_HOST = '127.0.0.1'; REDIS_PORT = $script:P.Redis; REDIS_PASSWORD = $env:REDIS_PASSWORD; QUEUE_NAMES = 'none'; HEALTH_FLAG = $flag }
        try {
            $path = New-HealthConfig @"
services:
  - { name: api, kind: http, url: 'http://127.0.0.1:$port/api/health' }
  - { name: api-404, kind: http, url: 'http://127.0.0.1:$port/nope', expectStatus: 404 }
"@
            $ok = Get-OpsHealth -ConfigPath $path
            $ok.Status | Should -Be @('Healthy', 'Healthy')
            $ok[0].Unit | Should -Be 'ms'
            $ok[1].Threshold | Should -Match 'status 404'
            Set-Content $flag 'down'
            $bad = Get-OpsHealth -ConfigPath $path | Where-Object Target -eq 'api'
            $bad.Status | Should -Be 'Critical'
            $bad.Message | Should -Match '-> 503 .*expected status 2xx/3xx'
        }
        finally { $api.Kill($true); $api.WaitForExit() }
    }

    It 'systemd: reads ActiveState/SubState through systemctl show (a fake systemctl speaking its interface)' {
        $fake = Join-Path $TestDrive 'systemctl'
        $log = Join-Path $TestDrive 'systemctl.log'
        Set-Content $fake @"
#!/bin/bash
echo "`$*" >> '$log'
[ "`$1" = show ] || { echo "unsupported" >&2; exit 1; }
case "`$2" in
  nginx.service)  printf 'LoadState=loaded\nActiveState=active\nSubState=running\n' ;;
  worker.service) printf 'LoadState=loaded\nActiveState=failed\nSubState=failed\n' ;;
  cron.service)   printf 'LoadState=loaded\nActiveState=activating\nSubState=start\n' ;;
  *)              printf 'LoadState=not-found\nActiveState=inactive\nSubState=dead\n' ;;
esac
"@
        & chmod +x $fake
        $path = New-HealthConfig @"
services:
  - { name: nginx, kind: systemd, systemctl: '$fake' }
  - { name: worker, kind: systemd, unit: worker.service, systemctl: '$fake' }
  - { name: cron, kind: systemd, systemctl: '$fake' }
  - { name: ghost, kind: systemd, systemctl: '$fake' }
"@
        $r = Get-OpsHealth -ConfigPath $path
        $r.Status | Should -Be @('Healthy', 'Critical', 'Warning', 'Critical')
        $r[0].Message | Should -Be 'Unit nginx.service is active (running).'
        $r[1].Message | Should -Be 'Unit worker.service is failed (failed).'
        $r[3].Message | Should -Match 'not loaded'
        Get-Content $log | Should -Contain 'show nginx.service --property=LoadState,ActiveState,SubState --no-pager'
    }

    It 'systemd: a systemctl that cannot talk to systemd gives Unknown, not an error' {
        $path = New-HealthConfig "services:`n  - { name: nginx, kind: systemd }"
        $r = Get-OpsHealth -ConfigPath $path
        $r.Status | Should -BeIn @('Unknown', 'Critical')
        $r.Message | Should -Not -BeNullOrEmpty
    }

    It 'docker: judges State and Health from the Engine API on a unix socket' {
        $sock = Join-Path $TestDrive 'docker.sock'
        $fixtures = Join-Path $TestDrive 'containers.json'
        @{ web = @{ Status = 'running'; Health = 'healthy' }; worker = @{ Status = 'exited'; ExitCode = 137 }; db = @{ Status = 'running'; Health = 'unhealthy'; RestartCount = 4 }
           cache = @{ Status = 'running' }; boot = @{ Status = 'running'; Health = 'starting' } } | ConvertTo-Json | Set-Content $fixtures
        $stub = Start-NodeHelper -Arguments 'docker-engine-stub.mjs', $sock, $fixtures -WaitForFile $sock
        try {
            $path = New-HealthConfig @"
services:
  - { name: web, kind: docker, endpoint: 'unix://$sock' }
  - { name: worker, kind: docker, endpoint: 'unix://$sock' }
  - { name: db, kind: docker, container: db, endpoint: 'unix://$sock' }
  - { name: cache, kind: docker, endpoint: 'unix://$sock' }
  - { name: boot, kind: docker, endpoint: 'unix://$sock' }
  - { name: ghost, kind: docker, endpoint: 'unix://$sock' }
"@
            $r = Get-OpsHealth -ConfigPath $path
            $r.Status | Should -Be @('Healthy', 'Critical', 'Critical', 'Healthy', 'Warning', 'Critical')
            $r[0].Message | Should -Be 'Container web is running, health healthy.'
            $r[1].Message | Should -Be 'Container worker is exited.'
            $r[2].Message | Should -Be 'Container db is running, health unhealthy, 4 restart(s).'
            $r[5].Message | Should -Be "Docker has no container 'ghost'."
            Get-Content "$sock.log" | Should -Contain 'GET /v1.43/containers/web/json docker'
        }
        finally { $stub.Kill($true); $stub.WaitForExit() }
        # The engine gone: its socket refuses.
        $r = Get-OpsHealth -ConfigPath $path | Select-Object -First 1
        $r.Status | Should -Be 'Critical'
        $r.Message | Should -Match 'Cannot reach the Docker Engine API'
    }
}

Describe 'Get-OpsHealth Disk checks' {
    It 'crosses the thresholds on a filling filesystem (own 2 MiB tmpfs)' {
        $mnt = Join-Path $TestDrive 'small'; $null = New-Item -ItemType Directory $mnt
        & mount -t tmpfs -o size=2m tmpfs $mnt
        if ($LASTEXITCODE -ne 0) { throw "Cannot mount a tmpfs at $mnt (the test needs root with CAP_SYS_ADMIN)." }
        try {
            $path = New-HealthConfig "disk: { paths: [ '$mnt' ] }"
            (Get-OpsHealth -ConfigPath $path).Status | Should -Be 'Healthy'
            & dd if=/dev/zero of="$mnt/a" bs=1k count=1700 status=none
            $w = Get-OpsHealth -ConfigPath $path
            $w.Status | Should -Be 'Warning'
            $w.Value | Should -BeGreaterOrEqual 80
            $w.Threshold | Should -Be 'warn >= 80 %, critical >= 90 % (space or inodes)'
            & dd if=/dev/zero of="$mnt/b" bs=1k count=250 status=none
            $c = Get-OpsHealth -ConfigPath $path
            $c.Status | Should -Be 'Critical'
            $c.Message | Should -Match "% used, .* free of 2.0 MiB.*tmpfs"
        }
        finally { & umount $mnt }
    }

    It 'uses the thresholds from config' {
        $path = New-HealthConfig "disk: { paths: [ / ] }`nthresholds: { diskWarnPercent: 0.001, diskCriticalPercent: 0.002 }"
        $r = Get-OpsHealth -ConfigPath $path
        $r.Status | Should -Be 'Critical'
        $r.Threshold | Should -Match 'critical >= 0'
    }
}

Describe 'Get-OpsHealth Database checks' {
    It 'reports connections near max_connections, idle in transaction and long-running queries (own PostgreSQL)' {
        $pg = Start-OpsTestPostgres -MaxConnections 12 -ReservedConnections 1
        $port = $pg.Port
        $conns = [System.Collections.Generic.List[object]]::new(); $slow = $null
        try {
            $path = New-HealthConfig "postgres: { host: 127.0.0.1, port: $port, database: postgres, username: postgres }`nthresholds: { dbIdleInTransactionWarn: 2, dbLongQuerySeconds: 1 }"
            (Get-OpsHealth -ConfigPath $path | Where-Object Status -ne Healthy) | Should -BeNullOrEmpty

            $cs = "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=false"
            for ($i = 0; $i -lt 9; $i++) { $c = [Npgsql.NpgsqlConnection]::new($cs); $c.Open(); $conns.Add($c) }
            foreach ($c in $conns[0..2]) { $cmd = $c.CreateCommand(); $cmd.CommandText = 'BEGIN; SELECT 1'; $null = $cmd.ExecuteNonQuery() }
            $slow = $conns[3].CreateCommand(); $slow.CommandText = 'SELECT pg_sleep(20)'; $pending = $slow.ExecuteNonQueryAsync()
            Start-Sleep -Milliseconds 1500

            $r = @(Get-OpsHealth -ConfigPath $path)
            $c = $r | Where-Object Target -eq 'postgres/connections'
            $c.Value | Should -BeGreaterOrEqual 80
            $c.Status | Should -BeIn @('Warning', 'Critical')
            $c.Message | Should -Match '^1\d of 12 connections in use'
            $c.Threshold | Should -Match 'of max_connections 12'
            $t = $r | Where-Object Target -eq 'postgres/idle-in-transaction'
            $t.Value | Should -Be 3
            $t.Status | Should -Be 'Warning'
            $l = $r | Where-Object Target -eq 'postgres/long-running'
            $l.Value | Should -Be 1
            $l.Status | Should -Be 'Warning'

            # Every slot taken, the superusers' too: the probe cannot connect, which is Critical with the server's reason, not an error.
            # Twice: a backend that an earlier check closed frees its slot a moment after the client left.
            foreach ($round in 1, 2) {
                try { while ($conns.Count -lt 40) { $x = [Npgsql.NpgsqlConnection]::new($cs); $x.Open(); $conns.Add($x) } } catch { }
                Start-Sleep -Milliseconds 500
            }
            $full = @(Get-OpsHealth -ConfigPath $path -ErrorAction Stop)
            $full.Count | Should -Be 1
            $full[0].Status | Should -Be 'Critical'
            $full[0].Message | Should -Match 'no free connection slots'
        }
        finally {
            if ($slow) { try { $slow.Cancel() } catch { } }
            foreach ($c in $conns) { try { $c.Dispose() } catch { } }
            Stop-OpsTestPostgres $pg
        }
    }
}

Describe 'Get-OpsHealth Redis checks' {
    It 'reports ping, memory against maxmemory, clients and ops from the sandbox Redis' {
        $path = New-HealthConfig $script:RedisYaml
        $r = @(Get-OpsHealth -ConfigPath $path)
        $r.Target | Should -Be @("127.0.0.1:$($script:P.Redis)/latency", "127.0.0.1:$($script:P.Redis)/memory", "127.0.0.1:$($script:P.Redis)/clients", "127.0.0.1:$($script:P.Redis)/ops")
        $r.Status | Select-Object -Unique | Should -Be 'Healthy'
        $r[1].Threshold | Should -Be 'warn >= 80 %, critical >= 95 % of maxmemory'
    }

    It 'crosses the memory threshold of a Redis near maxmemory (own redis-server)' {
        $port = Get-OpsFreePort
        $dir = Join-Path $TestDrive 'redis'; $null = New-Item -ItemType Directory $dir
        & redis-server --port $port --bind 127.0.0.1 --daemonize yes --dir $dir --pidfile "$dir/r.pid" --save '' --appendonly no --maxmemory 3mb --maxmemory-policy noeviction *> $null
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not (Test-Path "$dir/r.pid") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Start-Sleep -Milliseconds 200
            $big = 'x' * 100000
            for ($i = 0; $i -lt 40; $i++) { $null = & redis-cli -p $port set "k$i" $big 2>&1 }
            $path = New-HealthConfig "redis: { configuration: '127.0.0.1:$port' }"
            $m = Get-OpsHealth -ConfigPath $path | Where-Object Target -like '*/memory'
            $m.Status | Should -BeIn @('Warning', 'Critical')
            $m.Value | Should -BeGreaterOrEqual 80
        }
        finally { & redis-cli -p $port shutdown nosave *> $null }
    }
}

Describe 'Get-OpsHealth Queue checks' {
    BeforeAll {
        $script:Prefix = "opsrb-test-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        Invoke-BullMq fill, $script:Prefix, 'backlog', 1200, 3, 2, 4 | Out-Null
        Invoke-BullMq fill, $script:Prefix, 'quiet', 5, 0, 0, 0 | Out-Null
        $script:Counts = Invoke-BullMq counts, $script:Prefix, 'backlog' | ConvertFrom-Json
    }
    AfterAll {
        Invoke-BullMq obliterate, $script:Prefix, 'backlog' | Out-Null
        Invoke-BullMq obliterate, $script:Prefix, 'quiet' | Out-Null
    }

    It 'source bullmq: reads real BullMQ jobs straight from Redis, as BullMQ counts them, and flags the backlog' {
        $path = New-HealthConfig "$script:RedisYaml`nqueues: { source: bullmq, prefix: $script:Prefix, names: [ backlog, quiet ] }"
        $r = @(Get-OpsHealth -ConfigPath $path)
        $b = $r | Where-Object Target -eq 'backlog'
        $b.Status | Should -Be 'Warning'
        $b.Value | Should -Be ($script:Counts.waiting + $script:Counts.prioritized)
        $b.Message | Should -Be "$($script:Counts.waiting) waiting + 4 prioritized, 0 active, 3 delayed, 2 failed, 0 completed."
        $b.Threshold | Should -Match 'warn >= 1000'
        ($r | Where-Object Target -eq 'quiet').Status | Should -Be 'Healthy'
        $details = @{}; foreach ($d in $b.GetDetails()) { $details[$d.Key] = $d.Value }
        $details['waiting'] | Should -Be $script:Counts.waiting
        $details['failed'] | Should -Be $script:Counts.failed
        $details['delayed'] | Should -Be $script:Counts.delayed
    }

    It 'source bullmq: Critical above queueDepthCritical' {
        $path = New-HealthConfig "$script:RedisYaml`nqueues: { source: bullmq, prefix: $script:Prefix, names: [ backlog ] }`nthresholds: { queueDepthWarn: 100, queueDepthCritical: 1000 }"
        (Get-OpsHealth -ConfigPath $path -Check Queue).Status | Should -Be 'Critical'
    }

    It 'source api: reads GET /api/admin/queues/stats (own api-stub over the same jobs)' {
        $port = Get-OpsFreePort
        $api = Start-NodeHelper -Arguments 'api-stub.mjs' -WaitForPort $port -Environment @{
            PORT = $port; REDIS_HOST = '127.0.0.1'; REDIS_PORT = $script:P.Redis; REDIS_PASSWORD = $env:REDIS_PASSWORD; QUEUE_PREFIX = $script:Prefix; QUEUE_NAMES = 'backlog,quiet' }
        try {
            $path = New-HealthConfig "api: { baseUrl: 'http://127.0.0.1:$port' }`nqueues: { source: api, names: [ backlog ] }"
            $r = @(Get-OpsHealth -ConfigPath $path)
            $r.Count | Should -Be 1
            $r[0].Target | Should -Be 'backlog'
            $r[0].Status | Should -Be 'Warning'
            $r[0].Message | Should -Be "$($script:Counts.waiting) waiting + 4 prioritized, 0 active, 3 delayed, 2 failed, 0 completed."
        }
        finally { $api.Kill($true); $api.WaitForExit() }
    }
}

Describe 'Get-OpsHealth Errors checks' {
    BeforeAll {
        $script:Now = [DateTime]::UtcNow
        function script:Write-ApiLog([string] $Dir, [DateTime] $Day, [string[]] $Lines, [switch] $Gzip) {
            $name = Join-Path $Dir ('api-{0:yyyy-MM-dd}.log' -f $Day)
            if ($Gzip) {
                $bytes = [Text.Encoding]::UTF8.GetBytes(($Lines -join "`n") + "`n")
                $fs = [IO.File]::Create("$name.gz"); $gz = [IO.Compression.GZipStream]::new($fs, [IO.Compression.CompressionLevel]::Fastest)
                $gz.Write($bytes, 0, $bytes.Length); $gz.Dispose(); $fs.Dispose()
            }
            else { Set-Content -Path $name -Value $Lines }
        }
        function script:Stamp([DateTime] $t) { $t.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [cultureinfo]::InvariantCulture) }
    }

    It 'counts ERROR lines of the last 24 h by timestamp, across today, yesterday and .gz files' {
        $dir = Join-Path $TestDrive 'logs1'; $null = New-Item -ItemType Directory $dir
        $today = $script:Now.Date; $yesterday = $today.AddDays(-1)
        Write-ApiLog $dir $today @("$(Stamp $script:Now.AddMinutes(-5)) ERROR boom", "$(Stamp $script:Now.AddMinutes(-4)) INFO fine", "$(Stamp $script:Now.AddMinutes(-3)) WARN ERROR-ish")
        # Yesterday is rotated: the .gz holds lines inside and outside the 24 h window.
        Write-ApiLog $dir $yesterday -Gzip @("$(Stamp $script:Now.AddHours(-23)) ERROR in window", "$(Stamp $script:Now.AddHours(-23.5)) ERROR in window too",
            "$(Stamp $script:Now.AddHours(-25)) ERROR too old", 'no timestamp ERROR line')
        Write-ApiLog $dir $yesterday.AddDays(-1) @("$(Stamp $script:Now.AddHours(-30)) ERROR older file")
        $path = New-HealthConfig "logs: { directory: '$dir' }"
        $r = Get-OpsHealth -ConfigPath $path
        $r.Check | Should -Be 'Errors'
        $r.Value | Should -Be 3
        $r.Status | Should -Be 'Healthy'
        $r.Message | Should -Match '3 ERROR line\(s\) of 5 in the last 24 h'
        $r.Message | Should -Match '\.log\.gz'
        $r.Threshold | Should -Be 'warn >= 100, critical >= 1000 ERROR lines in 24 h'
    }

    It 'goes Warning and Critical when error lines pile up' {
        $dir = Join-Path $TestDrive 'logs2'; $null = New-Item -ItemType Directory $dir
        $lines = for ($i = 0; $i -lt 150; $i++) { "$(Stamp $script:Now.AddMinutes(-$i)) ERROR Failed to process job media-processing:$($i): timeout after 30000ms" }
        Write-ApiLog $dir $script:Now.Date $lines
        Write-ApiLog $dir $script:Now.Date.AddDays(-1) -Gzip $lines   # same times: only counted once each by window? no: separate lines
        $path = New-HealthConfig "logs: { directory: '$dir' }"
        $r = Get-OpsHealth -ConfigPath $path
        $r.Value | Should -Be 300
        $r.Status | Should -Be 'Warning'
        $path = New-HealthConfig "logs: { directory: '$dir' }`nthresholds: { errorCountWarn: 10, errorCountCritical: 200 }" -Name 'strict.yaml'
        (Get-OpsHealth -ConfigPath $path).Status | Should -Be 'Critical'
    }

    It 'is Unknown, not an error, when there are no logs to read' {
        $path = New-HealthConfig "logs: { directory: '$(Join-Path $TestDrive 'nowhere')' }"
        $r = Get-OpsHealth -ConfigPath $path -ErrorAction Stop
        $r.Status | Should -Be 'Unknown'
        $r.Message | Should -Match 'does not exist'
    }
}
