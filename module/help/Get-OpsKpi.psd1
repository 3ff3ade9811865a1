@{
    Synopsis    = 'Computes the runbook''s Success Metrics: one row per KPI with its target, whether it is met, the error budget left and the burn rate.'
    Description = @'
Get-OpsKpi turns the runbook's "Success Metrics" into figures over a window (-Since, default 30 days): Uptime (target 99.9%), P95Latency (p95 under 500 ms), QueueSla (95% of jobs done within 5 minutes), ErrorRate (under 0.1%) and CostPerUser (under $0.10). Targets come from kpi: in the config (uptimePercent, p95Ms, latencyPercent, queueSlaPercent, queueSlaSeconds, errorRatePercent, costPerUser).

Each row has Name, Value, Target, Unit, Met, Status (Met, Missed or Unknown), ErrorBudgetRemaining (1 untouched, 0 spent, below 0 overspent), BurnRate (bad share divided by the allowed bad share: 1 spends the budget exactly by the end of the window), Source (where the figure came from) and Message.

P95Latency and ErrorRate come from Prometheus when prometheus.url is configured (the increase of the API's request-duration histogram over the window, with histogram_quantile's interpolation; the latency budget is the share of requests slower than kpi.p95Ms), else from the nginx access log through the log reader (exact nearest-rank p95, as Measure-OpsAccessLog; the access log gives no latency budget). QueueSla reads BullMQ's completed and failed sets in Redis for queues.names: a job counts when it finished within the window, and is on time when it completed within kpi.queueSlaSeconds of its creation (finishedOn - timestamp); failed jobs count as late.

Uptime is the lowest time-weighted availability of the Service checks in the health history (recorded by Get-OpsHealth -Record or DailyHealthCheck.ps1), computed as Measure-OpsAvailability does.

When a source is missing (no section in the config, a server that does not answer, no data in the window) the row says Unknown and Source names what is missing; it is never an error. CostPerUser is the last complete calendar month's cost (cost_tracking) over its distinct active users (user_activity), as Get-OpsCostReport computes them; it needs the postgres: section.
'@
    Parameters  = @{
        Since   = @{ Description = 'The start of the window: a time, or how long ago (30d, 7d, 24h).'; Default = '30d' }
        Timeout = @{ Description = 'Bound on each source (Prometheus, Redis).'; Default = '15s' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Performance.KpiResult' = 'One row per KPI: Uptime, P95Latency, QueueSla, ErrorRate, CostPerUser.' }
    Examples    = @(
        @{ Title = 'The month''s KPIs'; Code = 'Get-OpsKpi'; Remarks = 'Each KPI against its target, the error budget left and the burn rate.' }
        @{ Title = 'The KPIs that miss their target this week'; Code = 'Get-OpsKpi -Since 7d | Where-Object Status -eq Missed | Select-Object Name, Value, Target, BurnRate, Source'; Remarks = 'Nothing when every known KPI is met.' }
    )
    Links       = @('Get-OpsApiMetric', 'Measure-OpsAccessLog', 'Export-OpsAlertRule', 'about_OpsRunbook')
}
