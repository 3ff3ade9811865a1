@{
    Synopsis    = 'Writes health results as a Prometheus text exposition file, atomically, for node_exporter or a Pushgateway.'
    Description = @'
Export-OpsPrometheusMetric collects HealthCheckResult objects from the pipeline and writes them as Prometheus text exposition format (0.0.4). The file is first written to a hidden temp file in the same directory and then renamed over -Path, so node_exporter's textfile collector never reads a half-written file (it ignores files not ending in .prom).

Metrics, all gauges labelled environment, check and target:
- opsrunbook_health_status: 0 healthy, 1 unknown, 2 warning, 3 critical;
- opsrunbook_health_value (with unit): the value each check judged;
- opsrunbook_health_duration_seconds: how long the check took;
- opsrunbook_health_detail (with name): the numbers behind a result (queue counts by state, connections by state, free bytes...);
- opsrunbook_health_last_run_timestamp_seconds per environment, to alert on a check that stopped running.

The same file can be pushed to a Pushgateway with an HTTP PUT (see the examples). The output passes `promtool check metrics`.
'@
    Parameters  = @{
        Path        = 'The .prom file to write, e.g. /var/lib/prometheus/node-exporter/opsrunbook.prom (the directory must exist).'
        InputObject = 'Health results, usually piped from Get-OpsHealth.'
        Availability = 'Results of Measure-OpsAvailability, written as opsrunbook_availability_ratio{environment,check,target,window} (window: 30d).'
        PassThru    = 'Pass each result on down the pipeline, e.g. to Assert-OpsHealthy.'
    }
    Outputs     = @{
        'OpsRunbook.Core.Health.HealthCheckResult' = 'With -PassThru: the input results.'
    }
    Examples    = @(
        @{
            Title   = 'Health and the 30-day availability in one file'
            Code    = 'Get-OpsHealth -Record | Export-OpsPrometheusMetric -Path (Join-Path ([IO.Path]::GetTempPath()) ''opsrunbook.prom'') -Availability (Measure-OpsAvailability -Since 30d)'
            Remarks = 'Adds opsrunbook_availability_ratio{check,target,window="30d"} beside the health gauges.'
        }
        @{
            Title   = 'Write metrics for the node_exporter textfile collector'
            Code    = 'Get-OpsHealth | Export-OpsPrometheusMetric -Path ./opsrunbook.prom'
            Remarks = 'In production point -Path at the directory given to node_exporter --collector.textfile.directory.'
        }
        @{
            Title   = 'See what would be written'
            Code    = 'Get-OpsHealth -Check Disk | Export-OpsPrometheusMetric -Path ./disk.prom -WhatIf'
            Remarks = 'Nothing is written under -WhatIf.'
        }
        @{
            Title   = 'Push to a Pushgateway'
            Code    = @'
Get-OpsHealth | Export-OpsPrometheusMetric -Path ./opsrunbook.prom
Invoke-RestMethod -Method Put -Uri http://pushgateway:9091/metrics/job/opsrunbook -InFile ./opsrunbook.prom -ContentType 'text/plain; version=0.0.4'
'@
            Run     = $false
            Why     = 'Needs a Pushgateway at pushgateway:9091, which the sandbox does not run.'
            Remarks = 'The Pushgateway takes the same text format.'
        }
    )
    Notes       = 'Status values: 0 Healthy, 1 Unknown, 2 Warning, 3 Critical (the HealthStatus enum).'
    Links       = @('Get-OpsHealth', 'Assert-OpsHealthy', 'about_OpsRunbook')
}
