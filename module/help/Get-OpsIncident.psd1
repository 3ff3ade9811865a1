@{
    Synopsis    = 'Lists open incidents (or one, or all) with their status, checklist and timeline.'
    Description = @'
Get-OpsIncident reads incidents of the environment from the state store: by default the ones not Resolved, newest first; -All adds resolved ones; -Id gets one. Each has Id, Title, Severity, Status, OpenedAt, OpenedBy, IdentifiedAt, MonitoringAt, ResolvedAt, Duration (until now while open), Summary, RootCause, Resolution, ActionItems, Checklist (the fifteen steps with TickedAt and TickedBy), StepsDone and Timeline (notes with their evidence JSON, status changes and ticks).
'@
    Parameters  = @{
        Id  = 'Only this incident.'
        All = 'Resolved incidents too.'
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.Incident' = 'One per incident.' }
    Examples    = @(
        @{ Title = 'What is open?'; Code = 'Get-OpsIncident'; Remarks = 'Open incidents, newest first.' }
        @{ Title = 'The checklist of the newest incident'; Code = '(Get-OpsIncident -All | Select-Object -First 1).Checklist | Format-Table Id, Done, TickedAt'; Remarks = 'Fifteen rows.' }
    )
    Links       = @('New-OpsIncident', 'Set-OpsIncident', 'Export-OpsIncidentReport')
}
