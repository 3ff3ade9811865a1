@{
    Synopsis    = "Opens an incident (the runbook's Incident Commander Checklist) with status Investigating, in the state store."
    Description = @'
New-OpsIncident starts the runbook's Incident Commander Checklist: it records an incident with a title, a severity (SEV1 outage .. SEV4 minor), status Investigating, when and by whom (user@host), and a first timeline entry. It lives in the state store, so every session and host sharing the store sees it (Get-OpsIncident).

Then: Add-OpsIncidentNote for the timeline and evidence, Set-OpsIncident to move it forward (Identified, Monitoring, Resolved) and tick the fifteen checklist steps, Export-OpsIncidentReport for the postmortem.
'@
    Parameters  = @{
        Notify        = 'Post the new incident to the notification channels (Send-OpsNotification''s core): "Incident #N opened (SEV2): title. Status: Investigating." with the incident as a one-row table; SEV1/SEV2 are Critical, SEV3 Warning, SEV4 Info. A channel that fails is a non-terminating NotificationFailed error; the incident stays open.'
        NotifyChannel = 'With or without -Notify: the channels to post to, by name under notifications.channels (default notifications.defaultChannels, else every channel). Giving it implies -Notify. A name that is not configured is NotificationChannelNotFound, before anything changes.'
        Title    = 'What is wrong, in one line.'
        Severity = 'SEV1 (outage of the service), SEV2 (a major feature down), SEV3 (degraded), SEV4 (minor).'
        Summary  = @{ Description = "The report's Summary."; Default = 'The title' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.Incident' = 'Id, Title, Severity, Status, OpenedAt, OpenedBy, Duration, Checklist, Timeline...' }
    Examples    = @(
        @{ Title = 'Open an incident'; Code = "New-OpsIncident -Title 'API returns 502' -Severity SEV2 -Confirm:`$false | Format-List Id, Title, Severity, Status, OpenedBy"; Remarks = 'Status Investigating; the checklist is empty.' }
        @{ Title = 'Open an incident and tell the on-call channel'; Code = "New-OpsIncident -Title 'API returns 502' -Severity SEV2 -Notify -WhatIf"; Remarks = 'Names the channels it would post to (notifications.defaultChannels); -WhatIf opens and sends nothing. Without -WhatIf the channels get "Incident #N opened (SEV2): API returns 502. Status: Investigating."' }
    )
    Links       = @('Add-OpsIncidentNote', 'Set-OpsIncident', 'Get-OpsIncident', 'Export-OpsIncidentReport')
}
