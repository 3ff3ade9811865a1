@{
    Synopsis    = 'Returns stored health results from the health history of the state store.'
    Description = @'
Get-OpsHealthHistory reads the results stored by Get-OpsHealth -Record, Save-OpsHealth and DailyHealthCheck.ps1 for the environment, oldest first, as HealthCheckResult objects (Environment, Check, Target, Status, Value, Unit, Duration, Timestamp, Message), so they format, filter and export like live results.

Without -Since it returns the last 24 hours. -Check and -Target take wildcards; -Status keeps only some statuses.
'@
    Parameters  = @{
        Check       = 'Only these check families (Service, Disk, Database, Redis, Queue, Errors, Backup...). Wildcards allowed.'
        Target      = 'Only these targets (a service name, a disk path, a queue...). Wildcards allowed.'
        Since       = @{ Description = 'Only results at or after this time, or this long ago (24h, 7d).'; Default = '24 hours ago' }
        Until       = @{ Description = 'Only results before this time, or before this long ago.'; Default = 'now' }
        Status      = 'Only results with these statuses.'
        Environment = @{ Description = 'The environment whose results are read (and whose state store is used).'; Default = "The file's defaultEnvironment" }
    }
    Outputs     = @{
        'OpsRunbook.Core.Health.HealthCheckResult' = 'One per stored result, oldest first.'
    }
    Examples    = @(
        @{
            Title   = 'What went wrong this week?'
            Code    = 'Get-OpsHealthHistory -Since 7d -Status Critical, Warning | Format-Table Timestamp, Check, Target, Status, Message'
            Remarks = 'Every stored result that was not Healthy in the last 7 days.'
        }
        @{
            Title   = 'The history of one target'
            Code    = 'Get-OpsHealthHistory -Check Disk -Target / -Since 1d | Select-Object Timestamp, Value, Status'
            Remarks = 'The used % of the root file system over the last day.'
        }
    )
    Links       = @('Get-OpsHealth', 'Measure-OpsAvailability', 'Get-OpsState')
}
