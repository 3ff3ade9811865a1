@{
    Synopsis    = 'Shows the platform''s Atlassian Statuspage: its components and their status, or its unresolved incidents and what they are linked to here.'
    Description = @'
Get-OpsStatusPage reads the page under statusPage: in the config through the Statuspage REST API (v1): GET /v1/pages/{page_id}/components (component groups left out), or with -Incident GET /v1/pages/{page_id}/incidents/unresolved (incidents and maintenances that are not resolved or completed). An incident posted by Set-OpsStatusPage for an open OpsRunbook incident or maintenance window shows it in LinkedTo ("incident #3", "maintenance #2").

The API key (statusPage.apiKey, a secret) is sent as Authorization: OAuth <key>. Every call is bounded by statusPage.timeoutSeconds. Errors: StatusPageAuthenticationFailed, StatusPageNotFound, StatusPageFailed, StatusPageTimeout.
'@
    Parameters  = @{
        Component = 'Only these components, by name or id; wildcards allowed.'
        Incident  = 'List the unresolved status-page incidents and maintenances instead of the components.'
    }
    Outputs     = @{
        'OpsRunbook.Core.Notify.StatusPageComponent' = 'Name, Status (Operational, DegradedPerformance, PartialOutage, MajorOutage, UnderMaintenance), Description, GroupId, UpdatedAt, Id, PageId.'
        'OpsRunbook.Core.Notify.StatusPageIncident'  = 'Id, Name, Status, Impact, Shortlink, CreatedAt, UpdatedAt, ResolvedAt, Components, LinkedTo.'
    }
    Examples    = @(
        @{ Title = 'The components and their status'; Code = 'Get-OpsStatusPage'; Remarks = 'API, Web App, Media Processing and Database on the sandbox page.' }
        @{ Title = 'What is not operational'; Code = "Get-OpsStatusPage | Where-Object Status -ne Operational"; Remarks = 'Nothing when all is well.' }
        @{ Title = 'Open status-page incidents'; Code = 'Get-OpsStatusPage -Incident'; Remarks = 'With LinkedTo naming the OpsRunbook incident or maintenance window.' }
    )
    Links       = @('Set-OpsStatusPage', 'Get-OpsIncident')
}
