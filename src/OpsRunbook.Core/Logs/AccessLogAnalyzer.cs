using System.Globalization;
using System.Text;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;

namespace OpsRunbook.Core.Logs;

public enum AccessLogGroupBy { None, Endpoint, Status, Client, Minute, Hour }

/// <summary>The traffic of one group (an endpoint, a status, a client, a minute...) in an access log.</summary>
public sealed record AccessLogSummary
{
    public AccessLogGroupBy GroupBy { get; init; }
    /// <summary>"GET /api/media/:id", "404", "203.0.113.9", "2026-12-02T10:25Z", or "(all)".</summary>
    public required string Key { get; init; }
    public long Requests { get; init; }
    public double RequestsPerSecond { get; init; }
    public long Status2xx { get; init; }
    public long Status3xx { get; init; }
    public long Status4xx { get; init; }
    public long Status5xx { get; init; }
    /// <summary>5xx / all, 0..1.</summary>
    public double ErrorRate { get; init; }
    /// <summary>Exact nearest-rank percentiles of $request_time, in ms; null when the log has no request time.</summary>
    public int? P50Ms { get; init; }
    public int? P95Ms { get; init; }
    public int? P99Ms { get; init; }
    public double? MeanMs { get; init; }
    public int? MaxMs { get; init; }
    /// <summary>p95 of $upstream_response_time where it is logged (not "-").</summary>
    public int? UpstreamP95Ms { get; init; }
    /// <summary>Requests with a request time (the count behind the percentiles).</summary>
    public long TimedRequests { get; init; }
    public long Bytes { get; init; }
    public DateTimeOffset? First { get; init; }
    public DateTimeOffset? Last { get; init; }
    /// <summary>Lines of the whole scan that did not match the format (the same number on every summary).</summary>
    public long UnparsedLines { get; init; }
}

public sealed record AccessLogOptions
{
    public required LogReadOptions Read { get; init; }
    public AccessLogGroupBy GroupBy { get; init; } = AccessLogGroupBy.None;
    /// <summary>Keep the N groups with the most requests (0: all).</summary>
    public int Top { get; init; }
    /// <summary>An nginx log_format string; empty: combined (+ $request_time $upstream_response_time).</summary>
    public string? Format { get; init; }
    public IReadOnlyList<EndpointRule> EndpointRules { get; init; } = [];
}

/// <summary>What a scan found: the summaries and the totals.</summary>
public sealed record AccessLogReport
{
    public required IReadOnlyList<AccessLogSummary> Summaries { get; init; }
    public long Lines { get; init; }
    public long UnparsedLines { get; init; }
    public long OutsideWindow { get; init; }
    public required LogReadSummary Read { get; init; }
}

/// <summary>
/// Measure-OpsAccessLog's engine: one pass over the log set through <see cref="LogReader"/>, one
/// <see cref="LatencyHistogram"/> per group, so memory follows the number of groups, never the number of lines.
/// </summary>
public static class AccessLogAnalyzer
{
    private sealed class Group
    {
        public long Requests, S2, S3, S4, S5, Bytes;
        public readonly LatencyHistogram Time = new();
        public LatencyHistogram? Upstream;
        public DateTimeOffset? First, Last;
    }

    /// <summary>The default access log of an environment: logs.access under logs.directory.</summary>
    public static string DefaultPath(EnvironmentConfig env) => env.Require(e => e.Logs, "logs").AccessPath;

