@{
    Synopsis    = 'Groups the ERROR and FATAL lines of the API logs by message, with the values masked: count, first and last seen, a sample line and the files.'
    Description = @'
Get-OpsLogError reads the API logs (logs.api under logs.directory: the daily files the time window touches, plain or .gz) through the module's one log reader, the same one the Errors health check uses, and keeps the ERROR and FATAL lines ("<time> <LEVEL> message", the time ISO 8601 or "yyyy-MM-dd HH:mm:ss", optionally in brackets).

Lines are grouped by their message with the values masked: quoted text becomes <q>, UUIDs <uuid>, IP addresses <ip>, hex ids <hex> and numbers <n>. So "job media-processing:40: timeout after 30000ms" and "job media-processing:80: timeout after 30000ms" are one group. Each group has Count, FirstSeen, LastSeen, Level (FATAL when any line was), the most recent line as Sample, and the files it came from. Groups come most frequent first.

-Match keeps only messages that match a regex (case-insensitive): -Match webhook is the "Payment Processing Failure" step 2. The alias errors replaces the runbook's shell alias. Lines without "ERROR" or "FATAL" are skipped before they are decoded, so a scan costs little more than reading the files.
'@
    Parameters  = @{
        Since = @{ Description = 'Only lines at or after this time: a date and time, or a duration meaning that long ago (30m, 24h, 7d).'; Default = '24h' }
        Until = @{ Description = 'Only lines at or before this time.'; Default = 'Now' }
        Path  = @{ Description = 'Log files or wildcards to read instead of the configured API logs; plain paths bring their rotations along.'; Default = 'The logs.api files of the days in the window' }
        Match = @{ Description = 'Only messages matching this regular expression (case-insensitive).'; Default = 'All messages' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Logs.LogErrorGroup' = 'Message (masked), Level, Count, FirstSeen, LastSeen, Sample, Files.'
    }
    Examples    = @(
        @{
            Title   = 'What went wrong in the last 24 hours'
            Code    = 'Get-OpsLogError'
            Remarks = 'One row per kind of error, most frequent first.'
        }
        @{
            Title   = 'Webhook errors of the last 6 hours (payment failure runbook, step 2)'
            Code    = 'Get-OpsLogError -Since 6h -Match webhook | Format-List Count, LastSeen, Message, Sample'
            Remarks = 'Replaces grep webhook on the API logs.'
        }
        @{
            Title   = 'Errors of a week, in a spreadsheet'
            Code    = 'errors -Since 7d | Select-Object Count, Level, FirstSeen, LastSeen, Message | Export-Csv ./errors.csv'
            Remarks = 'errors is the alias the runbook used.'
        }
    )
    Links       = @('Get-OpsHealth', 'Measure-OpsAccessLog')
}
