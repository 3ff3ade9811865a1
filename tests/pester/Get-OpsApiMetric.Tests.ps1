BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:P = (Get-OpsSandbox).Ports
    $script:Prom = "http://127.0.0.1:$($script:P.Prometheus)"
    function Invoke-PromQL([string] $Query, [double] $Time) {
        $r = Invoke-RestMethod -TimeoutSec 10 -Uri "$script:Prom/api/v1/query" -Body @{ query = $Query; time = $Time.ToString([cultureinfo]::InvariantCulture) }
        $r.status | Should -Be 'success'
        $r.data.result
    }
    # Prometheus (the sandbox's, Debian package) must have scraped the metrics stand-in a few times.
    $deadline = (Get-Date).AddSeconds(60)
    do {
        Start-Sleep -Milliseconds 500
        $n = Invoke-PromQL 'count_over_time(http_request_duration_seconds_count{route="/api/search",status="200"}[5m])' ([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1000)
    } until (($n -and [int]$n[0].value[1] -ge 4) -or (Get-Date) -gt $deadline)
}

Describe 'Get-OpsApiMetric' {
    It 'reads the API''s /metrics (api.metricsUrl) per route and method' {
        $rows = @(Get-OpsApiMetric)
        $rows[0] | Should -BeOfType ([OpsRunbook.Core.Metrics.ApiMetric])
        ($rows | ForEach-Object { "$($_.Method) $($_.Route)" }) | Should -Be @('GET /api/health', 'GET /api/search', 'POST /api/upload')
        $search = $rows[1]
        $rounds = $search.Requests / 102
        $rounds | Should -Be ([math]::Floor($rounds)) -Because 'the stand-in serves whole rounds of 102 search requests'
        $search.Errors | Should -Be (2 * $rounds)
        $search.ErrorRate | Should -Be (2 / 102)
        # By hand from the stand-in's buckets (102 per round; 200s and 500s together: rank 0.95*102 = 96.9 in (0.5, 1], 96 below, 100 at 1):
        $search.P95Ms | Should -BeGreaterThan 500
        [math]::Round($search.P95Ms / 1000, 9) | Should -Be ([math]::Round(0.5 + 0.5 * (96.9 - 96) / (100 - 96), 9))
        $search.P95 | Should -BeOfType ([TimeSpan])
        $search.Source | Should -Be "http://127.0.0.1:$($script:P.Metrics)/metrics"
        [math]::Round($rows[0].P99Ms, 9) | Should -Be 9.75 -Because 'health: 50 requests, 40 under 5 ms, the rest under 10 ms: 5 + 5 * (49.5 - 40) / 10'
    }

    It 'gives the same P50/P95/P99 as the real Prometheus''s histogram_quantile, to 6 decimals' {
        $t = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1000
        $rows = @(Get-OpsApiMetric -Url "http://127.0.0.1:$($script:P.Metrics)/metrics")
        foreach ($q in 0.5, 0.95, 0.99) {
            $oracle = Invoke-PromQL "histogram_quantile($q, sum by (route, method, le) (http_request_duration_seconds_bucket))" $t
            @($oracle).Count | Should -Be 3
            foreach ($o in $oracle) {
                $mine = $rows | Where-Object { $_.Route -eq $o.metric.route -and $_.Method -eq $o.metric.method }
                $ms = switch ($q) { 0.5 { $mine.P50Ms } 0.95 { $mine.P95Ms } 0.99 { $mine.P99Ms } }
                [math]::Round($ms / 1000, 6) | Should -Be ([math]::Round([double]$o.value[1], 6)) -Because "q=$q for $($o.metric.method) $($o.metric.route)"
            }
        }
    }

    It '-Prometheus asks the server for the range and matches histogram_quantile over increase(), to 6 decimals' {
        $rows = @(Get-OpsApiMetric -Prometheus $script:Prom -Range 1m)
        $t = $rows[0].Timestamp.ToUnixTimeMilliseconds() / 1000
        $rows.Count | Should -Be 3
        $rows[0].Range | Should -Be ([TimeSpan]::FromMinutes(1))
        $rows[0].Source | Should -Be "prometheus $script:Prom/"
        $oracle = Invoke-PromQL 'histogram_quantile(0.95, sum by (route, method, le) (increase(http_request_duration_seconds_bucket[1m])))' $t
        foreach ($o in $oracle) {
            $mine = $rows | Where-Object { $_.Route -eq $o.metric.route -and $_.Method -eq $o.metric.method }
            [math]::Round($mine.P95Ms / 1000, 6) | Should -Be ([math]::Round([double]$o.value[1], 6))
        }
        $requests = Invoke-PromQL 'sum by (route, method) (increase(http_request_duration_seconds_count[1m]))' $t
        $search = $rows | Where-Object Route -eq '/api/search'
        $search.Requests | Should -BeGreaterThan 0
        [math]::Round($search.Requests, 6) | Should -Be ([math]::Round([double]($requests | Where-Object { $_.metric.route -eq '/api/search' }).value[1], 6))
        [math]::Round($search.ErrorRate, 9) | Should -Be ([math]::Round(2 / 102, 9))
    }

    It 'takes unquoted durations (7d, 30s) as the text says, not as PowerShell number literals' {
        (Get-OpsApiMetric -Prometheus $script:Prom -Range 7d)[0].Range | Should -Be ([TimeSpan]::FromDays(7))
        (Get-OpsApiMetric -Prometheus $script:Prom -Range 30s -Timeout 10s)[0].Range | Should -Be ([TimeSpan]::FromSeconds(30))
    }

    It 'names a missing histogram, a page that is not metrics, and an unreachable Prometheus' {
        { Get-OpsApiMetric -Metric no_such_histogram -ErrorAction Stop } | Should -Throw -ErrorId 'MetricNotFound*'
        { Get-OpsApiMetric -Url "http://127.0.0.1:$($script:P.Nginx)/api/health" -ErrorAction Stop } | Should -Throw -ErrorId 'MetricsParseFailed*'
        { Get-OpsApiMetric -Prometheus "http://127.0.0.1:$($script:P.Prometheus)" -Metric no_such_histogram -Range 5m -ErrorAction Stop } | Should -Throw -ErrorId 'MetricNotFound*'
        $sw = [Diagnostics.Stopwatch]::StartNew()
        { Get-OpsApiMetric -Prometheus "http://127.0.0.1:$(Get-OpsFreePort)" -Timeout 3s -ErrorAction Stop } | Should -Throw -ErrorId 'PrometheusUnreachable*'
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 10
        { Get-OpsApiMetric -Url 'ftp://x/metrics' -ErrorAction Stop } | Should -Throw -ErrorId 'MetricsUrlInvalid*'
    }
}
