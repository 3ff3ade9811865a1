using System.Globalization;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Logs;
using OpsRunbook.Core.Metrics;

namespace OpsRunbook.Core.Performance;

public enum KpiStatus { Met, Missed, Unknown }

/// <summary>One of the runbook's Success Metrics against its target, with the error budget left and the burn rate.</summary>
public sealed record KpiResult
{
    public string Name { get; init; } = "";
    /// <summary>The figure (Uptime, QueueSla, ErrorRate: percent; P95: ms; CostPerUser: dollars). Null when unknown.</summary>
    public double? Value { get; init; }
    public double Target { get; init; }
    public string Unit { get; init; } = "";
    /// <summary>True when the target is met; null when unknown.</summary>
    public bool? Met { get; init; }
    public KpiStatus Status { get; init; }
    /// <summary>1 - (bad share / allowed bad share): 1 untouched, 0 spent, below 0 overspent. Null when the source cannot tell.</summary>
    public double? ErrorBudgetRemaining { get; init; }
    /// <summary>Bad share / allowed bad share over the window: 1 spends the budget exactly by the window's end.</summary>
    public double? BurnRate { get; init; }
    /// <summary>Where the figure came from, or what is missing.</summary>
    public string Source { get; init; } = "";
    public string Message { get; init; } = "";
    public DateTimeOffset Since { get; init; }
    public DateTimeOffset Until { get; init; }
}

/// <summary>
/// The runbook's KPIs: uptime, p95, queue SLA, error rate and cost per active user. Each source is asked on its own;
/// a missing source (no config section, a server down, a cmdlet family not in this build) gives an Unknown row naming it.
/// </summary>
public static class KpiReport
{
    public const string Uptime = "Uptime", P95 = "P95Latency", QueueSlaName = "QueueSla", ErrorRate = "ErrorRate", CostPerUser = "CostPerUser";

    /// <summary>A KPI where bad = 1 - good share and the budget is 1 - target share (uptime, queue SLA).</summary>
    public static KpiResult FromGoodShare(string name, double goodShare, double targetPercent, string source, string message, DateTimeOffset since, DateTimeOffset until)
    {
        var budget = 1 - targetPercent / 100;
        var bad = 1 - goodShare;
        return Row(name, Math.Round(goodShare * 100, 4), targetPercent, "%", goodShare * 100 >= targetPercent - 1e-9, budget, bad, source, message, since, until);
    }

    /// <summary>A KPI where bad = the error share and the budget is the target error share (error rate).</summary>
    public static KpiResult FromBadShare(string name, double badShare, double targetPercent, string source, string message, DateTimeOffset since, DateTimeOffset until) =>
        Row(name, Math.Round(badShare * 100, 4), targetPercent, "%", badShare * 100 <= targetPercent + 1e-9, targetPercent / 100, badShare, source, message, since, until);

    public static KpiResult Row(string name, double value, double target, string unit, bool met, double? budget, double? bad, string source, string message, DateTimeOffset since, DateTimeOffset until)
    {
        double? burn = budget is > 0 && bad is { } b ? b / budget.Value : null;
        return new KpiResult
        {
            Name = name, Value = value, Target = target, Unit = unit, Met = met, Status = met ? KpiStatus.Met : KpiStatus.Missed,
            ErrorBudgetRemaining = burn is { } x ? Math.Round(1 - x, 6) : null, BurnRate = burn is { } y ? Math.Round(y, 6) : null,
            Source = source, Message = message, Since = since, Until = until,
        };
    }

    public static KpiResult Unknown(string name, double target, string unit, string missing, DateTimeOffset since, DateTimeOffset until) => new()
    {
        Name = name, Target = target, Unit = unit, Status = KpiStatus.Unknown, Source = "missing: " + missing, Message = $"Unknown: {missing}",
        Since = since, Until = until,
    };

