namespace OpsRunbook.Commands;

/// <summary>
/// The -Since/-Until window of the cmdlets that read a stretch of history (Get-OpsHealthHistory, Measure-OpsAvailability,
/// Get-OpsLogError, Get-OpsAuthFailure, Get-OpsSudoEvent): one rule for all of them. -Until defaults to now; -Since to
/// the cmdlet's own default length before -Until (24 hours, 7 days, 30 days: each cmdlet keeps its own).
/// </summary>
/// <remarks>
/// Each base declares its own -Since/-Until (their positions differ: -Since is positional for the log cmdlets, -Check for
/// the history ones); their help text is the cmdlets' own, in module/help.
/// </remarks>
public readonly record struct TimeWindow(DateTimeOffset Since, DateTimeOffset Until)
{
    /// <summary>The window for the given -Since and -Until: -Until or <paramref name="now"/>; -Since or <paramref name="defaultLength"/> before that.</summary>
    public static TimeWindow Resolve(DateTimeOffset? since, DateTimeOffset? until, TimeSpan defaultLength, DateTimeOffset? now = null)
    {
        var end = until ?? now ?? DateTimeOffset.UtcNow;
        return new TimeWindow(since ?? end - defaultLength, end);
    }
}
