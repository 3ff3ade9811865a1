@{
    Synopsis    = 'Requests, status classes, error rate and exact p50/p95/p99 latency from nginx access logs, per endpoint, status, client, minute or hour.'
    Description = @'
Measure-OpsAccessLog reads nginx access logs in one streaming pass and returns one AccessLogSummary per group: Requests, RequestsPerSecond, Status2xx..Status5xx, ErrorRate (5xx / all), P50Ms, P95Ms, P99Ms, MeanMs, MaxMs (from $request_time), UpstreamP95Ms (from $upstream_response_time where it is logged), Bytes, First and Last.

Formats: nginx combined, optionally followed by $request_time and $upstream_response_time (the usual additions); JSON lines (keys named after the nginx variables); or any nginx log_format string set as logs.accessFormat in the config.

Input: -Path takes files and wildcards; a plain path brings its rotations along (access.log, access.log.1, access.log.2.gz, access.log-20261201.gz), read oldest first, plain or gzip. Without -Path it reads logs.access under logs.directory.

Endpoints: the query string is dropped and numeric ids, UUIDs and long hex ids become :id, so GET /api/media/123?x=1 and GET /api/media/456 are one endpoint (GET /api/media/:id). logs.endpointRules adds regex rules (pattern, replacement).

Percentiles are exact nearest-rank values over the milliseconds as logged (a histogram of counts per millisecond), so memory depends on the number of groups, never on the number of lines. A line that does not match the format is counted (UnparsedLines) with a warning; it never stops the scan. Missing, unreadable or corrupt files (a truncated .gz) are non-terminating errors with stable ids (LogFileNotFound, LogFileUnreadable, LogGzipCorrupt); binary data, lines over 64 KiB and a log rotated during the scan are warnings (LogBinaryData, LogLineTooLong, LogFileRotated). It shows progress as bytes read of the total and stops on Ctrl+C.
'@
    Parameters  = @{
        Path    = @{ Description = 'Access log files or wildcards. A plain path brings its rotations (name.1, name.2.gz, name-YYYYMMDD.gz) along.'; Default = 'logs.access under logs.directory of the environment' }
        Since   = @{ Description = 'Only requests at or after this time: a date and time, or a duration meaning that long ago (1h, 24h, 7d).'; Default = 'No lower bound' }
        Until   = @{ Description = 'Only requests at or before this time: a date and time, or a duration meaning that long ago.'; Default = 'No upper bound' }
        GroupBy = @{ Description = 'One summary per Endpoint (method and normalised path), Status (code), Client (remote address), Minute or Hour (UTC); None gives one summary for everything.'; Default = 'None' }
        Top     = @{ Description = 'Only the N groups with the most requests (for Minute and Hour: the last N).'; Default = '20 for Endpoint and Client, all otherwise' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Logs.AccessLogSummary' = 'GroupBy, Key, Requests, RequestsPerSecond, Status2xx, Status3xx, Status4xx, Status5xx, ErrorRate, P50Ms, P95Ms, P99Ms, MeanMs, MaxMs, UpstreamP95Ms, TimedRequests, Bytes, First, Last, UnparsedLines.'
    }
    Examples    = @(
        @{
            Title   = 'Average and p95 response time of the last 24 hours'
            Code    = 'Measure-OpsAccessLog -Since 24h | Select-Object Requests, MeanMs, P95Ms, ErrorRate'
            Remarks = 'Replaces the awk over access.log in "User Metrics Review" step 3, and adds the p95 and the error rate.'
        }
        @{
            Title   = 'The slowest endpoints'
            Code    = 'Measure-OpsAccessLog -GroupBy Endpoint -Top 10 | Sort-Object P95Ms -Descending'
            Remarks = 'API performance for "Friday: Performance Review" step 4.'
        }
        @{
            Title   = 'Requests per minute, in a spreadsheet'
            Code    = 'Measure-OpsAccessLog -GroupBy Minute -Since 1h | Export-Csv ./per-minute.csv'
            Remarks = 'First and Last are ISO 8601 in the CSV; every number stays a number.'
        }
        @{
            Title   = 'Rotated logs of several servers at once'
            Code    = 'Measure-OpsAccessLog -Path /var/log/nginx/access.log, /srv/logs/web2/access.log* -GroupBy Status'
            Remarks = 'Plain and gzip files, oldest first.'
            Run     = $false
            Why     = 'Reads /var/log/nginx and /srv/logs, which the test machine does not have.'
        }
    )
    Notes       = 'GoAccess has no percentiles; this gives exact ones and pipes into the rest of PowerShell.'
    Links       = @('Get-OpsConfig')
}
