@{
    Synopsis    = 'Writes health results as Prometheus metrics: a .prom file for node_exporter (atomically), or a push to a Pushgateway.'
    Description = @'
Export-OpsPrometheusMetric collects HealthCheckResult objects from the pipeline and writes them as Prometheus text exposition format (0.0.4). The file is first written to a hidden temp file in the same directory and then renamed over -Path, so node_exporter's textfile collector never reads a half-written file (it ignores files not ending in .prom).

Metrics, all gauges labelled environment, check and target:
- opsrunbook_health_status: 0 healthy, 1 unknown, 2 warning, 3 critical;
- opsrunbook_health_value (with unit): the value each check judged;
- opsrunbook_health_duration_seconds: how long the check took;
- opsrunbook_health_detail (with name): the numbers behind a result (queue counts by state, connections by state, free bytes...);
- opsrunbook_health_last_run_timestamp_seconds per environment, to alert on a check that stopped running.

With -PushgatewayUrl the same text is pushed to a Prometheus Pushgateway instead: an HTTP PUT to /metrics/job/<Job>/instance/<Instance>[/<label>/<value>...], which replaces every metric of that group, so the group always holds the host's last run. -Job defaults to opsrunbook and -Instance to this host's name; a value holding '/' or other characters outside [A-Za-z0-9_.:-] is sent base64url-encoded as the Pushgateway's API asks. Let Prometheus scrape the Pushgateway with honor_labels: true so job and instance stay those of the push. The push is bounded by -TimeoutSeconds (retries included); errors: PushgatewayUnreachable, PushgatewayTimeout, PushgatewayRejected (the Pushgateway's reason in the message), PushgatewayUrlInvalid. It returns a PushgatewayPush (Url, Job, Instance, Results, StatusCode) unless -PassThru.

The output passes `promtool check metrics`.
'@
    Parameters  = @{
        Path        = 'The .prom file to write, e.g. /var/lib/prometheus/node-exporter/opsrunbook.prom (the directory must exist).'
        InputObject = 'Health results, usually piped from Get-OpsHealth.'
        Availability = 'Results of Measure-OpsAvailability, written as opsrunbook_availability_ratio{environment,check,target,window} (window: 30d).'
        PassThru    = 'Pass each result on down the pipeline, e.g. to Assert-OpsHealthy.'
        PushgatewayUrl = 'The base URL of a Prometheus Pushgateway, e.g. http://pushgateway:9091. The results replace the group job/instance there.'
        Job         = 'The job grouping label of the push (default: opsrunbook).'
        Instance    = 'The instance grouping label of the push (default: this host''s name, as in ComputerName).'
        GroupingLabel = 'More grouping labels as a hashtable (@{ site = ''fra1'' }), added to the group''s path after job and instance.'
        TimeoutSeconds = 'The bound on the push, retries included (default 10 s).'
    }
    Outputs     = @{
        'OpsRunbook.Core.Health.HealthCheckResult' = 'With -PassThru: the input results.'
        'OpsRunbook.Core.Metrics.PushgatewayPush' = 'With -PushgatewayUrl (without -PassThru): the group pushed to and how many results it holds.'
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
            Code    = 'Get-OpsHealth | Export-OpsPrometheusMetric -PushgatewayUrl http://pushgateway:9091 -Job opsrunbook -Instance web-1'
            Run     = $false
            Why     = 'Needs a Pushgateway at pushgateway:9091; the tests push to the sandbox''s own (Export-OpsPrometheusMetric.Tests.ps1).'
            Remarks = 'Replaces the group job="opsrunbook", instance="web-1" with this run. Scrape the Pushgateway with honor_labels: true.'
        }
        @{
            Title   = 'A fleet pushes through one session'
            Code    = @'
Invoke-Command -HostName web-1, web-2 -ScriptBlock { Get-OpsHealth } |
    Group-Object ComputerName | ForEach-Object { $_.Group | Export-OpsPrometheusMetric -PushgatewayUrl http://pushgateway:9091 -Instance $_.Name }
'@
            Run     = $false
            Why     = 'Needs SSH remoting to hosts web-1 and web-2 and a Pushgateway; the tests do this against the sandbox''s two sshd hosts.'
            Remarks = 'Remote health results come back as real HealthCheckResult objects, so they pipe into Export-OpsPrometheusMetric; one group per host.'
        }
    )
    Notes       = 'Status values: 0 Healthy, 1 Unknown, 2 Warning, 3 Critical (the HealthStatus enum).'
    Links       = @('Get-OpsHealth', 'Assert-OpsHealthy', 'about_OpsRunbook')
}
