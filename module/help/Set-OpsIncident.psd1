@{
    Synopsis    = 'Moves an incident forward (Identified, Monitoring, Resolved), ticks checklist steps and records root cause, resolution and action items.'
    Description = @'
Set-OpsIncident changes an incident in one transaction. -Status only moves forward, in the order Investigating, Identified, Monitoring, Resolved (skipping is allowed, going back is refused with IncidentStatusOrder: a Resolved incident is never Investigating again; open a new one). Each status change is time-stamped and goes into the timeline.

-Step ticks steps of the runbook's Incident Commander Checklist, five phases of three steps each, named Phase.Step; each tick is time-stamped with who ticked it (ticking twice keeps the first time). -RootCause, -Resolution and -Summary fill the report's sections; -ActionItem adds action items.
'@
    Parameters  = @{
        Notify        = 'Post each status change to the notification channels: "Incident #N (SEV2) title: Investigating -> Identified." (with the root cause once Identified, the duration and resolution once Resolved). Nothing is posted when the status does not change. A channel that fails is a non-terminating NotificationFailed error; the change stands.'
        NotifyChannel = 'With or without -Notify: the channels to post to, by name under notifications.channels (default notifications.defaultChannels, else every channel). Giving it implies -Notify. A name that is not configured is NotificationChannelNotFound, before anything changes.'
        Id         = @{ Description = 'The incident (accepts Id from the pipeline).'; Default = 'The most recent open incident' }
        Status     = 'The new status: Identified, Monitoring or Resolved (Investigating is where an incident starts). Only forward.'
        Step       = 'Checklist steps to tick.'
        Summary    = "The report's Summary."
        RootCause  = "The report's Root cause."
        Resolution = "The report's Resolution."
        ActionItem = 'Action items to add to the report.'
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.Incident' = 'The incident after the change.' }
    Examples    = @(
        @{ Title = 'Assess, then identify'; Code = "New-OpsIncident -Title 'Drill' -Severity SEV3 -Confirm:`$false | Out-Null; Set-OpsIncident -Step Assess.Severity, Assess.AffectedSystems -Status Identified -RootCause 'Disk full on the API host' -Confirm:`$false | Format-List Status, StepsDone, RootCause"; Remarks = 'Two steps ticked with the time, status Identified.' }
        @{ Title = 'Resolve'; Code = "Set-OpsIncident -Status Resolved -Step Resolve.VerifyResolution -Resolution 'Cleared old logs' -ActionItem 'Alert at 80 % disk' -Confirm:`$false | Format-List Status, Duration"; Remarks = 'Afterwards Set-OpsIncident -Status Investigating is refused (IncidentStatusOrder).' }
        @{ Title = 'Tell the team about a status change'; Code = "Set-OpsIncident -Status Monitoring -Notify -NotifyChannel oncall -WhatIf"; Remarks = 'Names the oncall channel; without -WhatIf it gets "Incident #N (SEV2) title: Identified -> Monitoring."' }
    )
    Links       = @('New-OpsIncident', 'Add-OpsIncidentNote', 'Export-OpsIncidentReport')
}
