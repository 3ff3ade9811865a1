using System.Globalization;
using System.Text.Json;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Net;

namespace OpsRunbook.Core.Metrics;

/// <summary>Requests, error rate and latency percentiles of one API route and method, from a Prometheus histogram.</summary>
public sealed record ApiMetric
{
    public string Route { get; init; } = "";
    public string Method { get; init; } = "";
    /// <summary>Requests counted (the +Inf bucket): since the process started for -Url, within Range for -Prometheus.</summary>
    public double Requests { get; init; }
    /// <summary>Requests answered with a 5xx status.</summary>
    public double Errors { get; init; }
    /// <summary>Errors / Requests (0..1); null without requests.</summary>
    public double? ErrorRate { get; init; }
    public TimeSpan? P50 { get; init; }
    public double? P50Ms { get; init; }
    public TimeSpan? P95 { get; init; }
    public double? P95Ms { get; init; }
    public TimeSpan? P99 { get; init; }
    public double? P99Ms { get; init; }
    /// <summary>The window for -Prometheus (null: the counters as read, since the API process started).</summary>
    public TimeSpan? Range { get; init; }
    public double? RangeMs => Range?.TotalMilliseconds;
    public string Metric { get; init; } = "";
    /// <summary>Where the figures came from: the /metrics URL or the Prometheus server.</summary>
    public string Source { get; init; } = "";
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary>Reads API latency histograms from the API's /metrics or from a Prometheus server's HTTP API.</summary>
public static class ApiMetricReader
{
    public const string DefaultMetric = "http_request_duration_seconds";
    public static readonly string[] RouteLabels = ["route", "path", "handler", "endpoint", "uri"];
    public static readonly string[] StatusLabels = ["status", "code", "status_code"];

    /// <summary>One bucket series: its labels (without le), upper bound and cumulative count.</summary>
    public sealed record BucketSample(IReadOnlyDictionary<string, string> Labels, double UpperBound, double Count);

    /// <summary>Groups the buckets by route and method and estimates the percentiles as histogram_quantile does.</summary>
    public static IReadOnlyList<ApiMetric> Summarize(IEnumerable<BucketSample> buckets, string metric, string source, TimeSpan? range, DateTimeOffset now)
    {
        var list = buckets.ToList();
        string Pick(IReadOnlyDictionary<string, string> l, string[] names)
        {
            foreach (var n in names) if (l.TryGetValue(n, out var v)) return v;
            return "";
        }
        static bool IsError(string status) => status.Length == 3 && status[0] == '5';
        var rows = new List<ApiMetric>();
        foreach (var g in list.GroupBy(b => (Route: Pick(b.Labels, RouteLabels), Method: Pick(b.Labels, ["method"]))).OrderBy(g => g.Key.Route, StringComparer.Ordinal).ThenBy(g => g.Key.Method, StringComparer.Ordinal))
        {
            var merged = g.Select(b => (b.UpperBound, b.Count)).ToList();
            var requests = g.Where(b => double.IsPositiveInfinity(b.UpperBound)).Sum(b => b.Count);
            var errors = g.Where(b => double.IsPositiveInfinity(b.UpperBound) && IsError(Pick(b.Labels, StatusLabels))).Sum(b => b.Count);
            double? Q(double q)
            {
                var v = HistogramQuantile.Estimate(q, merged);
                return double.IsNaN(v) || double.IsInfinity(v) ? null : v;
            }
            var p50 = Q(0.5); var p95 = Q(0.95); var p99 = Q(0.99);
            rows.Add(new ApiMetric
            {
                Route = g.Key.Route, Method = g.Key.Method, Requests = requests, Errors = errors,
                ErrorRate = requests > 0 ? errors / requests : null,
                P50 = Span(p50), P50Ms = p50 * 1000, P95 = Span(p95), P95Ms = p95 * 1000, P99 = Span(p99), P99Ms = p99 * 1000,
                Range = range, Metric = metric, Source = source, Timestamp = now,
            });
        }
        return rows;
    }

    private static TimeSpan? Span(double? seconds) => seconds is { } s ? TimeSpan.FromTicks((long)Math.Round(s * TimeSpan.TicksPerSecond)) : null;

    /// <summary>The bucket samples of a histogram in Prometheus text.</summary>
    public static IReadOnlyList<BucketSample> BucketsFromText(string text, string metric, string source)
    {
        var families = PrometheusText.Parse(text, source);
        var bucketName = metric + "_bucket";
        var samples = families.SelectMany(f => f.Samples).Where(s => s.Name == bucketName).ToList();
        if (samples.Count == 0)
            throw new OpsException(ErrorIds.MetricNotFound, $"{source} has no histogram {metric} (no {bucketName} samples).", source,
                $"Check -Metric: the names there are {string.Join(", ", families.Select(f => f.Name).Take(15))}.");
        return samples.Select(s => new BucketSample(s.Labels.Where(kv => kv.Key != "le").ToDictionary(kv => kv.Key, kv => kv.Value),
            PrometheusText.TryNumber(s.Label("le"), out var le) ? le : double.NaN, s.Value)).Where(b => !double.IsNaN(b.UpperBound)).ToList();
    }

