@{
    Synopsis    = 'Writes a report people would rather look at than read: one self-contained HTML page with inline SVG charts, or the same tables in Markdown.'
    Description = @'
New-OpsReport gathers the figures of the runbook's reviews from the same code the cmdlets use and writes them to -Path.

WeeklyPerformance (default window 7 days): p95 per endpoint as bars against the kpi.p95Ms target (from Prometheus over the window when prometheus.url is configured, else the API's /metrics), requests per hour as a line (the access log through the log reader), the slowest queries (pg_stat_statements) and the largest tables as tables, and Redis's hit ratio. Kpi (default 30 days): every KPI of Get-OpsKpi against its target, with the error budget left as bars. MonthlyCost (the last complete month before -Until): cost per service and per tier as bars with their tables, and cost per active user (overall and per tier) against kpi.costPerUser as a dashed target line, all from Get-OpsCostReport's queries on cost_tracking; AWS's own bill is Get-OpsAwsCost.

Html is one file with no script, no stylesheet or font from outside and a Content-Security-Policy that forbids any fetch; the charts are inline SVG drawn by a small writer (one rect.bar per bar, one circle.point per point). Markdown carries the same tables, for a ticket or a wiki. A source that is missing or fails becomes a note on the page ("Unknown: ..."), never an error. The file is written atomically; an existing file is replaced only with -Force.
'@
    Parameters  = @{
        Kind    = @{ Description = 'Which report: WeeklyPerformance, MonthlyCost or Kpi.' }
        Path    = @{ Description = 'The file to write (report.html, report.md).' }
        Format  = @{ Description = 'Html or Markdown. Default: Markdown for a .md path, Html otherwise.' }
        Since   = @{ Description = 'The start of the window: a time, or how long ago (7d, 30d).'; Default = '7d for WeeklyPerformance, 30d otherwise' }
        Until   = @{ Description = 'The end of the window: a time, or how long ago. MonthlyCost covers the last complete month before it.'; Default = 'now' }
        Timeout = @{ Description = 'Bound on each source (Prometheus, Redis, the API).'; Default = '15s' }
        Force   = @{ Description = 'Replace the file when it exists.' }
    }
    Outputs     = @{ 'System.IO.FileInfo' = 'The report written.' }
    Examples    = @(
        @{ Title = 'The Friday performance review as a page'; Code = 'New-OpsReport -Kind WeeklyPerformance -Path ./weekly.html -Force'; Remarks = 'Open weekly.html in a browser: no network access needed.' }
        @{ Title = 'The cost review of November 2026'; Code = "New-OpsReport -Kind MonthlyCost -Path ./cost-2026-11.html -Until '2026-12-01' -Force"; Remarks = 'Cost per service, per tier and per active user against the target.' }
        @{ Title = 'The KPIs as Markdown for a ticket'; Code = 'New-OpsReport -Kind Kpi -Path ./kpi.md -Force | Get-Content'; Remarks = 'The KPI table with targets, budget left and burn rate.' }
    )
    Links       = @('Get-OpsKpi', 'Get-OpsApiMetric', 'Get-OpsRedisInfo', 'about_OpsRunbook')
}
