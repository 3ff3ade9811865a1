<#
.SYNOPSIS
    The runbook's Incident Commander Checklist, first minutes: assess, record, report.
.DESCRIPTION
    Runs every health check, opens an incident (or continues the open one) with the health table attached as
    evidence, ticks Assess.Severity and Assess.AffectedSystems with the affected systems named in a note together
    with the runbook's next step for each, and writes the incident report (Markdown) to -ReportDirectory.
        pwsh -File .../runbooks/IncidentResponse.ps1 -Severity SEV2 -Title 'API down'
    Exit codes (Nagios convention, from the health results): 0 all healthy, 1 a warning, 2 a critical check, 3 the
    config is broken or a check could not tell.
#>
[CmdletBinding()]
param(
    [string] $Environment,
    [string] $ConfigPath,
    # Default: the failing checks, named.
    [string] $Title,
    [ValidateSet('SEV1', 'SEV2', 'SEV3', 'SEV4')] [string] $Severity = 'SEV2',
    [string] $ReportDirectory = './incidents'
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'INCIDENT RESPONSE'
try {
    $health = @(Get-OpsHealth @common)
    $bad = @($health | Where-Object Status -ne 'Healthy')
    $incident = @(Get-OpsIncident @common) | Select-Object -First 1
    if (-not $incident) {
        if (-not $Title) { $Title = if ($bad) { 'Unhealthy: ' + (($bad | ForEach-Object { "$($_.Check)/$($_.Target)" }) -join ', ') } else { 'Incident (all checks healthy when opened)' } }
        $incident = New-OpsIncident @common -Title $Title -Severity $Severity -Confirm:$false
        Write-Output ("{0} opened incident #{1} {2}: {3}" -f (& $stamp), $incident.Id, $incident.Severity, $incident.Title)
    }
    else { Write-Output ("{0} continuing open incident #{1} {2}: {3}" -f (& $stamp), $incident.Id, $incident.Severity, $incident.Title) }
    $health | Add-OpsIncidentNote @common -Id $incident.Id -Text "Health at $(& $stamp): $($bad.Count) of $($health.Count) checks not healthy" -Confirm:$false
    $registry = [OpsRunbook.Core.Health.HealthCheckRegistry]::Default
    $affected = foreach ($r in $bad) {
        $next = $registry.Find($r.Check).NextStep -replace '\{target\}', $r.Target
        "$($r.Check)/$($r.Target) $($r.Status): $($r.Message) Next: $next"
    }
    if ($affected) { Add-OpsIncidentNote @common -Id $incident.Id -Text ("Affected systems:`n" + ($affected -join "`n")) -Confirm:$false }
    $incident = Set-OpsIncident @common -Id $incident.Id -Step Assess.Severity, Assess.AffectedSystems -Confirm:$false
    foreach ($a in $affected) { Write-Output ("{0} affected {1}" -f (& $stamp), $a) }
    $null = New-Item -ItemType Directory -Force -Path $ReportDirectory
    $report = Export-OpsIncidentReport @common -Id $incident.Id -Path (Join-Path $ReportDirectory "incident-$($incident.Id).md") -Confirm:$false
    Write-Output ("{0} checklist {1}/15 done; report {2}" -f (& $stamp), $incident.StepsDone, $report.FullName)
    Exit-RunbookWithHealth $health
}
catch { Exit-RunbookFailure 'INCIDENT RESPONSE FAILED' $_ }
