using System.Globalization;
using System.Text;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Core.Tests.Logs;

public sealed class AccessLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("opsrb-access-").FullName;
    private readonly List<OpsException> _problems = new();
    public void Dispose() => Directory.Delete(_dir, true);

    private static string Line(string ip, DateTimeOffset t, string request, int status, long bytes, string ua, string? rt, string? upstream = null) =>
        $"{ip} - - [{t.ToString("dd/MMM/yyyy:HH:mm:ss ", CultureInfo.InvariantCulture)}{(t.Offset < TimeSpan.Zero ? "-" : "+")}{t.Offset:hhmm}] \"{request}\" {status} {bytes} \"-\" \"{ua}\"" +
        (rt is null ? "" : " " + rt) + (upstream is null ? "" : " " + upstream);

    [Fact]
    public void Parses_combined_with_request_and_upstream_times_an_IPv6_client_and_a_dash()
    {
        var p = AccessLogParser.Create();
        var t = new DateTimeOffset(2026, 12, 2, 10, 0, 1, TimeSpan.FromHours(1));
        Assert.True(p.TryParse(Encoding.UTF8.GetBytes(Line("2001:db8::7", t, "GET /api/media/123?x=1 HTTP/1.1", 200, 512, "curl/8", "0.123", "-")), out var e));
        Assert.Equal("2001:db8::7", Encoding.ASCII.GetString(e.ClientIp));
        Assert.Equal(t, e.Time);
        Assert.Equal("GET", Encoding.ASCII.GetString(e.Method));
        Assert.Equal("/api/media/123?x=1", Encoding.ASCII.GetString(e.Uri));
        Assert.Equal((200, 512L, 123, -1), (e.Status, e.Bytes, e.RequestTimeMs, e.UpstreamTimeMs));
        Assert.True(p.TryParse(Encoding.UTF8.GetBytes(Line("10.0.0.1", t, "POST /x HTTP/2.0", 502, 0, "a \\x22quoted\\x22 agent", "1.5", "0.010, 0.002 : 1.200")), out e));
        Assert.Equal((502, 1500, 1212), (e.Status, e.RequestTimeMs, e.UpstreamTimeMs));
        // Plain combined, no times.
        Assert.True(p.TryParse(Encoding.UTF8.GetBytes(Line("10.0.0.1", t, "GET / HTTP/1.1", 304, 0, "ua", null)), out e));
        Assert.Equal(-1, e.RequestTimeMs);
        Assert.False(p.TryParse("garbage line"u8, out _));
        Assert.False(p.TryParse(Encoding.UTF8.GetBytes(Line("10.0.0.1", t, "GET / HTTP/1.1", 200, 0, "ua", "abc")), out _));
    }

    [Fact]
    public void Parses_a_custom_log_format_and_json_lines()
    {
        var p = AccessLogParser.Create("$time_iso8601 $remote_addr $request_method $uri $args $status $request_time");
        Assert.True(p.TryParse("2026-12-02T10:00:00+00:00 1.2.3.4 GET /search q=1 404 0.050"u8, out var e));
        Assert.Equal(("/search?q=1", 404, 50), (Encoding.ASCII.GetString(e.Uri), e.Status, e.RequestTimeMs));
        Assert.True(p.TryParse("""{"time_iso8601":"2026-12-02T10:00:00+00:00","remote_addr":"::1","request":"GET \/a\/7 HTTP\/1.1","status":"201","body_bytes_sent":"9","request_time":0.007,"upstream_response_time":"0.005","http_user_agent":"x"}"""u8, out e));
        Assert.Equal(("/a/7", 201, 7, 5, 9L), (Encoding.ASCII.GetString(e.Uri), e.Status, e.RequestTimeMs, e.UpstreamTimeMs, e.Bytes));
        var ex = Assert.Throws<OpsException>(() => AccessLogParser.Create("$remote_addr $time_local"));
        Assert.Equal(ErrorIds.ConfigLogFormatInvalid, ex.Id);
        Assert.Equal(ErrorIds.ConfigLogFormatInvalid, Assert.Throws<OpsException>(() => AccessLogParser.Create("$request$status")).Id);
    }

    [Theory]
    [InlineData("/api/media/123?x=1", "/api/media/:id")]
    [InlineData("/api/media/456", "/api/media/:id")]
    [InlineData("/api/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301/avatar", "/api/users/:id/avatar")]
    [InlineData("/api/jobs/507f1f77bcf86cd799439011", "/api/jobs/:id")]
    [InlineData("/docs/union-station#x", "/docs/union-station")]
    [InlineData("/v2/deadbeef", "/v2/deadbeef")]
    [InlineData("http://example.com/a/1", "/a/:id")]
    public void Normalises_endpoints(string uri, string expected)
    {
        Span<char> buf = stackalloc char[256];
        var n = EndpointNormalizer.NormalizePath(Encoding.UTF8.GetBytes(uri), buf);
        Assert.Equal(expected, new string(buf[..n]));
    }

    [Fact]
    public void Histogram_percentiles_equal_nearest_rank_on_the_sorted_values()
    {
        var rng = new Random(5);
        foreach (var n in new[] { 1, 2, 3, 10, 99, 100, 101, 1000, 12345 })
        {
            var h = new LatencyHistogram();
            var values = Enumerable.Range(0, n).Select(_ => rng.Next(10) == 0 ? rng.Next(60_000, 200_000) : rng.Next(0, 3000)).ToList();
            values.ForEach(h.Add);
            values.Sort();
            foreach (var p in new[] { 0.1, 50, 95, 99, 99.9, 100 })
                Assert.Equal(values[(int)Math.Max(1, Math.Ceiling(p / 100 * n)) - 1], h.Percentile(p));
            Assert.Equal(values.Max(), h.Max);
            Assert.Equal(values.Average(v => (double)v), h.Mean!.Value, 6);
        }
        Assert.Null(new LatencyHistogram().Percentile(50));
    }

    [Fact]
    public void Histogram_starts_with_the_values_themselves_and_stays_exact_through_growth_and_merges()
    {
        var rng = new Random(11);
        foreach (var n in new[] { 0, 1, 2, 5, LatencyHistogram.SmallLimit - 1, LatencyHistogram.SmallLimit, LatencyHistogram.SmallLimit + 1, 200 })
        foreach (var m in new[] { 0, 1, 7, LatencyHistogram.SmallLimit + 3, 500 })
        {
            var a = Enumerable.Range(0, n).Select(_ => rng.Next(20) == 0 ? rng.Next(65_000, 90_000) : rng.Next(0, 400)).ToList();
            var b = Enumerable.Range(0, m).Select(_ => rng.Next(0, 5000)).ToList();
            var h = new LatencyHistogram();
            a.ForEach(h.Add);
            if (n > 0) Assert.NotNull(h.Percentile(50));   // a percentile in between must not disturb later adds
            var other = new LatencyHistogram();
            b.ForEach(other.Add);
            h.Merge(other);
            var all = a.Concat(b).Order().ToList();
            foreach (var p in new[] { 0.1, 50, 95, 99, 100 })
                Assert.Equal(all.Count == 0 ? null : all[(int)Math.Max(1, Math.Ceiling(p / 100 * all.Count)) - 1], h.Percentile(p));
            Assert.Equal((long)all.Count, h.Count);
            Assert.Equal(all.Sum(v => (long)v), h.Sum);
            Assert.Equal(all.Count == 0 ? -1 : all.Max(), h.Max);
        }
    }

    [Fact]
    public void A_histogram_with_a_few_values_costs_bytes_not_kilobytes()
    {
        var keep = new LatencyHistogram[10_000];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < keep.Length; i++) { keep[i] = new LatencyHistogram(); keep[i].Add(i % 300); keep[i].Add(40); }
        var perHistogram = (GC.GetAllocatedBytesForCurrentThread() - before) / keep.Length;
        Assert.InRange(perHistogram, 1, 120);   // it was 560+ (a 64-slot array up front, grown to the largest value)
        Assert.Equal(40, keep[299].Percentile(50));
    }

    private AccessLogReport Measure(string path, AccessLogGroupBy by, DateTimeOffset? since = null, IReadOnlyList<EndpointRule>? rules = null) =>
        AccessLogAnalyzer.Measure(new AccessLogOptions { Read = new LogReadOptions { Paths = [path], Since = since }, GroupBy = by, EndpointRules = rules ?? [] },
            NullReporter.Allow, _problems.Add, CancellationToken.None);

    [Fact]
    public void Measures_a_hand_built_log_edge_cases_included()
    {
        var t = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var path = Path.Combine(_dir, "access.log");
        File.WriteAllLines(path, [
            Line("10.0.0.1", t, "GET /api/media/123?x=1 HTTP/1.1", 200, 100, "ua", "0.100", "0.090"),
            Line("10.0.0.1", t.AddSeconds(1), "GET /api/media/456 HTTP/1.1", 200, 100, "ua", "0.100", "-"),
            Line("2001:db8::1", t.AddSeconds(2), "GET /api/media/789 HTTP/1.1", 503, 0, "ua", "0.100", "0.100"),
            Line("10.0.0.2", t.AddSeconds(9), "POST /api/login HTTP/1.1", 401, 10, "ua", "0.007"),
            "this is not an access log line",
        ]);
        var all = Measure(path, AccessLogGroupBy.None).Summaries.Single();
        Assert.Equal((4L, 2L, 0L, 1L, 1L, 210L, 1L), (all.Requests, all.Status2xx, all.Status3xx, all.Status4xx, all.Status5xx, all.Bytes, all.UnparsedLines));
        Assert.Equal((100, 100, 100, 100), (all.P50Ms!.Value, all.P95Ms!.Value, all.P99Ms!.Value, all.MaxMs!.Value));
        Assert.Equal(0.25, all.ErrorRate);
        Assert.Equal(76.75, all.MeanMs);
        Assert.Equal(100, all.UpstreamP95Ms);
        Assert.Equal(t, all.First);
        Assert.Equal(t.AddSeconds(9), all.Last);
        Assert.Equal(Math.Round(4 / 9.0, 3), all.RequestsPerSecond);
        Assert.Single(_problems, p => p.Id == ErrorIds.LogLinesUnparsed);

        var endpoints = Measure(path, AccessLogGroupBy.Endpoint).Summaries;
        Assert.Equal(["GET /api/media/:id", "POST /api/login"], endpoints.Select(s => s.Key));
        Assert.Equal(3, endpoints[0].Requests);
        Assert.Equal(["10.0.0.1", "10.0.0.2", "2001:db8::1"], Measure(path, AccessLogGroupBy.Client).Summaries.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["200", "401", "503"], Measure(path, AccessLogGroupBy.Status).Summaries.Select(s => s.Key));
        Assert.Equal(["2026-12-02T10:00Z"], Measure(path, AccessLogGroupBy.Minute).Summaries.Select(s => s.Key));
        var since = Measure(path, AccessLogGroupBy.None, since: t.AddSeconds(5));
        Assert.Equal(1, since.Summaries.Single().Requests);
        Assert.Equal(3, since.OutsideWindow);
        var ruled = Measure(path, AccessLogGroupBy.Endpoint, rules: [new EndpointRule { Pattern = "^/api/login$", Replacement = "/api/:auth" }]).Summaries;
        Assert.Contains(ruled, s => s.Key == "POST /api/:auth");

        // One line; all values equal.
        File.WriteAllLines(path, [Line("::1", t, "GET / HTTP/1.1", 200, 1, "ua", "0.042")]);
        var one = Measure(path, AccessLogGroupBy.None).Summaries.Single();
        Assert.Equal((1L, 42, 42, 42, 42), (one.Requests, one.P50Ms!.Value, one.P95Ms!.Value, one.P99Ms!.Value, one.MaxMs!.Value));
        Assert.Equal(1.0, one.RequestsPerSecond);
    }
}