    /// <summary>GET the API's /metrics and summarize the histogram.</summary>
    public static async Task<IReadOnlyList<ApiMetric>> FromUrlAsync(string url, string metric, TimeSpan timeout, CancellationToken ct)
    {
        var uri = CheckUrl(url, "-Url");
        var source = OpsHttp.Redact(uri);
        using var r = await OpsHttp.SendForSuccessAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), new HttpCallOptions
        {
            Timeout = timeout, What = "metrics endpoint", TimeoutError = ErrorIds.MetricsTimeout, UnreachableError = ErrorIds.MetricsUnreachable,
            Fix = "Check api.metricsUrl (or -Url) and that the API is up.",
        }, new HttpAnswerErrors { Failed = ErrorIds.MetricsUnreachable, Target = source, FailedFix = "Check api.metricsUrl (or -Url)." }, ct).ConfigureAwait(false);
        return Summarize(BucketsFromText(r.Body, metric, source), metric, source, null, DateTimeOffset.UtcNow);
    }

    /// <summary>The PromQL expression the -Prometheus path evaluates: bucket increases over the range, per series.</summary>
    public static string RangeQuery(string metric, TimeSpan range) =>
        $"sum without (instance, job) (increase({metric}_bucket[{PromDuration(range)}]))";

    public static string PromDuration(TimeSpan d) =>
        d.TotalSeconds % 86400 == 0 ? $"{(long)d.TotalDays}d" : d.TotalSeconds % 3600 == 0 ? $"{(long)d.TotalHours}h"
        : d.TotalSeconds % 60 == 0 ? $"{(long)d.TotalMinutes}m" : $"{Math.Max(1, (long)Math.Ceiling(d.TotalSeconds))}s";

    /// <summary>Asks a Prometheus server (/api/v1/query) for the bucket increases over the range, then summarizes them.</summary>
    public static async Task<IReadOnlyList<ApiMetric>> FromPrometheusAsync(string server, string metric, TimeSpan range, TimeSpan timeout, CancellationToken ct, DateTimeOffset? at = null)
    {
        var now = at ?? DateTimeOffset.UtcNow;
        var result = await QueryAsync(server, RangeQuery(metric, range), now, timeout, ct).ConfigureAwait(false);
        var buckets = new List<BucketSample>();
        foreach (var (labels, value) in result)
        {
            if (!labels.TryGetValue("le", out var leText) || !PrometheusText.TryNumber(leText, out var le)) continue;
            buckets.Add(new BucketSample(labels.Where(kv => kv.Key != "le").ToDictionary(kv => kv.Key, kv => kv.Value), le, value));
        }
        var source = OpsHttp.Redact(CheckUrl(server, "-Prometheus"));
        if (buckets.Count == 0)
            throw new OpsException(ErrorIds.MetricNotFound, $"Prometheus at {source} has no {metric}_bucket series in the last {PromDuration(range)}.", source,
                "Check -Metric, -Range and that Prometheus scrapes the API.");
        return Summarize(buckets, metric, $"prometheus {source}", range, now);
    }

    /// <summary>An instant query: the vector's samples as (labels, value).</summary>
    public static async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string server, string promql, DateTimeOffset at, TimeSpan timeout, CancellationToken ct)
    {
        var baseUri = CheckUrl(server, "-Prometheus");
        var uri = new Uri(baseUri, "api/v1/query?query=" + Uri.EscapeDataString(promql) + "&time="
            + (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture));
        var source = OpsHttp.Redact(baseUri);
        // Prometheus refuses a bad query with 400/422 and its reason in JSON ("error"): that reason, with the query, is the message.
        using var r = await OpsHttp.SendForSuccessAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), new HttpCallOptions
        {
            Timeout = timeout, What = "Prometheus server", TimeoutError = ErrorIds.PrometheusTimeout, UnreachableError = ErrorIds.PrometheusUnreachable,
            Fix = "Check -Prometheus (or prometheus.url) and that the server is up.",
        }, new HttpAnswerErrors { Failed = ErrorIds.PrometheusQueryFailed, Target = source, Detail = a => $"refused the query {promql}: {PrometheusError(a.Body)}" }, ct).ConfigureAwait(false);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(r.Body); }
        catch (JsonException e)
        {
            throw new OpsException(ErrorIds.PrometheusQueryFailed, $"Prometheus at {source} answered HTTP {r.StatusCode} without JSON.", source, "Check that the URL is a Prometheus server.", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.GetProperty("status").GetString() != "success")
                throw new OpsException(ErrorIds.PrometheusQueryFailed,
                    $"Prometheus at {source} refused the query {promql}: {(root.TryGetProperty("error", out var err) ? err.GetString() : $"HTTP {r.StatusCode}")}", source, null);
            var data = root.GetProperty("data");
            var rows = new List<(Dictionary<string, string>, double)>();
            if (data.GetProperty("resultType").GetString() == "scalar")
            {
                rows.Add((new Dictionary<string, string>(), Value(data.GetProperty("result"))));
                return rows;
            }
            foreach (var s in data.GetProperty("result").EnumerateArray())
            {
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var p in s.GetProperty("metric").EnumerateObject()) labels[p.Name] = p.Value.GetString() ?? "";
                rows.Add((labels, Value(s.GetProperty("value"))));
            }
            return rows;
        }
        static double Value(JsonElement pair) => PrometheusText.TryNumber(pair[1].GetString() ?? "NaN", out var v) ? v : double.NaN;
    }

    private static string PrometheusError(string body)
    {
        try { using var d = JsonDocument.Parse(body); return d.RootElement.TryGetProperty("error", out var e) ? e.GetString() ?? body : body; }
        catch (JsonException) { return body.Length > 200 ? body[..200] : body; }
    }

    private static Uri CheckUrl(string url, string what)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps))
            throw new OpsException(ErrorIds.MetricsUrlInvalid, $"{what} '{url}' is not an http(s) URL.", url, "Give an absolute http:// or https:// URL.");
        if (what == "-Prometheus" && !u.AbsolutePath.EndsWith('/')) u = new Uri(u.GetLeftPart(UriPartial.Path) + "/" + u.Query);
        return u;
    }
}
