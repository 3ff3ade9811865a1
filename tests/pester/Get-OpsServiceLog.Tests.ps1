<#
    Get-OpsServiceLog: journald through a fake journalctl printing journalctl -o json lines, a container's logs through the
    Docker Engine stand-in (multiplexed and TTY streams), and a service's logFile.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    Import-Module (Join-Path $PSScriptRoot 'OperationsTestHelpers.psm1') -Force
}

Describe 'Get-OpsServiceLog' {
    It 'systemd: journalctl -u UNIT -o json (time, priority, a MESSAGE stored as bytes), -Tail and -Since passed on' {
        $dir = Join-Path $TestDrive 'jc'; $null = New-Item -ItemType Directory $dir
        $fake = Join-Path $dir 'journalctl'
        $t0 = [DateTimeOffset]::new(2026, 12, 2, 9, 0, 0, [TimeSpan]::Zero).ToUnixTimeMilliseconds() * 1000
        $lines = @(
            @{ __REALTIME_TIMESTAMP = "$t0"; PRIORITY = '6'; SYSLOG_IDENTIFIER = 'nginx'; MESSAGE = 'Started nginx.' }
            @{ __REALTIME_TIMESTAMP = "$($t0 + 1500000)"; PRIORITY = '3'; SYSLOG_IDENTIFIER = 'nginx'; MESSAGE = 'bind() to 0.0.0.0:80 failed' }
            @{ __REALTIME_TIMESTAMP = "$($t0 + 2000000)"; PRIORITY = '4'; SYSLOG_IDENTIFIER = 'nginx'; MESSAGE = @([Text.Encoding]::UTF8.GetBytes("caf$([char]0xe9) `e[1m")) }
        ) | ForEach-Object { $_ | ConvertTo-Json -Compress }
        Set-Content "$dir/out.json" $lines
        Set-Content $fake "#!/bin/bash`necho `"`$*`" >> '$dir/calls.log'`ncat '$dir/out.json'"
        & chmod +x $fake
        $cfg = New-ServiceConfig "- { name: nginx, kind: systemd, journalctl: '$fake' }"
        $r = @(Get-OpsServiceLog -ConfigPath $cfg -Name nginx -Tail 5 -Since 2h)
        $r.Count | Should -Be 3
        $r[0].Time | Should -Be ([DateTimeOffset]::new(2026, 12, 2, 9, 0, 0, [TimeSpan]::Zero))
        $r[1].Time.ToUnixTimeMilliseconds() - $r[0].Time.ToUnixTimeMilliseconds() | Should -Be 1500
        "$($r.Level)" | Should -Be 'Info Error Warning'
        $r[1].Message | Should -Be 'bind() to 0.0.0.0:80 failed'
        $r[2].Message | Should -Be "caf$([char]0xe9) `e[1m"
        $r[0].Source | Should -Be 'journald:nginx.service'
        $call = Get-Content "$dir/calls.log"
        $call | Should -Match '^-u nginx\.service -o json --no-pager -n 5 --since @\d+$'
        [long]($call -replace '.*@') | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddHours(-2).ToUnixTimeSeconds() - 60)
    }

    It 'docker: the multiplexed stdout/stderr stream decoded into lines, with RFC 3339 nanosecond times; a TTY stream read raw' {
        $logs = @(
            @{ Stream = 'stdout'; Time = '2026-12-02T10:00:00.123456789Z'; Text = 'INFO listening on :3000' }
            @{ Stream = 'stderr'; Time = '2026-12-02T10:00:01.000000001Z'; Text = 'ERROR connect ECONNREFUSED 127.0.0.1:5432' }
            @{ Stream = 'stderr'; Time = '2026-12-02T10:00:02.5Z'; Text = ('x' * 70000) }
            @{ Stream = 'stdout'; Time = '2026-12-02T10:00:03Z'; Text = 'WARN slow query 2300ms' }
        )
        $stub = Start-DockerStub @{ api = @{ Status = 'running'; Logs = $logs }; tty = @{ Status = 'running'; Tty = $true; Logs = $logs[0..1] } }
        try {
            $cfg = New-ServiceConfig "- { name: api, kind: docker, endpoint: 'unix://$($stub.Socket)' }`n- { name: tty, kind: docker, endpoint: 'unix://$($stub.Socket)' }"
            $r = @(Get-OpsServiceLog -ConfigPath $cfg -Name api)
            $r.Count | Should -Be 4
            "$($r.Stream)" | Should -Be 'stdout stderr stderr stdout'
            "$($r.Level)" | Should -Be 'Info Error Info Warning'
            $r[0].Time.UtcDateTime.ToString('HH:mm:ss.fffffff') | Should -Be '10:00:00.1234567'
            $r[1].Message | Should -Be 'ERROR connect ECONNREFUSED 127.0.0.1:5432'
            $r[2].Message.Length | Should -Be 70000
            @(Get-OpsServiceLog -ConfigPath $cfg -Name api -Tail 1).Message | Should -Be 'WARN slow query 2300ms'
            Get-Content $stub.Log | Should -Contain 'GET /v1.43/containers/api/logs?stdout=1&stderr=1&timestamps=1&tail=1 docker'
            $t = @(Get-OpsServiceLog -ConfigPath $cfg -Name tty)
            "$($t.Stream)" | Should -Be 'stdout stdout'
            $t[1].Level | Should -Be 'Error'
        }
        finally { $stub.Process.Kill($true); $stub.Process.WaitForExit() }
    }

    It 'logFile: the last -Tail lines of a large file, -Since by the time at the start of each line' {
        $file = Join-Path $TestDrive 'app.log'
        $start = [DateTime]::UtcNow.AddHours(-3)
        $w = [IO.StreamWriter]::new($file)
        try { for ($i = 0; $i -lt 200000; $i++) { $w.WriteLine(('{0:yyyy-MM-ddTHH:mm:ss.fffZ} {1} line {2}' -f $start.AddMilliseconds($i * 50), $(if ($i % 2) { 'ERROR' } else { 'INFO' }), $i)) } }
        finally { $w.Dispose() }
        $cfg = New-ServiceConfig "- { name: app, kind: tcp, address: '127.0.0.1:1', logFile: '$file' }`n- { name: bare, kind: tcp, address: '127.0.0.1:1' }"
        $r = @(Get-OpsServiceLog -ConfigPath $cfg -Name app -Tail 3)
        $r.Message | Should -Be @(& tail -n 3 $file)
        "$($r.Level)" | Should -Be 'Error Info Error'
        # Lines from 3 h ago up to 3 h ago + 10000 s: within the last 1 h are the lines after 2 h in.
        $recent = @(Get-OpsServiceLog -ConfigPath $cfg -Name app -Tail 100000 -Since 1h)
        $recent.Count | Should -BeGreaterThan 0
        $recent | ForEach-Object { $_.Time | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddHours(-1).AddMinutes(-1)) }
        { Get-OpsServiceLog -ConfigPath $cfg -Name bare -ErrorAction Stop } | Should -Throw -ErrorId 'ServiceKindNotSupported,*'
    }
}