    /// <summary>p95 and error rate from Prometheus over the window (the whole API: every route summed), with the share slower than the target.</summary>
    public static async Task<(KpiResult P95, KpiResult Errors)> FromPrometheusAsync(string server, KpiConfig k, DateTimeOffset since, DateTimeOffset until, TimeSpan timeout, CancellationToken ct)
    {
        var range = until - since;
        var rows = await ApiMetricReader.QueryAsync(server, ApiMetricReader.RangeQuery(k.Metric, range), until, timeout, ct).ConfigureAwait(false);
        var buckets = new List<(double Le, double Count, string Status)>();
        foreach (var (labels, value) in rows)
            if (labels.TryGetValue("le", out var le) && PrometheusText.TryNumber(le, out var bound))
                buckets.Add((bound, value, ApiMetricReader.StatusLabels.Select(labels.GetValueOrDefault).FirstOrDefault(s => s is not null) ?? ""));
        var source = $"prometheus {server} ({k.Metric}, {ApiMetricReader.PromDuration(range)})";
        if (buckets.Count == 0)
            throw new OpsException(ErrorIds.MetricNotFound, $"Prometheus at {server} has no {k.Metric}_bucket series in the window.", server, "Check kpi.metric and that Prometheus scrapes the API.");
        var total = buckets.Where(b => double.IsPositiveInfinity(b.Le)).Sum(b => b.Count);
        var errors = buckets.Where(b => double.IsPositiveInfinity(b.Le) && b.Status.Length == 3 && b.Status[0] == '5').Sum(b => b.Count);
        var p95 = HistogramQuantile.Estimate(k.LatencyPercent / 100, buckets.Select(b => (b.Le, b.Count)));
        var threshold = k.P95Ms / 1000;
        var atThreshold = buckets.Where(b => Math.Abs(b.Le - threshold) < 1e-9).Sum(b => b.Count);
        var hasBucket = buckets.Any(b => Math.Abs(b.Le - threshold) < 1e-9);
        double? slowShare = total > 0 && hasBucket ? 1 - atThreshold / total : null;
        KpiResult p;
        if (total <= 0 || double.IsNaN(p95)) p = Unknown(P95, k.P95Ms, "ms", $"no requests in {source}", since, until);
        else p = Row(P95, Math.Round(p95 * 1000, 3), k.P95Ms, "ms", p95 * 1000 <= k.P95Ms, 1 - k.LatencyPercent / 100, slowShare, source,
            $"p{k.LatencyPercent:0.#} {p95 * 1000:0.#} ms over {total:N0} requests" + (slowShare is { } s ? $"; {s:P2} slower than {k.P95Ms:0.#} ms" : $"; no le=\"{threshold.ToString(CultureInfo.InvariantCulture)}\" bucket, so no budget"), since, until);
        var e = total <= 0 ? Unknown(ErrorRate, k.ErrorRatePercent, "%", $"no requests in {source}", since, until)
            : FromBadShare(ErrorRate, errors / total, k.ErrorRatePercent, source, $"{errors:N0} 5xx of {total:N0} requests", since, until);
        return (p, e);
    }

    /// <summary>p95 and error rate from the nginx access logs (the one log reader; Measure-OpsAccessLog's core).</summary>
    public static (KpiResult P95, KpiResult Errors) FromAccessLog(LogsConfig logs, KpiConfig k, DateTimeOffset since, DateTimeOffset until, IOpsReporter reporter, CancellationToken ct)
    {
        var problems = new List<string>();
        var report = AccessLogAnalyzer.Measure(new AccessLogOptions
        {
            Read = new LogReadOptions { Paths = [logs.AccessPath], Since = since, Until = until },
            GroupBy = AccessLogGroupBy.None, Format = string.IsNullOrEmpty(logs.AccessFormat) ? null : logs.AccessFormat, EndpointRules = logs.EndpointRules,
        }, reporter, e => { lock (problems) problems.Add(e.Message); }, ct);
        var source = $"access log {logs.AccessPath}";
        var s = report.Summaries.FirstOrDefault();
        if (s is null || s.Requests == 0)
        {
            var why = problems.Count > 0 ? problems[0] : $"no requests in {source} in the window";
            return (Unknown(P95, k.P95Ms, "ms", why, since, until), Unknown(ErrorRate, k.ErrorRatePercent, "%", why, since, until));
        }
        var p = s.P95Ms is { } ms
            ? Row(P95, ms, k.P95Ms, "ms", ms <= k.P95Ms, null, null, source, $"p95 {ms} ms over {s.TimedRequests:N0} timed requests (exact, nearest rank); the access log gives no budget", since, until)
            : Unknown(P95, k.P95Ms, "ms", $"{source} has no request times ($request_time)", since, until);
        return (p, FromBadShare(ErrorRate, s.ErrorRate, k.ErrorRatePercent, source, $"{s.Status5xx:N0} 5xx of {s.Requests:N0} requests", since, until));
    }

    public static KpiResult FromQueueSla(IReadOnlyList<QueueSlaResult> queues, KpiConfig k, string source, DateTimeOffset since, DateTimeOffset until)
    {
        var jobs = queues.Sum(q => q.Jobs);
        if (jobs == 0) return Unknown(QueueSlaName, k.QueueSlaPercent, "%", $"no completed or failed jobs kept in {source} since {since:u}", since, until);
        var within = queues.Sum(q => q.WithinSla);
        return FromGoodShare(QueueSlaName, (double)within / jobs, k.QueueSlaPercent, source,
            $"{within:N0} of {jobs:N0} jobs done within {k.QueueSlaSeconds:0.#} s ({queues.Sum(q => q.Failed):N0} failed): " +
            string.Join(", ", queues.Select(q => $"{q.Queue} {q.WithinSla}/{q.Jobs}")), since, until);
    }
}
