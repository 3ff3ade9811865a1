@{
    Synopsis    = 'Closes the open maintenance window: runs the smoke tests, starts the workers, removes the flag and closes the window.'
    Description = @'
Stop-OpsMaintenance is the second half of the runbook's "Planned Maintenance Template", in order:

1. SmokeTests: the requests of smokeTests: in the config (Test-OpsSmoke), e.g. GET /api/health and POST /api/auth/test. If one fails, it stops here: the site stays in maintenance mode with the workers stopped, and the result and a MaintenanceStepFailed error say so. -Force resumes anyway.
2. StartWorker: starts the workers this window stopped (not the ones that were already stopped before it).
3. RemoveFlag: removes maintenance.flagPath.
4. Close: marks the window closed in the state store, with who closed it.

A failure in steps 2-4 does not stop the others: it resumes as much as it can and reports what failed. It works from any session or host: the window comes from the state store. With no window open it is a MaintenanceNotOpen error, unless -Force, which starts every maintenance.workers service and removes the flag.
'@
    Parameters  = @{
        Notify        = 'Announce the end of the window on the notification channels: "Maintenance on production is over: reason. Smoke tests passed; service resumed." (Info), or that it could not be closed and why (Critical). A channel that fails is a non-terminating NotificationFailed error.'
        NotifyChannel = 'With or without -Notify: the channels to post to, by name under notifications.channels (default notifications.defaultChannels, else every channel). Giving it implies -Notify. A name that is not configured is NotificationChannelNotFound, before anything changes.'
        Force = 'Resume even when a smoke test fails, and even when no window is recorded (then every maintenance.workers service is started and the flag removed).'
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.MaintenanceResult' = 'Action Stop, Succeeded, FailedStep, Steps, Window (now closed), Message.' }
    Examples    = @(
        @{ Title = 'See what closing would do'; Code = 'Stop-OpsMaintenance -WhatIf'; Remarks = 'Changes nothing.' }
        @{ Title = 'Close and announce it'; Code = 'Stop-OpsMaintenance -Notify -WhatIf'; Remarks = 'Also names the channels that would hear "Maintenance on production is over: ...".' }
        @{ Title = 'Resume after a crash, whatever is recorded'; Code = 'Stop-OpsMaintenance -Force -Confirm:$false | Select-Object -ExpandProperty Steps'; Remarks = 'Starts the workers and removes the flag even with no open window.' }
    )
    Links       = @('Start-OpsMaintenance', 'Invoke-OpsMaintenance', 'Get-OpsMaintenance', 'Test-OpsSmoke')
}
