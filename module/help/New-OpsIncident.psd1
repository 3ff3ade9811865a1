@{
    Synopsis    = "Opens an incident (the runbook's Incident Commander Checklist) with status Investigating, in the state store."
    Description = @'
New-OpsIncident starts the runbook's Incident Commander Checklist: it records an incident with a title, a severity (SEV1 outage .. SEV4 minor), status Investigating, when and by whom (user@host), and a first timeline entry. It lives in the state store, so every session and host sharing the store sees it (Get-OpsIncident).

Then: Add-OpsIncidentNote for the timeline and evidence, Set-OpsIncident to move it forward (Identified, Monitoring, Resolved) and tick the fifteen checklist steps, Export-OpsIncidentReport for the postmortem.
'@
    Parameters  = @{
        Title    = 'What is wrong, in one line.'
        Severity = 'SEV1 (outage of the service), SEV2 (a major feature down), SEV3 (degraded), SEV4 (minor).'
        Summary  = @{ Description = "The report's Summary."; Default = 'The title' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.Incident' = 'Id, Title, Severity, Status, OpenedAt, OpenedBy, Duration, Checklist, Timeline...' }
    Examples    = @(
        @{ Title = 'Open an incident'; Code = "New-OpsIncident -Title 'API returns 502' -Severity SEV2 -Confirm:`$false | Format-List Id, Title, Severity, Status, OpenedBy"; Remarks = 'Status Investigating; the checklist is empty.' }
    )
    Links       = @('Add-OpsIncidentNote', 'Set-OpsIncident', 'Get-OpsIncident', 'Export-OpsIncidentReport')
}
