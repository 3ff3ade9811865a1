@{
    Synopsis    = 'Shows the open maintenance window (from any session or host): who opened it, when, why and the time left.'
    Description = @'
Get-OpsMaintenance reads the maintenance windows of the environment from the state store, so a window opened in another session or on another host (with a shared store) shows here: Id, Reason, OpenedBy (user@host), OpenedAt, Duration, EndsAt, Remaining (zero once past), Overdue, the Workers it stopped and the BackupLocation it took. With no window open it returns nothing. -All adds closed windows, newest first.

Get-OpsHealth's Maintenance family reports an open window as Healthy while within its Duration and as a Warning once past it.
'@
    Parameters  = @{
        All  = 'Closed windows too, newest first.'
        Last = @{ Description = 'At most this many windows.'; Default = '20' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.MaintenanceWindow' = 'One per window.' }
    Examples    = @(
        @{ Title = 'Is a window open?'; Code = 'Get-OpsMaintenance'; Remarks = 'Nothing when none is open.' }
        @{ Title = 'The last five windows'; Code = 'Get-OpsMaintenance -All -Last 5 | Format-Table Id, Reason, OpenedBy, OpenedAt, ClosedAt, ClosedBy'; Remarks = 'Open and closed, newest first.' }
    )
    Links       = @('Start-OpsMaintenance', 'Stop-OpsMaintenance', 'Get-OpsHealth')
}
