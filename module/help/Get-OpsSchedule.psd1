@{
    Synopsis    = "Lists the runbook's cron jobs as objects: Name, Cron, Command (the runbook script) and NextRun."
    Description = @'
Get-OpsSchedule is the runbook's "Cron Schedule" section as data. Seven jobs come by default, each run by a runbook script that travels with the module (runbooks/ in the module folder, examples/runbooks/ in the repository):

- DatabaseBackup, 0 */6 * * *: BackupEvery6Hours.ps1
- LogRotation, 0 2 * * *: LogRotation.ps1
- UsageReport, 0 6 * * *: UsageReport.ps1
- CostTracking, 0 * * * *: CostTracking.ps1
- HealthCheck, */5 * * * *: DailyHealthCheck.ps1
- CertificateCheck, 0 0 * * 0: CertificateCheck.ps1
- DbMaintenance, 0 3 15 * *: MonthlyDbMaintenance.ps1

schedule: in the config changes them: an entry with a default job's name overrides the keys it gives (cron, runbook, arguments, description), enabled: false drops the job, and a new name adds a job (cron and runbook required). For example:

    schedule:
      - { name: HealthCheck, cron: '*/10 * * * *' }
      - { name: CostTracking, enabled: false }

Each job also carries OnCalendar, the same times as a systemd calendar expression, and NextRun, computed by Cronos in the machine's local time zone (as cron and systemd run). A cron line whose day-of-month and day-of-week are both restricted is refused (ScheduleInvalidCron): cron runs it on either day, systemd on days matching both.
'@
    Parameters  = @{
        Name = @{ Description = 'Only these jobs. Wildcards are allowed; a name without wildcards that matches no job is a ScheduleJobNotFound error.'; Default = 'Every job' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.ScheduledJob' = 'One per job: Name, Cron, Command, Arguments, Description, RunbookPath, OnCalendar, NextRun, Source (default or config).' }
    Examples    = @(
        @{ Title = 'The schedule and when each job runs next'; Code = 'Get-OpsSchedule'; Remarks = 'Seven rows, unless schedule: in the config changes them.' }
        @{ Title = 'What runs in the next hour'; Code = 'Get-OpsSchedule | Where-Object NextRun -lt (Get-Date).AddHours(1) | Sort-Object NextRun'; Remarks = 'The health check every 5 minutes, cost tracking on the hour, and whatever else is due.' }
        @{ Title = 'The systemd calendar of the backup job'; Code = '(Get-OpsSchedule -Name DatabaseBackup).OnCalendar'; Remarks = '*-*-* 00/6:00:00' }
    )
    Links       = @('Export-OpsSchedule', 'about_OpsRunbook')
}
