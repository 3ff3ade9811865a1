@{
    Synopsis    = 'Opens a maintenance window: writes the maintenance flag, stops the workers, takes a backup and records the window; undoes everything if a step fails.'
    Description = @'
Start-OpsMaintenance is the first half of the runbook's "Planned Maintenance Template", in order:

1. Flag: writes maintenance.flagPath (the file the site shows its maintenance page for). A flag already there is left as it is.
2. StopWorker: stops each service of maintenance.workers (names of services: entries of kind systemd or docker) that is running; one already stopped is left stopped.
3. Backup: Backup-OpsDatabase (unless maintenance.backup is false).
4. Record: the window goes into the state store with who opened it (user@host), when, why and -Duration, so Get-OpsMaintenance shows it from any session or host.

The guarantee: if any step fails, every step already done is undone in reverse order (workers started again, the flag removed; a backup taken stays), and the result says what failed and what was undone. The result is written, then a non-terminating MaintenanceStepFailed error. A window already open for the environment is refused before anything changes (MaintenanceAlreadyOpen, naming who opened it); the check is repeated inside the write lock when recording, so two people starting at once cannot both open one.

To make a change safely, prefer Invoke-OpsMaintenance, which closes the window whatever happens to the change.
'@
    Parameters  = @{
        Notify        = 'Announce the window on the notification channels once it is open: "Maintenance on production has started: reason. Planned until HH:mm UTC (1h)." (Warning). Nothing is sent when the window did not open. A channel that fails is a non-terminating NotificationFailed error.'
        NotifyChannel = 'With or without -Notify: the channels to post to, by name under notifications.channels (default notifications.defaultChannels, else every channel). Giving it implies -Notify. A name that is not configured is NotificationChannelNotFound, before anything changes.'
        Reason   = 'Why the window is open: shown by Get-OpsMaintenance and Get-OpsHealth, and written into the flag file.'
        Duration = @{ Description = 'The planned length (1h, 30m, 2h30m). Get-OpsHealth reports a window past it as a Warning; nothing is closed automatically.'; Default = '1h' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.MaintenanceResult' = 'Action, Succeeded, FailedStep, Steps (Order, Name, Target, Status, Message, Duration), Undone, Window, Message.' }
    Examples    = @(
        @{ Title = 'See what opening a window would do'; Code = "Start-OpsMaintenance -Reason 'Upgrade PostgreSQL 15.18 to 15.19' -Duration 45m -WhatIf"; Remarks = 'Names the flag, the workers and the backup; changes nothing.' }
        @{ Title = 'Announce the window'; Code = "Start-OpsMaintenance -Reason 'Database upgrade' -Duration 1h -Notify -WhatIf"; Remarks = 'Also names the channels that would hear "Maintenance on production has started: Database upgrade. Planned until HH:mm UTC (1h)."' }
        @{ Title = 'Open, change, close by hand'; Code = "Start-OpsMaintenance -Reason 'Reindex' -Confirm:`$false | Select-Object -ExpandProperty Steps | Format-Table; Stop-OpsMaintenance -Confirm:`$false | Out-Null"; Remarks = 'Each step with its status; the second line closes the window again.' }
    )
    Links       = @('Stop-OpsMaintenance', 'Invoke-OpsMaintenance', 'Get-OpsMaintenance', 'Test-OpsSmoke')
}
