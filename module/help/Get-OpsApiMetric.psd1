@{
    Synopsis    = 'Shows requests, error rate and P50/P95/P99 latency per API route and method, from the API''s /metrics or from a Prometheus server.'
    Description = @'
Get-OpsApiMetric reads the API's request-duration histogram (default http_request_duration_seconds) in the Prometheus text format from -Url, or from api.metricsUrl in the config (api.baseUrl + /metrics when that is absent), and returns one row per route and method: Requests, Errors (5xx), ErrorRate (0..1) and P50, P95 and P99 (each as a TimeSpan and in milliseconds).

The percentiles are estimated from the histogram buckets with the same linear interpolation as PromQL's histogram_quantile: within the bucket where the rank falls, the first bucket starting at 0; when the rank falls in the +Inf bucket, the largest finite bound. Read from /metrics the counters cover everything since the API process started.

With -Prometheus it asks that server's HTTP API (/api/v1/query) for the increase of every bucket over -Range instead, so the figures cover that window; the result equals histogram_quantile(q, sum by (route, method, le) (increase(<metric>_bucket[<range>]))).

The route comes from the first label of route, path, handler, endpoint or uri; the status from status, code or status_code.
'@
    Parameters  = @{
        Url        = @{ Description = 'The API''s /metrics URL. Default: api.metricsUrl, else api.baseUrl + /metrics.' }
        Prometheus = @{ Description = 'A Prometheus server''s base URL (http://prometheus:9090): ask its HTTP API for the increase over -Range.' }
        Metric     = @{ Description = 'The request-duration histogram''s name.'; Default = 'http_request_duration_seconds' }
        Range      = @{ Description = 'With -Prometheus: the window the figures cover (1h, 24h, 7d).'; Default = '7d' }
        Timeout    = @{ Description = 'Bound on the HTTP call, retries included.'; Default = '10s' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Metrics.ApiMetric' = 'One row per route and method.' }
    Examples    = @(
        @{ Title = 'Latency per endpoint from the API''s /metrics'; Code = 'Get-OpsApiMetric'; Remarks = 'Requests, error %, P50/P95/P99 per route and method, since the API started.' }
        @{ Title = 'The week, from Prometheus'; Code = 'Get-OpsApiMetric -Prometheus (Get-OpsConfig).Prometheus.Url -Range 7d'; Remarks = 'The same figures over the last 7 days.' }
        @{ Title = 'Endpoints over the 500 ms target'; Code = 'Get-OpsApiMetric | Where-Object P95Ms -gt 500 | Select-Object Method, Route, P95Ms'; Remarks = 'The runbook''s p95 < 500 ms target, per endpoint.' }
    )
    Links       = @('Measure-OpsAccessLog', 'Get-OpsRedisInfo', 'about_OpsRunbook')
}