    public static AccessLogReport Measure(AccessLogOptions o, IOpsReporter reporter, Action<OpsException> problem, CancellationToken ct)
    {
        var parser = AccessLogParser.Create(o.Format);
        var normalizer = new EndpointNormalizer(o.EndpointRules);
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        var lookup = groups.GetAlternateLookup<ReadOnlySpan<char>>();
        long lines = 0, unparsed = 0, outside = 0;
        long firstBad = 0; string? firstBadFile = null;
        var since = o.Read.Since; var until = o.Read.Until;
        var keyBuf = new char[4096];
        Group? all = null;

        var read = LogReader.Scan(o.Read with { Activity = "Measuring access logs" }, (line, file) =>
        {
            lines++;
            if (!parser.TryParse(line, out var e))
            {
                if (unparsed++ == 0) { firstBad = lines; firstBadFile = file.Path; }
                return;
            }
            if (e.HasTime && ((since is { } s && e.Time < s) || (until is { } u && e.Time > u))) { outside++; return; }
            var g = Find(ref e);
            g.Requests++;
            switch (e.Status / 100) { case 2: g.S2++; break; case 3: g.S3++; break; case 4: g.S4++; break; case 5: g.S5++; break; }
            g.Bytes += e.Bytes;
            g.Time.Add(e.RequestTimeMs);
            if (e.UpstreamTimeMs >= 0) (g.Upstream ??= new()).Add(e.UpstreamTimeMs);
            if (e.HasTime)
            {
                if (g.First is not { } f || e.Time < f) g.First = e.Time;
                if (g.Last is not { } l || e.Time > l) g.Last = e.Time;
            }
        }, reporter, problem, ct);

        if (unparsed > 0)
            problem(new OpsException(ErrorIds.LogLinesUnparsed,
                $"{unparsed:N0} of {lines:N0} line(s) do not match the access-log format (first: line {firstBad} of the scan, in {firstBadFile}); they are counted in UnparsedLines.",
                firstBadFile, "If every line fails, set logs.accessFormat to the server's log_format string."));

        // Sorted and cut to -Top first, so only the groups shown are summarized (there may be 100,000 endpoints).
        IEnumerable<KeyValuePair<string, Group>> chosen = o.GroupBy switch
        {
            AccessLogGroupBy.Minute or AccessLogGroupBy.Hour => groups.OrderBy(kv => kv.Key, StringComparer.Ordinal),
            AccessLogGroupBy.Status => groups.OrderBy(kv => kv.Key, StringComparer.Ordinal),
            _ => groups.OrderByDescending(kv => kv.Value.Requests).ThenBy(kv => kv.Key, StringComparer.Ordinal),
        };
        if (o.Top > 0 && o.GroupBy is not (AccessLogGroupBy.Minute or AccessLogGroupBy.Hour))
            chosen = chosen.Take(o.Top);
        else if (o.Top > 0) chosen = chosen.TakeLast(o.Top);
        var list = chosen.Select(kv => Summarize(o.GroupBy, kv.Key, kv.Value, unparsed)).ToList();
        if (list.Count == 0 && o.GroupBy == AccessLogGroupBy.None)
            list.Add(new AccessLogSummary { GroupBy = o.GroupBy, Key = "(all)", UnparsedLines = unparsed });
        return new AccessLogReport { Summaries = list, Lines = lines, UnparsedLines = unparsed, OutsideWindow = outside, Read = read };

        Group Find(ref AccessLogEntry e)
        {
            ReadOnlySpan<char> key;
            switch (o.GroupBy)
            {
                case AccessLogGroupBy.None:
                    if (all is null) groups["(all)"] = all = new Group();
                    return all;
                case AccessLogGroupBy.Status:
                    e.Status.TryFormat(keyBuf, out var n, default, CultureInfo.InvariantCulture); key = keyBuf.AsSpan(0, n); break;
                case AccessLogGroupBy.Client: key = Ascii(e.ClientIp); break;
                case AccessLogGroupBy.Minute or AccessLogGroupBy.Hour:
                    if (!e.HasTime) { key = "(no time)"; break; }
                    var t = e.Time.UtcDateTime;
                    t.TryFormat(keyBuf, out var tn, o.GroupBy == AccessLogGroupBy.Minute ? "yyyy-MM-dd'T'HH:mm'Z'" : "yyyy-MM-dd'T'HH':00Z'", CultureInfo.InvariantCulture);
                    key = keyBuf.AsSpan(0, tn); break;
                default:
                    var m = Ascii(e.Method);
                    m.CopyTo(keyBuf);
                    var len = m.Length;
                    if (len > 0) keyBuf[len++] = ' ';
                    var pn = EndpointNormalizer.NormalizePath(e.Uri, keyBuf.AsSpan(len, keyBuf.Length - len - 1));
                    if (pn == 0 && e.Uri.Length > 0) { key = normalizer.Endpoint(e.Method, e.Uri[..Math.Min(e.Uri.Length, 2000)]); break; }
                    if (normalizer.HasRules)
                    {
                        var path = normalizer.ApplyRules(new string(keyBuf, len, pn));
                        key = (len > 0 ? new string(keyBuf, 0, len) : "") + path;
                        break;
                    }
                    key = keyBuf.AsSpan(0, len + pn); break;
            }
            if (lookup.TryGetValue(key, out var g)) return g;
            g = new Group();
            lookup[key] = g;
            return g;
        }

        ReadOnlySpan<char> Ascii(ReadOnlySpan<byte> b)
        {
            var n = Math.Min(b.Length, 1024);
            for (var i = 0; i < n; i++) keyBuf[2048 + i] = b[i] < 128 ? (char)b[i] : '\uFFFD';
            return keyBuf.AsSpan(2048, n);
        }
    }

    private static AccessLogSummary Summarize(AccessLogGroupBy by, string key, Group g, long unparsed)
    {
        var seconds = by switch
        {
            AccessLogGroupBy.Minute => 60.0,
            AccessLogGroupBy.Hour => 3600.0,
            _ => g.First is { } f && g.Last is { } l ? Math.Max(1.0, (l - f).TotalSeconds) : 1.0,
        };
        return new AccessLogSummary
        {
            GroupBy = by, Key = key, Requests = g.Requests,
            RequestsPerSecond = Math.Round(g.Requests / seconds, 3),
            Status2xx = g.S2, Status3xx = g.S3, Status4xx = g.S4, Status5xx = g.S5,
            ErrorRate = g.Requests == 0 ? 0 : Math.Round((double)g.S5 / g.Requests, 6),
            P50Ms = g.Time.Percentile(50), P95Ms = g.Time.Percentile(95), P99Ms = g.Time.Percentile(99),
            MeanMs = g.Time.Mean is { } m ? Math.Round(m, 3) : null, MaxMs = g.Time.Count > 0 ? g.Time.Max : null,
            UpstreamP95Ms = g.Upstream?.Percentile(95), TimedRequests = g.Time.Count,
            Bytes = g.Bytes, First = g.First, Last = g.Last, UnparsedLines = unparsed,
        };
    }
}
