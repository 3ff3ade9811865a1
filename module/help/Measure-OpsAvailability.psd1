@{
    Synopsis    = 'Availability, downtime and the longest outage of each check target over a window, from the health history.'
    Description = @'
Measure-OpsAvailability reads the stored health results (Get-OpsHealth -Record, DailyHealthCheck.ps1) of the window and returns one AvailabilityResult per check and target: Availability (0 to 1, and AvailabilityPercent), UpMinutes, DowntimeMinutes, UnknownMinutes, the LongestOutage with its LongestOutageStart and LongestOutageEnd, Samples and the Interval it assumed. The runbook's success metric is 99.9 % over a month, about 43 minutes of downtime.

The arithmetic is time-weighted:
- Each sample stands for the time until the next sample. Healthy and Warning time is up; Critical time is downtime; Unknown time is neither.
- The interval is the median gap between the series' samples (5 minutes for the runbook's cron line), or -Interval.
- A gap in the samples longer than 3 intervals counts as Unknown, not as up: the sample before it stands for one interval and the rest of the gap is Unknown. Unknown time lowers availability.
- The time counted runs from the first sample in the window to the end of the window (the last sample stands for at most one interval when the window ends more than 3 intervals after it).
- Availability = up time / all time counted (up + downtime + unknown).
- An outage is a run of Critical time without a gap; the longest one is reported with its start and end.
'@
    Parameters  = @{
        Since       = @{ Description = 'The start of the window: a time, or how long ago (30d).'; Default = '30 days ago' }
        Until       = @{ Description = 'The end of the window: a time, or how long ago.'; Default = 'now' }
        Check       = 'Only these check families; wildcards allowed.'
        Target      = 'Only these targets; wildcards allowed.'
        Interval    = @{ Description = 'The interval between samples (5m for the runbook''s cron line). Gaps longer than 3 intervals are Unknown.'; Default = 'The median gap of each series' }
        Environment = @{ Description = 'The environment whose results are measured.'; Default = "The file's defaultEnvironment" }
    }
    Outputs     = @{
        'OpsRunbook.Core.Health.AvailabilityResult' = 'One per check and target with samples in the window.'
    }
    Examples    = @(
        @{
            Title   = 'The monthly uptime report'
            Code    = 'Measure-OpsAvailability -Since 30d'
            Remarks = 'Availability, downtime and the longest outage of every target over the last 30 days.'
        }
        @{
            Title   = 'Which services missed 99.9 %?'
            Code    = 'Measure-OpsAvailability -Check Service -Since 30d | Where-Object Availability -lt 0.999 | Format-List Target, AvailabilityPercent, DowntimeMinutes, LongestOutage, LongestOutageStart, LongestOutageEnd'
            Remarks = 'The services below the runbook''s success metric, with their worst outage.'
        }
    )
    Links       = @('Get-OpsHealthHistory', 'Get-OpsHealth', 'Export-OpsPrometheusMetric')
}
