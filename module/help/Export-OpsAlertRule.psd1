@{
    Synopsis    = 'Writes a Prometheus rules file: the runbook''s three alerts, KPI and SLI recording rules, and multi-window burn-rate alerts.'
    Description = @'
Export-OpsAlertRule turns the runbook's "Alert Response Procedures" and "Success Metrics" into a rules file for Prometheus (rule_files in prometheus.yml). Check it with promtool check rules.

Group opsrunbook-runbook-alerts: HighCpuUsage (node_exporter CPU above 80% for 5 minutes), HighMemoryUsage (MemAvailable below 10% of MemTotal for 2 minutes) and QueueDepthHigh (more than thresholds.queueDepthWarn jobs waiting for 5 minutes, from opsrunbook_health_value{check="Queue"} that Export-OpsPrometheusMetric writes). Each carries the runbook's response steps as its runbook annotation and the OpsRunbook cmdlet to run next as its next annotation.

Group opsrunbook-slo-sli: the error ratio of the availability SLO (5xx responses) and of the latency SLO (requests slower than kpi.p95Ms) over the SRE workbook's windows 5m, 30m, 1h, 2h, 6h, 1d and 3d, from the API's request-duration histogram. Group opsrunbook-kpi: p95, error ratio, 30-day availability, error budget remaining and queue depth.

Group opsrunbook-slo-burn-rate: multi-window burn-rate alerts as Sloth and Pyrra generate them (Google SRE workbook): severity page when the burn rate is above 14.4x over 1h and 5m or above 6x over 6h and 30m; severity ticket when above 3x over 1d and 2h or above 1x over 3d and 6h. The budgets come from kpi.uptimePercent (99.9) and kpi.latencyPercent (95).

Targets come from the kpi: and thresholds: sections of the config when there is one; without a config file the runbook's defaults are used. The file is written atomically; an existing file is replaced only with -Force.
'@
    Parameters  = @{
        Path     = @{ Description = 'The rules file to write, e.g. /etc/prometheus/rules/opsrunbook.yml.' }
        Metric   = @{ Description = 'The API''s request-duration histogram. Default: kpi.metric (http_request_duration_seconds).' }
        Selector = @{ Description = 'Label matchers that select the API''s series in the SLI rules, e.g. job="api".' }
        Force    = @{ Description = 'Replace the file when it exists.' }
        PassThru = @{ Description = 'Return the file written (FileInfo).' }
    }
    Outputs     = @{ 'System.IO.FileInfo' = 'With -PassThru: the rules file.' }
    Examples    = @(
        @{ Title = 'Write the rules and check them with promtool'; Code = "Export-OpsAlertRule -Path ./opsrunbook-rules.yml -Force`npromtool check rules ./opsrunbook-rules.yml"; Remarks = 'promtool prints SUCCESS and the number of rules.' }
        @{ Title = 'Only the API job''s series'; Code = 'Export-OpsAlertRule -Path ./rules.yml -Selector ''job="api"'' -Force -PassThru'; Remarks = 'The SLI rules select http_request_duration_seconds_count{job="api"}.' }
    )
    Links       = @('Get-OpsAlert', 'Export-OpsPrometheusMetric', 'Get-OpsApiMetric', 'about_OpsRunbook')
}
