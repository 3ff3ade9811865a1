@{
    Synopsis    = "Writes an incident's postmortem in the conventional shape, as Markdown or HTML."
    Description = @'
Export-OpsIncidentReport writes the postmortem of an incident: a header (severity, status, environment, when it was opened, identified, monitored and resolved), then Summary, Impact (the duration from opened to resolved, and from the health history in the state store where it has one: the non-healthy check results recorded during the incident and which checks they were), Timeline (every note, status change and ticked step with its time and author, and how many evidence rows a note carries), Root cause, Resolution, Action items, and the Incident Commander Checklist with the time each step was ticked.

-Format Html gives a standalone page with every text HTML-encoded. Without -Path the text is returned; with -Path it is written there and the file returned.
'@
    Parameters  = @{
        Id     = @{ Description = 'The incident.'; Default = 'The most recent open incident' }
        Format = @{ Description = 'Markdown or Html.'; Default = 'Markdown' }
        Path   = @{ Description = 'Write the report to this file.'; Default = 'Return the text' }
    }
    Outputs     = @{ 'System.String' = 'The report, without -Path.'; 'System.IO.FileInfo' = 'The file, with -Path.' }
    Examples    = @(
        @{ Title = 'The postmortem of the newest incident'; Code = "New-OpsIncident -Title 'Drill' -Severity SEV4 -Confirm:`$false | Out-Null; Export-OpsIncidentReport"; Remarks = 'Markdown on the screen.' }
        @{ Title = 'As an HTML file'; Code = "Export-OpsIncidentReport -Id (Get-OpsIncident -All | Select-Object -First 1).Id -Format Html -Path ./incident.html -Confirm:`$false"; Remarks = 'A standalone page.' }
    )
    Links       = @('New-OpsIncident', 'Set-OpsIncident', 'Get-OpsIncident')
}
