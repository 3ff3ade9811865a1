using OpsRunbook.Core.State;

namespace OpsRunbook.Core.Health;

/// <summary>Availability of one check target over a window, from its health history.</summary>
public sealed class AvailabilityResult
{
    public string Environment { get; init; } = "";
    public string Check { get; init; } = "";
    public string Target { get; init; } = "";
    public DateTimeOffset Since { get; init; }
    public DateTimeOffset Until { get; init; }
    /// <summary>The window's length, to the minute (the window label of opsrunbook_availability_ratio: 30d).</summary>
    public TimeSpan Window => TimeSpan.FromMinutes(Math.Round((Until - Since).TotalMinutes));
    public double WindowMs => Window.TotalMilliseconds;
    /// <summary>Healthy or Warning time over all time covered (Critical and Unknown included), 0..1; null without samples.</summary>
    public double? Availability { get; init; }
    /// <summary>Availability in percent, for the table.</summary>
    public double? AvailabilityPercent => Availability is { } a ? Math.Round(a * 100, 4) : null;
    public double UpMinutes { get; init; }
    /// <summary>Time in Critical.</summary>
    public double DowntimeMinutes { get; init; }
    /// <summary>Time in Unknown: Unknown samples and gaps longer than 3 intervals.</summary>
    public double UnknownMinutes { get; init; }
    public int Samples { get; init; }
    /// <summary>The interval between samples the arithmetic used (the median gap, unless given).</summary>
    public TimeSpan Interval { get; init; }
    public double IntervalMs => Interval.TotalMilliseconds;
    public TimeSpan LongestOutage { get; init; }
    public double LongestOutageMs => LongestOutage.TotalMilliseconds;
    public DateTimeOffset? LongestOutageStart { get; init; }
    public DateTimeOffset? LongestOutageEnd { get; init; }
    public DateTimeOffset? FirstSample { get; init; }
    public DateTimeOffset? LastSample { get; init; }

    public override string ToString() => $"{Check}/{Target}: {AvailabilityPercent}%";
}

/// <summary>
/// Time-weighted availability. Each sample stands for the time until the next one. When the next sample is more than
/// 3 intervals away (or there is none before the window's end), the sample stands for one interval and the rest of the
/// gap is Unknown. Availability = (Healthy + Warning time) / all time from the first sample to the window's end (or the
/// last sample's cover). An outage is a run of Critical time without a gap; the longest one is reported.
/// </summary>
public static class AvailabilityCalculator
{
    /// <summary>The interval assumed for a series with one sample: the runbook's 5-minute cron.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(5);

    /// <summary>A gap longer than this many intervals is Unknown.</summary>
    public const int GapIntervals = 3;

    public static AvailabilityResult Compute(string environment, string check, string target, IReadOnlyList<(long At, HealthStatus Status)> samples,
        DateTimeOffset since, DateTimeOffset until, TimeSpan? interval = null)
    {
        var n = samples.Count;
        if (n == 0)
            return new AvailabilityResult { Environment = environment, Check = check, Target = target, Since = since, Until = until, Interval = interval ?? DefaultInterval };
        var step = interval is { } iv && iv > TimeSpan.Zero ? (long)iv.TotalMilliseconds : MedianGap(samples);
        var gapLimit = step * GapIntervals;
        var end = until.ToUnixTimeMilliseconds();
        long up = 0, down = 0, unknown = 0;
        long outageStart = -1, outageEnd = -1, bestStart = -1, bestEnd = -1;
        for (var i = 0; i < n; i++)
        {
            var (at, status) = samples[i];
            var next = i + 1 < n ? samples[i + 1].At : Math.Max(end, at);
            var span = next - at;
            var covered = span > gapLimit ? step : span;
            var gap = span - covered;
            switch (status)
            {
                case HealthStatus.Healthy or HealthStatus.Warning: up += covered; break;
                case HealthStatus.Critical: down += covered; break;
                default: unknown += covered; break;
            }
            unknown += gap;
            if (status == HealthStatus.Critical)
            {
                if (outageStart < 0) outageStart = at;
                outageEnd = at + covered;
            }
            if (outageStart >= 0 && (status != HealthStatus.Critical || gap > 0 || i == n - 1))
            {
                if (outageEnd - outageStart > bestEnd - bestStart) { bestStart = outageStart; bestEnd = outageEnd; }
                if (status != HealthStatus.Critical || gap > 0) outageStart = -1;
            }
        }
        var total = up + down + unknown;
        return new AvailabilityResult
        {
            Environment = environment, Check = check, Target = target, Since = since, Until = until,
            Availability = total > 0 ? (double)up / total : null,
            UpMinutes = up / 60000.0, DowntimeMinutes = down / 60000.0, UnknownMinutes = unknown / 60000.0,
            Samples = n, Interval = TimeSpan.FromMilliseconds(step),
            LongestOutage = TimeSpan.FromMilliseconds(Math.Max(0, bestEnd - bestStart)),
            LongestOutageStart = bestStart >= 0 ? StateTime.FromUnixMs(bestStart) : null,
            LongestOutageEnd = bestStart >= 0 ? StateTime.FromUnixMs(bestEnd) : null,
            FirstSample = StateTime.FromUnixMs(samples[0].At), LastSample = StateTime.FromUnixMs(samples[n - 1].At),
        };
    }

    /// <summary>The median gap between consecutive samples; the default interval for one sample.</summary>
    internal static long MedianGap(IReadOnlyList<(long At, HealthStatus Status)> samples)
    {
        if (samples.Count < 2) return (long)DefaultInterval.TotalMilliseconds;
        var gaps = new long[samples.Count - 1];
        for (var i = 1; i < samples.Count; i++) gaps[i - 1] = samples[i].At - samples[i - 1].At;
        Array.Sort(gaps);
        var m = gaps[gaps.Length / 2];
        return m > 0 ? m : (long)DefaultInterval.TotalMilliseconds;
    }

    /// <summary>Reads the window's samples from the store and computes each series' availability.</summary>
    public static async Task<List<AvailabilityResult>> MeasureAsync(IStateStore store, HealthHistoryQuery query, TimeSpan? interval, CancellationToken cancellationToken)
    {
        var until = query.Until ?? DateTimeOffset.UtcNow;
        var since = query.Since ?? until.AddDays(-30);
        var series = await HealthHistory.SeriesSamplesAsync(store, query with { Since = since, Until = until }, cancellationToken).ConfigureAwait(false);
        var results = new List<AvailabilityResult>(series.Count);
        foreach (var (environment, check, target, samples) in series)
            if (samples.Count > 0) results.Add(Compute(environment, check, target, samples, since, until, interval));
        return results;
    }
}
