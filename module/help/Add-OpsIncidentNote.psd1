@{
    Synopsis    = "Adds a timeline entry to an incident; anything piped in is attached as evidence, its rows stored as JSON."
    Description = @'
Add-OpsIncidentNote writes a note into the incident's timeline with the time and who wrote it. Any pipeline objects become evidence of that note: Get-OpsHealth | Add-OpsIncidentNote stores the health results' rows (ConvertTo-Json, depth 4) with the note, and the report counts them. Secrets are scrubbed from the text and the evidence.

Without -Id it goes to the most recent open incident of the environment (IncidentNotFound when there is none). Without -Text the note says what evidence it carries.
'@
    Parameters  = @{
        Text        = @{ Description = 'The note.'; Default = 'A line naming the evidence' }
        Id          = @{ Description = 'The incident.'; Default = 'The most recent open incident' }
        InputObject = 'Evidence: any objects from the pipeline, stored as JSON rows with the note.'
        PassThru    = 'Return the incident with its timeline.'
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.Incident' = 'With -PassThru.' }
    Examples    = @(
        @{ Title = 'A note'; Code = "New-OpsIncident -Title 'Drill' -Severity SEV4 -Confirm:`$false | Out-Null; Add-OpsIncidentNote 'Restarted the API container' -Confirm:`$false"; Remarks = 'Goes to the open incident.' }
        @{ Title = 'Attach the health table as evidence'; Code = "Get-OpsHealth | Add-OpsIncidentNote 'Health at the start' -Confirm:`$false -PassThru | Select-Object -ExpandProperty Timeline"; Remarks = 'The results are stored as JSON rows with the note.' }
    )
    Links       = @('New-OpsIncident', 'Set-OpsIncident', 'Export-OpsIncidentReport')
}
