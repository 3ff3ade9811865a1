@{
    Synopsis    = 'Sets components of the platform''s Atlassian Statuspage to a status and posts the update to the status-page incident linked to the open incident or maintenance window.'
    Description = @'
Set-OpsStatusPage is "update the status page" of the Incident Commander Checklist and of the Planned Maintenance Template. It speaks the Atlassian Statuspage REST API (v1) with the page and key under statusPage: in the config:

    statusPage: { pageId: abcd1234efgh, apiKey: '${env:STATUSPAGE_API_KEY}', baseUrl: 'https://api.statuspage.io', timeoutSeconds: 15 }

apiKey is a secret (Authorization: OAuth <key>): it never appears in output, errors or logs.

1. The components: -Component names them by name or id (Get-OpsStatusPage lists them); without it every component of the page. Each gets the -Status (PATCH /v1/pages/{page_id}/components/{id}); setting the status a component already has is harmless.
2. The incident: when an OpsRunbook incident is open (New-OpsIncident), or a maintenance window is open (Start-OpsMaintenance; it wins for -Status UnderMaintenance), the first non-Operational update posts a status-page incident for it (POST /incidents, named after the incident's title or "Maintenance: <reason>", with the components and the message) and links the two in the state store. Later updates go to that one status-page incident (PATCH /incidents/{id}, the incident's status Investigating, Identified or Monitoring carried over; a maintenance is in_progress). -Status Operational resolves it (a maintenance: completed) and ends the link. Get-OpsStatusPage -Incident shows the link.
   With nothing open here, -Message with a non-Operational status posts a status-page incident of its own.
3. It returns each component after the change, with PreviousStatus and the IncidentId the update went to.

Every call is bounded by statusPage.timeoutSeconds (retries on 429 and 5xx included, Retry-After honoured). Errors: StatusPageAuthenticationFailed (401/403), StatusPageNotFound (a wrong pageId), StatusPageComponentNotFound, StatusPageFailed, StatusPageTimeout. -WhatIf changes nothing and names the page and components.
'@
    Parameters  = @{
        Status    = 'The status to show: Operational, DegradedPerformance, PartialOutage, MajorOutage or UnderMaintenance.'
        Component = 'Components by name or id (piped Get-OpsStatusPage output binds by Name). Default: every component of the page.'
        Message   = 'The update''s text, posted to the linked status-page incident (default: the components and their new status).'
    }
    Outputs     = @{ 'OpsRunbook.Core.Notify.StatusPageComponent' = 'Each component after the change: Name, Status, PreviousStatus, IncidentId, UpdatedAt, Id, PageId.' }
    Examples    = @(
        @{ Title = 'See what would change'; Code = "Set-OpsStatusPage -Status DegradedPerformance -Component API -Message 'Slow responses; we are investigating' -WhatIf"; Remarks = 'Names the page and the component; changes nothing.' }
        @{ Title = 'During an incident'; Code = "New-OpsIncident -Title 'API errors' -Severity SEV2 -Notify`nSet-OpsStatusPage -Status PartialOutage -Component API, 'Web App' -Message 'Some requests fail; we are investigating'`nSet-OpsStatusPage -Status Operational -Component API, 'Web App' -Message 'Fixed: a bad deploy was rolled back'"; Run = $false; Why = 'Opens an incident and changes the sandbox page; the tests do this.'; Remarks = 'One status-page incident, linked to the OpsRunbook incident, updated and then resolved.' }
        @{ Title = 'Maintenance'; Code = "Start-OpsMaintenance -Reason 'Database upgrade' -Duration 1h -Notify`nSet-OpsStatusPage -Status UnderMaintenance -Component Database"; Run = $false; Why = 'Opens a maintenance window.'; Remarks = 'A status-page maintenance (in_progress) for the window; Operational after Stop-OpsMaintenance completes it.' }
    )
    Links       = @('Get-OpsStatusPage', 'New-OpsIncident', 'Start-OpsMaintenance', 'Send-OpsNotification')
}
