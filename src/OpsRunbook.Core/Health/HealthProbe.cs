using System.Diagnostics;
using System.Globalization;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Health;

/// <summary>Helpers families share: time one target, turn failures and timeouts into results, judge thresholds.</summary>
public static class HealthProbe
{
    private static readonly AsyncLocal<TimeSpan?> Timeout = new();

    /// <summary>The bound the runner gave the running family (flows with the async context); 5 s outside a run.</summary>
    public static TimeSpan CurrentTimeout
    {
        get => Timeout.Value ?? TimeSpan.FromSeconds(5);
        internal set => Timeout.Value = value;
    }

    /// <summary>
    /// Runs blocking work (file reads, statvfs, /proc scans) on a thread of its own, so it neither holds a
    /// pool thread that the async probes' continuations need nor outlives the bound (the caller awaits with the token).
    /// </summary>
    public static Task<T> OffThread<T>(Func<T> work, CancellationToken ct)
        => Task.Factory.StartNew(work, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    internal static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>
    /// Runs one target's probe, timing it. A cancelled token (timeout) gives a Critical "no answer within"
    /// result; an OpsException or I/O failure gives a Critical result with its message; a config error propagates.
    /// </summary>
    public static async Task<HealthCheckResult> TargetAsync(string check, string target, Func<CancellationToken, Task<HealthCheckResult>> probe,
        CancellationToken cancellationToken, HealthStatus failureStatus = HealthStatus.Critical)
    {
        var sw = Stopwatch.StartNew();
        HealthCheckResult result;
        try
        {
            result = await probe(cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = new HealthCheckResult
            {
                Status = failureStatus,
                Threshold = "timeout " + Seconds(CurrentTimeout),
                Message = $"No answer within {Seconds(CurrentTimeout)}.",
            };
        }
        catch (OpsException e) when (e.IsConfigError)
        {
            throw;
        }
        catch (Exception e)
        {
            result = new HealthCheckResult { Status = failureStatus, Message = Describe(e) };
        }
        result.Check = check;
        if (string.IsNullOrEmpty(result.Target)) result.Target = target;
        result.Duration = sw.Elapsed;
        return result;
    }

    /// <summary>Runs many targets in parallel and returns their results in the given order.</summary>
    public static async Task<IReadOnlyList<HealthCheckResult>> AllAsync(IEnumerable<Task<HealthCheckResult>> targets)
        => await Task.WhenAll(targets).ConfigureAwait(false);

    /// <summary>Runs one probe that yields several results for one target (e.g. Database: latency, connections...).</summary>
    public static async Task<IReadOnlyList<HealthCheckResult>> ManyAsync(string check, string target,
        Func<CancellationToken, Task<IReadOnlyList<HealthCheckResult>>> probe, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            var results = await probe(cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var r in results)
            {
                r.Check = check;
                if (r.Duration == default) r.Duration = sw.Elapsed;
            }
            return results;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return [new HealthCheckResult { Check = check, Target = target, Status = HealthStatus.Critical, Duration = sw.Elapsed,
                Threshold = "timeout " + Seconds(CurrentTimeout), Message = $"No answer within {Seconds(CurrentTimeout)}." }];
        }
        catch (OpsException e) when (e.IsConfigError)
        {
            throw;
        }
        catch (Exception e)
        {
            return [new HealthCheckResult { Check = check, Target = target, Status = HealthStatus.Critical, Duration = sw.Elapsed, Message = Describe(e) }];
        }
    }

    internal static string Describe(Exception e)
    {
        if (e is OpsException) return e.Message;
        var inner = e;
        while (inner.InnerException is not null && inner is not System.Net.Sockets.SocketException) inner = inner.InnerException;
        return inner is System.Net.Sockets.SocketException se ? $"{se.SocketErrorCode}: {se.Message}" : inner.Message;
    }

    /// <summary>Healthy below warn, Warning from warn, Critical from critical (higher is worse).</summary>
    public static HealthStatus Judge(double value, double warn, double? critical)
        => critical is { } c && value >= c ? HealthStatus.Critical : value >= warn ? HealthStatus.Warning : HealthStatus.Healthy;

    public static string ThresholdText(double warn, double? critical, string unit)
        => critical is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"warn >= {warn:0.##}{unit}, critical >= {c:0.##}{unit}")
            : string.Create(CultureInfo.InvariantCulture, $"warn >= {warn:0.##}{unit}");

    internal static string F(double v, string format = "0.#") => v.ToString(format, CultureInfo.InvariantCulture);
}
