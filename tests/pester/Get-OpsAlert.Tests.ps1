BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    function Read-Cpu { $f = ((Get-Content /proc/stat -TotalCount 1) -split '\s+')[1..8] | ForEach-Object { [long]$_ }; [pscustomobject]@{ Total = ($f | Measure-Object -Sum).Sum; Idle = $f[3] + $f[4] } }
    function Read-MemUsed { $m = @{}; Get-Content /proc/meminfo | ForEach-Object { if ($_ -match '^(\w+):\s+(\d+)') { $m[$Matches[1]] = [long]$Matches[2] } }; 100 * (1 - $m.MemAvailable / $m.MemTotal) }
}

Describe 'Get-OpsAlert' {
    It 'evaluates the three alerts from /proc and the queue family, CPU sampled over -Duration' {
        $before = Read-Cpu
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $rows = @(Get-OpsAlert -Duration 2s)
        $sw.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.9
        $after = Read-Cpu
        $rows.Name | Should -Be @('HighCpuUsage', 'HighMemoryUsage', 'QueueDepthHigh')
        $rows[0] | Should -BeOfType ([OpsRunbook.Core.Alerts.LocalAlert])
        $cpu = $rows[0]
        $cpu.Duration | Should -Be ([TimeSpan]::FromSeconds(2))
        $cpu.State | Should -BeIn @('Ok', 'Firing')
        # The test's own reading of /proc/stat around the call (a slightly longer window) is the oracle.
        $oracle = 100 * (1 - ($after.Idle - $before.Idle) / ($after.Total - $before.Total))
        [math]::Abs($cpu.Value - $oracle) | Should -BeLessThan 25
        [math]::Abs($rows[1].Value - (Read-MemUsed)) | Should -BeLessThan 3
        $rows[1].State | Should -Be $(if ($rows[1].Value -gt 90) { 'Firing' } else { 'Ok' })
        $rows[2].State | Should -Be 'Ok'
        $rows[2].Threshold | Should -Be 1000
        $rows[2].Next | Should -Be 'Get-OpsHealth -Check Queue'
        $rows | ForEach-Object { $_.Runbook | Should -Not -BeNullOrEmpty }
    }

    It 'fires the queue alert when a BullMQ queue holds more than queueDepthWarn jobs waiting' {
        $p = (Get-OpsSandbox).Ports
        $prefix = "alert$(Get-Random)"
        $ids = 1..30 | ForEach-Object { "$_" }
        & redis-cli -p $p.Redis -a $env:REDIS_PASSWORD --no-auth-warning rpush "${prefix}:backlog:wait" @ids | Out-Null
        try {
            $cfg = New-OpsTestConfig -Text @"
defaultEnvironment: t
environments:
  t:
    redis: { configuration: '127.0.0.1:$($p.Redis)', password: '`${env:REDIS_PASSWORD}' }
    queues: { source: bullmq, prefix: $prefix, names: [backlog, quiet] }
    thresholds: { queueDepthWarn: 25 }
"@
            $q = Get-OpsAlert -Duration 200ms -ConfigPath $cfg | Where-Object Name -eq 'QueueDepthHigh'
            $q.State | Should -Be 'Firing'
            $q.Value | Should -Be 30
            $q.Threshold | Should -Be 25
            $q.Message | Should -Match 'backlog \(30\)'
            @(Get-OpsAlert -Duration 200ms -ConfigPath $cfg -Firing).Name | Should -Contain 'QueueDepthHigh'
            # Drained while the window ran: over the threshold at the start only, so it must not fire.
            $drain = Start-ThreadJob { param($port, $key) Start-Sleep -Milliseconds 1500; & redis-cli -p $port -a $env:REDIS_PASSWORD --no-auth-warning del $key | Out-Null } -ArgumentList $p.Redis, "${prefix}:backlog:wait"
            $q = Get-OpsAlert -Duration 5s -ConfigPath $cfg | Where-Object Name -eq 'QueueDepthHigh'
            $drain | Wait-Job -Timeout 10 | Remove-Job -Force
            $q.State | Should -Be 'Ok'
            $q.Value | Should -Be 0
        }
        finally { & redis-cli -p $p.Redis -a $env:REDIS_PASSWORD --no-auth-warning del "${prefix}:backlog:wait" | Out-Null }
    }

    It 'says Unknown, naming what is missing, when there is no queues section' {
        $cfg = New-OpsTestConfig -Name noqueues.yaml -Text "defaultEnvironment: t`nenvironments:`n  t:`n    disk: { paths: [ / ] }`n"
        $q = Get-OpsAlert -Duration 200ms -ConfigPath $cfg | Where-Object Name -eq 'QueueDepthHigh'
        $q.State | Should -Be 'Unknown'
        $q.Message | Should -Match 'no queues section'
    }

    It 'fires the CPU alert while every core is kept busy' {
        # ProcessStartInfo.ArgumentList passes the script as one argument (Start-Process joins them with spaces,
        # and sh then exits at once with a syntax error: the test passed only when something else loaded the machine).
        $busy = 1..([Environment]::ProcessorCount) | ForEach-Object {
            $psi = [Diagnostics.ProcessStartInfo]::new('sh'); $psi.ArgumentList.Add('-c'); $psi.ArgumentList.Add('while :; do :; done')
            [Diagnostics.Process]::Start($psi)
        }
        try {
            Start-Sleep -Milliseconds 300
            $busy | ForEach-Object { $_.HasExited | Should -BeFalse -Because 'the busy loops must still run while CPU is sampled' }
            $cpu = Get-OpsAlert -Duration 2s | Where-Object Name -eq 'HighCpuUsage'
            $cpu.Value | Should -BeGreaterThan 80 -Because $cpu.Message
            $cpu.State | Should -Be 'Firing' -Because $cpu.Message
            $cpu.Next | Should -Match 'Get-OpsSystemInfo'
        }
        finally { $busy | ForEach-Object { try { $_.Kill() } catch { } } }
    }
}
