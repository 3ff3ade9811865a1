@{
    Synopsis    = 'Writes the schedule as a cron.d file or as systemd .service and .timer units that run each runbook with pwsh.'
    Description = @'
Export-OpsSchedule writes the jobs of Get-OpsSchedule so a server runs them:

- -Format Crontab writes one file, opsrunbook, in cron.d format (install it as /etc/cron.d/opsrunbook). Each line sources the root-only environment file (secrets and OPSRUNBOOK_CONFIG), then runs pwsh -NoProfile -NonInteractive -File <runbook> -Environment <environment> <arguments>. A % in a command is escaped, as cron requires.
- -Format SystemdTimer writes, per job, opsrunbook-<job>.service (Type=oneshot, EnvironmentFile=, ExecStart= the same command, SuccessExitStatus=1 so a Warning is not a failed unit) and opsrunbook-<job>.timer (OnCalendar= converted from the cron fields, Persistent=true). Install them in /etc/systemd/system, then systemctl daemon-reload and systemctl enable --now opsrunbook-<job>.timer.

The environment passed to every runbook is the one the cmdlet runs with (-Environment, or the file's default). Every runbook named must exist in -RunbookDirectory first (RunbookNotFound otherwise). Files are written atomically (a temporary file, then a rename); -WhatIf writes nothing and lists the files with Written = False.
'@
    Parameters  = @{
        Format          = 'Crontab (one cron.d file) or SystemdTimer (a .service and a .timer per job).'
        Path            = @{ Description = 'The folder to write into; it is created when missing. On a server: /etc/cron.d or /etc/systemd/system.' }
        Name            = @{ Description = 'Only these jobs (wildcards allowed).'; Default = 'Every job' }
        PwshPath        = @{ Description = 'The pwsh the jobs run.'; Default = '/usr/local/bin/pwsh' }
        RunbookDirectory = @{ Description = 'Where the runbook scripts are.'; Default = 'The runbooks folder of the loaded module' }
        EnvironmentFile = @{ Description = "The root-only file of secrets and OPSRUNBOOK_CONFIG: systemd's EnvironmentFile=, sourced by each cron line."; Default = '/etc/opsrunbook/secrets.env' }
        User            = @{ Description = 'Crontab: the user the jobs run as (the sixth field of a cron.d line).'; Default = 'root' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.ScheduleFile' = 'One per file: Job, Format, Kind (crontab, service, timer), Path, When, Written.' }
    Examples    = @(
        @{ Title = 'Preview the systemd units'; Code = 'Export-OpsSchedule -Format SystemdTimer -Path ./units -WhatIf'; Remarks = 'Lists the 14 files it would write and writes none.' }
        @{ Title = 'Write the cron.d file and look at it'; Code = 'Export-OpsSchedule -Format Crontab -Path ./cron | Out-Null; Get-Content ./cron/opsrunbook'; Remarks = 'One line per job, each sourcing /etc/opsrunbook/secrets.env.' }
        @{ Title = 'Install the timers on a server'; Code = 'Export-OpsSchedule -Format SystemdTimer -Path /etc/systemd/system; systemctl daemon-reload; systemctl enable --now opsrunbook-health-check.timer'; Remarks = 'Writes 14 units, then starts the health check timer.'; Run = $false; Why = 'Needs root on a machine with systemd running.' }
    )
    Links       = @('Get-OpsSchedule', 'about_OpsRunbook')
}
