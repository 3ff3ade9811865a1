@{
    Synopsis    = "Reads the newest lines of a service's log: journald, the container's logs or a log file, as Time, Source, Level and Message."
    Description = @'
Get-OpsServiceLog is the log step of the runbook's "Complete Service Outage" (journalctl, docker logs, the syslog tail). For the service named under services: in the config it reads:

- logFile: when the service has one, the last -Tail lines of that file, read backwards from its end (a large log is not read whole). The time is read from the start of the line by the log reader's rules (ISO 8601, yyyy-MM-dd HH:mm:ss, syslog, nginx).
- systemd: journalctl -u <unit> -o json -n <Tail> [--since @<epoch>]. Time is __REALTIME_TIMESTAMP, Level comes from PRIORITY, Stream is the SYSLOG_IDENTIFIER; a MESSAGE journald stored as bytes is decoded as UTF-8.
- docker: the Engine API's GET /containers/<container>/logs?stdout=1&stderr=1&timestamps=1&tail=<Tail>. Without a TTY the answer is a multiplexed stream (frames with an 8-byte header naming stdout or stderr) and is split back into lines; Stream says which.

Level is one of Debug, Info, Notice, Warning, Error, Critical: journald's priority, or the level word near the start of the line (ERROR, WARN, FATAL...), else Info. A service without a log to read is ServiceKindNotSupported; a source that cannot be read is ServiceLogUnavailable. Both are per service and non-terminating.
'@
    Parameters  = @{
        Name  = 'The services, as named under services: in the config. Accepts pipeline input by the Name or Target property.'
        Tail  = @{ Description = 'How many of the newest lines to read per service.'; Default = '100' }
        Since = @{ Description = 'Only lines written within this span before now: 30m, 2h, 1d (or a TimeSpan).'; Default = 'No limit' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.ServiceLogEntry' = 'One per line: Time, Source, Level, Message, Stream.' }
    Examples    = @(
        @{ Title = 'The last lines of a service'; Code = 'Get-OpsServiceLog -Name nginx -Tail 20'; Remarks = "The sandbox's nginx reads its error log (logFile)." }
        @{ Title = 'Only errors of the last hour'; Code = "Get-OpsServiceLog -Name nginx -Since 1h -Tail 1000 | Where-Object Level -ge 'Error'"; Remarks = 'Level is an enum, so -ge Error keeps Error and Critical.' }
        @{ Title = 'Logs of every service that is down'; Code = "Get-OpsHealth -Check Service | Where-Object Status -eq 'Critical' | Get-OpsServiceLog -Tail 50 -ErrorAction Continue"; Remarks = 'Services with no log to read give a ServiceKindNotSupported error each, and the rest go on.' }
    )
    Links       = @('Restart-OpsService', 'Get-OpsHealth', 'about_OpsRunbook')
}
