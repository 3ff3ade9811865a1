@{
    Synopsis    = 'Runs the morning health check: services, disks, database, Redis, queues, API errors and backups, all in parallel, as typed results.'
    Description = @'
Get-OpsHealth runs every health check family that the environment configures at the same time and returns one HealthCheckResult per target: Environment, Check, Target, Status (Healthy, Warning, Critical, Unknown), Value and Unit, Threshold, Message, Duration and Timestamp. The Threshold text says why the status is what it is, e.g. "warn >= 80 %, critical >= 90 %".

The families:
- Service: each entry under services, by kind: process (running processes by name, from /proc), tcp (connect to host:port), http (status code and latency of a GET), systemd (runs `systemctl show UNIT --property=LoadState,ActiveState,SubState`; the systemctl path is configurable with systemctl:), docker (GET /v1.43/containers/NAME/json on the Docker Engine API, unix socket by default).
- Disk: each path under disk.paths: used %, free bytes and inodes, judged on the worse of space and inodes.
- Database: reachable and SELECT 1 latency; connections in use against max_connections, by state; sessions idle in transaction; queries running longer than thresholds.dbLongQuerySeconds.
- Redis: PING latency, instantaneous_ops_per_sec, used_memory against maxmemory, connected and rejected clients.
- Queue: waiting, active, delayed, failed and completed jobs per queue, read from BullMQ's Redis keys (queues.source: bullmq) or from GET /api/admin/queues/stats (queues.source: api).
- Errors: ERROR lines in the API logs (logs.directory, logs.api) whose timestamps fall in the last 24 hours, across today's and yesterday's files, gzip-rotated ones included. The target is today's file name (api-2026-12-02.log).
- Backup: the age and size of the newest PostgreSQL backup in S3 for each database in backup.databases, against backup.maximumAge and backup.warningAge (as Test-OpsBackupFreshness).
- Payments: Stripe's status page (stripe.statusUrl, as Get-OpsStripeStatus): indicator none is Healthy, minor or maintenance a Warning, major or critical Critical; the message names the components that are not operational.
- Maintenance: the open maintenance windows of the environment (Start-OpsMaintenance, read from the state store): Healthy within the window's -Duration, Warning once past it, so a window nobody closed is noticed. Shown when maintenance.flagPath or maintenance.workers is configured.
- Certificates: each TLS certificate of certificates.targets (a bounded handshake) and certificates.paths (PEM files), as Test-OpsCertificate checks it: Critical when expired, within criticalDays, untrusted or for another host name, Warning within warnDays; Value is the days left. Shown when certificates: is configured.

Each family is bounded by -TimeoutSeconds (default 5). A dead, refusing or hanging dependency becomes a Critical (or Unknown) result with a clear message within that bound, never an error and never a hang. Only a broken config is an error. Ctrl+C stops at once.

Thresholds come from the environment's thresholds section: diskWarnPercent, diskCriticalPercent, dbConnectionsWarnPercent, dbConnectionsCriticalPercent, dbIdleInTransactionWarn, dbLongQuerySeconds, latencyWarnMs, redisMemoryWarnPercent, redisMemoryCriticalPercent, queueDepthWarn, queueDepthCritical, queueFailedWarn, errorCountWarn, errorCountCritical.

With -Record every result is also stored in the state store's health history (see Get-OpsState, Get-OpsHealthHistory, Measure-OpsAvailability), and results older than state.healthRetention (default 400d) are pruned in short batches. A store that cannot be written is a non-terminating error after the results; the check itself still runs.

For scheduled runs pipe the results to Assert-OpsHealthy (fails the run when anything is Critical) and Export-OpsPrometheusMetric (writes a .prom file for node_exporter).
'@
    Parameters  = @{
        Check          = @{ Description = 'The check families to run (tab completion lists them; any other name is refused before anything runs). A family named here whose config section is missing is a ConfigSectionMissing error.'; Default = 'Every family the environment configures' }
        Record         = 'Also store every result in the health history of the state store (state.path, or state.postgres), and prune results older than state.healthRetention.'
        TimeoutSeconds = @{ Description = 'The bound on each check family, in seconds. A check that has not answered by then is Critical with "No answer within N s".'; Default = '5' }
        Environment    = @{ Description = "The environment to check, as named under 'environments:' in the config file. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath     = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Health.HealthCheckResult' = 'One per target checked. Value keeps the raw number; the default table shows it with its unit.'
    }
    Examples    = @(
        @{
            Title   = 'Run the whole morning health check'
            Code    = 'Get-OpsHealth'
            Remarks = 'Runs every configured family in parallel and shows a table: Status, Check, Target, Value, time taken and a message.'
        }
        @{
            Title   = 'Check and keep the results for the availability report'
            Code    = 'Get-OpsHealth -Record | Where-Object Status -ne Healthy'
            Remarks = 'What the 5-minute cron line does (DailyHealthCheck.ps1 records by default); Measure-OpsAvailability reads the history.'
        }
        @{
            Title   = 'Show only what needs attention'
            Code    = 'Get-OpsHealth | Where-Object Status -ne Healthy | Format-List Check, Target, Status, Value, Unit, Threshold, Message'
            Remarks = 'The Threshold says why each status is what it is.'
        }
        @{
            Title   = 'Check the database and queues of staging, with a 2 second bound'
            Code    = 'Get-OpsHealth -Check Database, Queue -Environment staging -TimeoutSeconds 2'
            Remarks = '-Check takes any of the family names; tab completion lists them.'
        }
        @{
            Title   = 'Save the results for a spreadsheet'
            Code    = 'Get-OpsHealth | Export-Csv -Path ./health.csv -NoTypeInformation'
            Remarks = 'Columns: Environment, Check, Target, Status, Value, Unit, Threshold, Message, Duration, Timestamp.'
        }
        @{
            Title   = 'Fail a scheduled task when anything is Critical'
            Code    = 'Get-OpsHealth | Export-OpsPrometheusMetric -Path ./opsrunbook.prom -PassThru | Assert-OpsHealthy'
            Remarks = 'Writes the metrics file first, then throws OpsHealthCritical (so pwsh exits non-zero) when any result is Critical.'
        }
    )
    Notes       = 'systemd and Docker are read through their real interfaces (systemctl show, the Engine API on its unix socket). examples/runbooks/DailyHealthCheck.ps1 is the runbook''s daily health-check script built from these cmdlets.'
    Links       = @('Assert-OpsHealthy', 'Export-OpsPrometheusMetric', 'Get-OpsSystemInfo', 'Get-OpsConfig', 'about_OpsRunbook')
}
