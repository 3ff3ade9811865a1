BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:P = (Get-OpsSandbox).Ports
    $script:Prom = "http://127.0.0.1:$($script:P.Prometheus)"
    $script:Node = Join-Path (Get-OpsRepoRoot) 'tests/sandbox/node'
    function Invoke-PromQL([string] $Query, [double] $Time) {
        $r = Invoke-RestMethod -TimeoutSec 10 -Uri "$script:Prom/api/v1/query" -Body @{ query = $Query; time = $Time.ToString([cultureinfo]::InvariantCulture) }
        $r.data.result
    }
    function Get-Row([object[]] $Rows, [string] $Name) { $Rows | Where-Object Name -eq $Name }
    $deadline = (Get-Date).AddSeconds(60)
    do { Start-Sleep -Milliseconds 500; $n = Invoke-PromQL 'count_over_time(http_request_duration_seconds_count{route="/api/search",status="200"}[5m])' ([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1000) }
    until (($n -and [int]$n[0].value[1] -ge 4) -or (Get-Date) -gt $deadline)
}

Describe 'Get-OpsKpi' {
    It 'gives one row per KPI, with p95 and error rate from Prometheus equal to its own answer' {
        $rows = @(Get-OpsKpi -Since 2m)
        $rows.Name | Should -Be @('Uptime', 'P95Latency', 'QueueSla', 'ErrorRate', 'CostPerUser')
        $rows[0] | Should -BeOfType ([OpsRunbook.Core.Performance.KpiResult])
        $p95 = Get-Row $rows P95Latency
        $t = $p95.Until.ToUnixTimeMilliseconds() / 1000
        $oracle = Invoke-PromQL 'histogram_quantile(0.95, sum by (le) (increase(http_request_duration_seconds_bucket[2m])))' $t
        [math]::Round($p95.Value / 1000, 6) | Should -Be ([math]::Round([double]$oracle[0].value[1], 6))
        $p95.Source | Should -Match "^prometheus $([regex]::Escape($script:Prom))"
        $p95.Target | Should -Be 500
        $p95.Met | Should -Be ($p95.Value -le 500)
        # Per round of the stand-in: 192 requests, 156 at or under 0.5 s, 2 with a 5xx.
        $p95.BurnRate | Should -Be ([math]::Round((1 - 156 / 192) / 0.05, 6))
        $err = Get-Row $rows ErrorRate
        $err.Value | Should -Be ([math]::Round(100 * 2 / 192, 4))
        $err.Status | Should -Be 'Missed'
        $err.BurnRate | Should -Be ([math]::Round(2 / 192 / 0.001, 6))
        $err.ErrorBudgetRemaining | Should -Be ([math]::Round(1 - 2 / 192 / 0.001, 6))
    }

    It 'takes uptime from the health history, as Measure-OpsAvailability computes it, with budget and burn rate' {
        $cfg = New-OpsTestConfig -Name uptime.yaml -Text "defaultEnvironment: t`nenvironments:`n  t:`n    disk: { paths: [ / ] }`n    state: { path: '$(Join-Path $TestDrive 'uptime.db')' }`n"
        $now = [DateTimeOffset]::UtcNow
        $since = $now.AddDays(-2)
        # 2 days of 5-minute Service samples: api down for 30 minutes, web always up.
        $rows = for ($m = 0; $m -lt 2880; $m += 5) {
            $at = $since.AddMinutes($m)
            [OpsRunbook.Core.Health.HealthCheckResult]@{ Environment = 't'; Check = 'Service'; Target = 'api'; Status = $(if ($m -ge 1440 -and $m -lt 1470) { 'Critical' } else { 'Healthy' }); Timestamp = $at }
            [OpsRunbook.Core.Health.HealthCheckResult]@{ Environment = 't'; Check = 'Service'; Target = 'web'; Status = 'Healthy'; Timestamp = $at }
        }
        $rows | Save-OpsHealth -ConfigPath $cfg
        $up = Get-OpsKpi -ConfigPath $cfg -Since $since | Where-Object Name -eq Uptime
        $oracle = Measure-OpsAvailability -ConfigPath $cfg -Check Service -Since $up.Since -Until $up.Until | Sort-Object Availability | Select-Object -First 1
        $oracle.Target | Should -Be 'api'
        $up.Value | Should -Be ([math]::Round($oracle.Availability * 100, 4))
        $up.Value | Should -BeLessThan 99.9
        $up.Status | Should -Be 'Missed'
        $up.BurnRate | Should -Be ([math]::Round((1 - $oracle.Availability) / 0.001, 6))
        $up.Source | Should -Match 'Measure-OpsAvailability, Service/api'
        $up.Message | Should -Match 'web 100%'
    }

    It 'names what is missing in an Unknown row instead of failing: uptime, cost, and sources not configured' {
        $cfg = New-OpsTestConfig -Text "defaultEnvironment: t`nenvironments:`n  t:`n    disk: { paths: [ / ] }`n    state: { path: '$(Join-Path $TestDrive 'empty.db')' }`n"
        $rows = @(Get-OpsKpi -ConfigPath $cfg -ErrorAction Stop)
        $rows.Count | Should -Be 5
        $rows | ForEach-Object { $_.Status | Should -Be 'Unknown'; $_.Value | Should -BeNullOrEmpty; $_.Met | Should -BeNullOrEmpty }
        (Get-Row $rows Uptime).Source | Should -Match 'no Service results .* in the health history'
        (Get-Row $rows CostPerUser).Source | Should -Match 'Get-OpsCostReport'
        (Get-Row $rows P95Latency).Source | Should -Match 'neither prometheus.url nor logs'
        (Get-Row $rows QueueSla).Source | Should -Match 'queues:'
        (Get-Row $rows CostPerUser).Target | Should -Be 0.1
    }

    It 'takes cost per active user of the last complete month from the cost report, equal to psql on the same rows' {
        $db = 'opsrb_t_kpicost'
        $cfg = New-OpsScratchDatabase -Name $db
        try {
            $now = [DateTimeOffset]::UtcNow
            $m = (New-Object DateTime $now.Year, $now.Month, 1, 0, 0, 0, ([DateTimeKind]::Utc)).AddMonths(-1)
            $d = { param($day) $m.AddDays($day).ToString('yyyy-MM-dd HH:mm:ss+00') }
            $null = Invoke-OpsSandboxSql -Database $db -Sql @"
INSERT INTO users (id, email, subscription_tier) VALUES (1, 'a@t.test', 'free'), (2, 'b@t.test', 'pro'), (3, 'c@t.test', 'pro');
INSERT INTO cost_tracking (service, cost, user_id, created_at) VALUES
  ('openai', 0.030000, 1, '$(& $d 1)'), ('stripe', 0.050000, 2, '$(& $d 10)'), ('openai', 0.070000, 3, '$(& $d 12)'),
  ('openai', 5.000000, 1, '$($m.AddMonths(1).AddHours(1).ToString('yyyy-MM-dd HH:mm:ss+00'))');
INSERT INTO user_activity (user_id, action, created_at) VALUES (1, 'login', '$(& $d 2)'), (2, 'view', '$(& $d 3)'), (3, 'view', '$(& $d 4)');
"@
            $null = Invoke-OpsSandboxSql -Database $db -Sql "ALTER DATABASE $db SET timezone TO 'UTC'"
            Add-Content -Path $cfg -Value "`n    state: { path: '$(Join-Path $TestDrive 'kpicost.db')' }"
            $lo = $m.ToString('yyyy-MM-dd'); $hi = $m.AddMonths(1).ToString('yyyy-MM-dd')
            $oracle = [double](Invoke-OpsSandboxSql -Database $db -Sql "SELECT round((SELECT sum(cost) FROM cost_tracking WHERE created_at >= '$lo' AND created_at < '$hi') / (SELECT count(DISTINCT user_id) FROM user_activity WHERE created_at >= '$lo' AND created_at < '$hi'), 6)").Trim()
            $row = Get-OpsKpi -ConfigPath $cfg -ErrorAction Stop | Where-Object Name -eq CostPerUser
            $oracle | Should -Be 0.05
            $row.Value | Should -Be $oracle
            $row.Status | Should -Be 'Met'
            $row.Source | Should -Match "^Get-OpsCostReport $($m.ToString('yyyy-MM')) "
        }
        finally { Remove-OpsScratchDatabase -Name $db }
    }

    It 'an unreachable Prometheus is an Unknown row naming it, not an error' {
        $port = Get-OpsFreePort
        $cfg = New-OpsTestConfig -Name prom.yaml -Text "defaultEnvironment: t`nenvironments:`n  t:`n    prometheus: { url: 'http://127.0.0.1:$port' }`n"
        $p95 = Get-OpsKpi -ConfigPath $cfg -Timeout 3s -ErrorAction Stop | Where-Object Name -eq P95Latency
        $p95.Status | Should -Be 'Unknown'
        $p95.Source | Should -Match "127.0.0.1:$port"
    }

    It 'without Prometheus reads p95 and error rate from the access log, as Measure-OpsAccessLog does' {
        $dir = Join-Path $TestDrive 'logs'; $null = New-Item -ItemType Directory $dir
        $now = [DateTimeOffset]::UtcNow
        $lines = 1..200 | ForEach-Object {
            $t = $now.AddMinutes(-$_).ToString('dd/MMM/yyyy:HH:mm:ss +0000', [cultureinfo]::InvariantCulture)
            $status = if ($_ % 50 -eq 0) { 502 } else { 200 }
            '10.0.0.{0} - - [{1}] "GET /api/search?q={2} HTTP/1.1" {3} 512 "-" "curl/8" {4:0.000}' -f ($_ % 7), $t, $_, $status, ($_ * 3 / 1000)
        }
        Set-Content -Path (Join-Path $dir 'access.log') -Value $lines
        $cfg = New-OpsTestConfig -Name logs.yaml -Text "defaultEnvironment: t`nenvironments:`n  t:`n    logs: { directory: '$dir', access: access.log }`n    kpi: { p95Ms: 550 }`n"
        $rows = @(Get-OpsKpi -ConfigPath $cfg -Since 1d)
        $oracle = Measure-OpsAccessLog -Path (Join-Path $dir 'access.log') -Since 1d
        $p95 = Get-Row $rows P95Latency
        $p95.Value | Should -Be $oracle.P95Ms
        $p95.Value | Should -Be 570 -Because 'nearest rank: the 190th of 3..600 ms in steps of 3'
        $p95.Status | Should -Be 'Missed'
        $p95.Source | Should -Match 'access log'
        $p95.ErrorBudgetRemaining | Should -BeNullOrEmpty
        $err = Get-Row $rows ErrorRate
        $err.Value | Should -Be ([math]::Round(100 * $oracle.ErrorRate, 4))
        $err.Value | Should -Be 2
        (Get-Row @(Get-OpsKpi -ConfigPath $cfg -Since 30d) P95Latency).Since | Should -BeLessThan ([DateTimeOffset]::UtcNow.AddDays(-29)) -Because 'unquoted 30d is 30 days, not the decimal 30'
    }

    It 'measures the queue SLA over jobs the real bullmq package ran with known delays' {
        $prefix = "kpi$(Get-Random)"
        $env:REDIS_HOST = '127.0.0.1'; $env:REDIS_PORT = $script:P.Redis
        Push-Location $script:Node
        try { $out = & node bullmq-jobs.mjs sla $prefix sla 6 3 1500 1 }
        finally { Pop-Location }
        $LASTEXITCODE | Should -Be 0
        $jobs = $out | ConvertFrom-Json
        $jobs.Count | Should -Be 10
        ($jobs | Where-Object name -eq 'slow' | Measure-Object ms -Minimum).Minimum | Should -BeGreaterOrEqual 1500
        # bullmq's own Job objects are the oracle: completed and within 1 s.
        $within = @($jobs | Where-Object { -not $_.failed -and $_.ms -le 1000 }).Count
        try {
            $cfg = New-OpsTestConfig -Name queue.yaml -Text @"
defaultEnvironment: t
environments:
  t:
    redis: { configuration: '127.0.0.1:$($script:P.Redis)', password: '`${env:REDIS_PASSWORD}' }
    queues: { source: bullmq, prefix: $prefix, names: [sla] }
    kpi: { queueSlaSeconds: 1, queueSlaPercent: 60 }
"@
            $q = Get-OpsKpi -ConfigPath $cfg -Since 10m | Where-Object Name -eq QueueSla
            $q.Value | Should -Be ([math]::Round(100 * $within / 10, 4)) -Because $q.Message
            $within | Should -BeGreaterOrEqual 5 -Because 'the fast jobs ran at once'
            $q.Target | Should -Be 60
            $q.Message | Should -Match "$within of 10 jobs done within 1 s \(1 failed\)"
            $q.Met | Should -Be ($q.Value -ge 60)
            $q.BurnRate | Should -Be ([math]::Round((1 - $within / 10) / 0.4, 6))
        }
        finally { Push-Location $script:Node; & node bullmq-jobs.mjs obliterate $prefix sla | Out-Null; Pop-Location }
    }
}
