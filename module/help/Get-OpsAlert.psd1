@{
    Synopsis    = 'Evaluates the runbook''s three alerts on this host without Prometheus: CPU over a duration, memory and queue depth.'
    Description = @'
Get-OpsAlert raises the runbook's "Alert Response Procedures" on a host that has no Prometheus. It returns one row per alert with State (Ok, Firing or Unknown), Value, Threshold, Message, Runbook (the response steps) and Next (the OpsRunbook cmdlet to run next).

HighCpuUsage samples /proc/stat about ten times over -Duration (default 5 minutes, the runbook's "for 5 minutes") and fires when every interval was above 80% busy; Value is the average over the whole duration. HighMemoryUsage reads /proc/meminfo and fires when more than 90% is used (1 - MemAvailable / MemTotal). QueueDepthHigh asks the queue health family (queues: in the config) as the sampling starts and again as it ends, and fires when a queue had more than thresholds.queueDepthWarn (1000) jobs waiting both times (the rule's "for 5 minutes": a burst that came and went does not fire); without a queues section or a config file it is Unknown and says what is missing.

Each firing alert names what to do: Get-OpsSystemInfo and Get-OpsActiveOperation (runaway queries) for CPU, (Get-OpsSystemInfo).TopByMemory for memory, Get-OpsHealth -Check Queue for the queues. Export-OpsAlertRule writes the same three alerts as Prometheus rules. Linux only.
'@
    Parameters  = @{
        Duration = @{ Description = 'How long to sample CPU (10s, 1m, 5m).'; Default = '5m' }
        Firing   = @{ Description = 'Only the alerts that fire.' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Alerts.LocalAlert' = 'One row per alert: HighCpuUsage, HighMemoryUsage, QueueDepthHigh.' }
    Examples    = @(
        @{ Title = 'The three alerts, CPU sampled for 10 seconds'; Code = 'Get-OpsAlert -Duration 10s'; Remarks = 'State, value and threshold of each alert, and the cmdlet to run next.' }
        @{ Title = 'What to do about the firing ones'; Code = 'Get-OpsAlert -Duration 5s -Firing | Select-Object Name, Message, Runbook, Next'; Remarks = 'Nothing when no alert fires.' }
    )
    Links       = @('Export-OpsAlertRule', 'Get-OpsSystemInfo', 'Get-OpsActiveOperation', 'Get-OpsHealth', 'about_OpsRunbook')
}
