using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Metrics;
using OpsRunbook.Core.Performance;

namespace OpsRunbook.Core.Tests.Performance;

public sealed class PrometheusTextTests
{
    // Verbatim: the "Text format example" of https://prometheus.io/docs/instrumenting/exposition_formats/
    private const string PrometheusDocExample = """
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000

        # Escaping in label values:
        msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

        # Minimalistic line:
        metric_without_timestamp_and_labels 12.47

        # A weird metric from before the epoch:
        something_weird{problem="division by zero"} +Inf -3982045

        # A histogram, which has a pretty complex representation in the text format:
        # HELP http_request_duration_seconds A histogram of the request duration.
        # TYPE http_request_duration_seconds histogram
        http_request_duration_seconds_bucket{le="0.05"} 24054
        http_request_duration_seconds_bucket{le="0.1"} 33444
        http_request_duration_seconds_bucket{le="0.2"} 100392
        http_request_duration_seconds_bucket{le="0.5"} 129389
        http_request_duration_seconds_bucket{le="1"} 133988
        http_request_duration_seconds_bucket{le="+Inf"} 144320
        http_request_duration_seconds_sum 53423
        http_request_duration_seconds_count 144320

        # Finally a summary, which has a complex representation, too:
        # HELP rpc_duration_seconds A summary of the RPC duration in seconds.
        # TYPE rpc_duration_seconds summary
        rpc_duration_seconds{quantile="0.01"} 3102
        rpc_duration_seconds{quantile="0.05"} 3272
        rpc_duration_seconds{quantile="0.5"} 4773
        rpc_duration_seconds{quantile="0.9"} 9001
        rpc_duration_seconds{quantile="0.99"} 76656
        rpc_duration_seconds_sum 1.7560473e+07
        rpc_duration_seconds_count 2693
        """;

    [Fact]
    public void ParsesThePrometheusDocumentationExample()
    {
        var f = PrometheusText.Parse(PrometheusDocExample).ToDictionary(x => x.Name);
        Assert.Equal(["http_requests_total", "msdos_file_access_time_seconds", "metric_without_timestamp_and_labels", "something_weird",
            "http_request_duration_seconds", "rpc_duration_seconds"], f.Keys.ToArray());

        var req = f["http_requests_total"];
        Assert.Equal("counter", req.Type);
        Assert.Equal("The total number of HTTP requests.", req.Help);
        Assert.Equal(2, req.Samples.Count);
        Assert.Equal(1027, req.Samples[0].Value);
        Assert.Equal(1395066363000, req.Samples[0].TimestampMs);
        Assert.Equal("post", req.Samples[1].Label("method"));
        Assert.Equal("400", req.Samples[1].Label("code"));
        Assert.Equal(3, req.Samples[1].Value);

        var msdos = f["msdos_file_access_time_seconds"].Samples.Single();
        Assert.Equal(@"C:\DIR\FILE.TXT", msdos.Label("path"));
        Assert.Equal("Cannot find file:\n\"FILE.TXT\"", msdos.Label("error"));
        Assert.Equal(1.458255915e9, msdos.Value);
        Assert.Null(msdos.TimestampMs);

        var minimal = f["metric_without_timestamp_and_labels"].Samples.Single();
        Assert.Empty(minimal.Labels);
        Assert.Equal(12.47, minimal.Value);
        Assert.Equal("untyped", f["metric_without_timestamp_and_labels"].Type);

        var weird = f["something_weird"].Samples.Single();
        Assert.Equal(double.PositiveInfinity, weird.Value);
        Assert.Equal(-3982045, weird.TimestampMs);

        var h = f["http_request_duration_seconds"];
        Assert.Equal("histogram", h.Type);
        Assert.Equal(8, h.Samples.Count);
        Assert.Equal(6, h.Samples.Count(s => s.Name == "http_request_duration_seconds_bucket"));
        Assert.Equal(144320, h.Samples.Single(s => s.Name == "http_request_duration_seconds_count").Value);
        Assert.Equal(53423, h.Samples.Single(s => s.Name == "http_request_duration_seconds_sum").Value);

        var s = f["rpc_duration_seconds"];
        Assert.Equal("summary", s.Type);
        Assert.Equal(7, s.Samples.Count);
        Assert.Equal(1.7560473e+07, s.Samples.Single(x => x.Name == "rpc_duration_seconds_sum").Value);
        Assert.Equal(76656, s.Samples.Single(x => x.Label("quantile") == "0.99").Value);
    }

    [Fact]
    public void SummarizesTheDocumentationHistogram()
    {
        var rows = ApiMetricReader.Summarize(ApiMetricReader.BucketsFromText(PrometheusDocExample, "http_request_duration_seconds", "doc"),
            "http_request_duration_seconds", "doc", null, DateTimeOffset.UnixEpoch);
        var r = Assert.Single(rows);
        Assert.Equal(144320, r.Requests);
        // By hand: rank 0.5 * 144320 = 72160 falls in (0.1, 0.2]: 0.1 + 0.1 * (72160 - 33444) / (100392 - 33444).
        Assert.Equal(0.1 + 0.1 * (72160 - 33444) / (100392.0 - 33444), r.P50Ms!.Value / 1000, 12);
        // rank 0.99 * 144320 = 142876.8 falls in (1, +Inf]: the last finite bound.
        Assert.Equal(1000, r.P99Ms);
    }

    [Theory]
    [InlineData("metric{a=\"b\" 1", "label without")]
    [InlineData("metric{a=\"b", "unterminated label value")]
    [InlineData("metric{a=b} 1", "not quoted")]
    [InlineData("metric 1 2 3", "optional timestamp")]
    [InlineData("metric abc", "not a number")]
    [InlineData("{a=\"b\"} 1", "no metric name")]
    [InlineData("metric{a=\"\\q\"} 1", "unknown escape")]
    public void MalformedLinesNameTheirLine(string line, string why)
    {
        var e = Assert.Throws<OpsException>(() => PrometheusText.Parse("ok_metric 1\n" + line, "http://x/metrics"));
        Assert.Equal(ErrorIds.MetricsParseFailed, e.Id);
        Assert.Contains("line 2", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void HistogramQuantileGivesTheKnownValue()
    {
        // The issue's anchor: buckets le=0:6, 0.5:11, 1:14, +Inf:19 at q=0.5 give 0.35.
        (double, double)[] b = [(0, 6), (0.5, 11), (1, 14), (double.PositiveInfinity, 19)];
        Assert.Equal(0.35, HistogramQuantile.Estimate(0.5, b), 12);
        // Rank in the first bucket whose bound is <= 0: that bound.
        Assert.Equal(0, HistogramQuantile.Estimate(0.1, b));
        // Rank in +Inf: the last finite bound.
        Assert.Equal(1, HistogramQuantile.Estimate(0.99, b));
        Assert.Equal(double.NegativeInfinity, HistogramQuantile.Estimate(-0.1, b));
        Assert.Equal(double.PositiveInfinity, HistogramQuantile.Estimate(1.1, b));
    }

    [Fact]
    public void HistogramQuantileEdgeCasesFollowPromQL()
    {
        Assert.True(double.IsNaN(HistogramQuantile.Estimate(0.5, [(0.5, 3), (1, 4)])));                    // no +Inf bucket
        Assert.True(double.IsNaN(HistogramQuantile.Estimate(0.5, [(double.PositiveInfinity, 4)])));        // one bucket
        Assert.True(double.IsNaN(HistogramQuantile.Estimate(0.5, [(1, 0), (double.PositiveInfinity, 0)]))); // no observations
        // Unsorted input and duplicate bounds (two series summed, as sum by (le) does).
        Assert.Equal(0.35, HistogramQuantile.Estimate(0.5, [(double.PositiveInfinity, 10), (0.5, 5), (0, 3), (1, 7), (0, 3), (0.5, 6), (1, 7), (double.PositiveInfinity, 9)]), 12);
        // First bucket with a positive bound starts at 0: rank 1 of 4 in (0, 0.2] holding 2 -> 0.1.
        Assert.Equal(0.1, HistogramQuantile.Estimate(0.25, [(0.2, 2), (double.PositiveInfinity, 4)]), 12);
        // Non-monotonic counts (a scrape between bucket increments) are made monotonic.
        Assert.Equal(0.5, HistogramQuantile.Estimate(0.5, [(0.5, 5), (1, 4), (double.PositiveInfinity, 10)]), 12);
    }

    [Fact]
    public void GroupsByRouteAndMethodAndCountsServerErrors()
    {
        const string text = """
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{method="GET",route="/api/search",status="200",le="0.1"} 80
            http_request_duration_seconds_bucket{method="GET",route="/api/search",status="200",le="0.5"} 95
            http_request_duration_seconds_bucket{method="GET",route="/api/search",status="200",le="+Inf"} 98
            http_request_duration_seconds_bucket{method="GET",route="/api/search",status="503",le="0.1"} 0
            http_request_duration_seconds_bucket{method="GET",route="/api/search",status="503",le="0.5"} 0
            http_request_duration_seconds_bucket{method="GET",route="/api/search",status="503",le="+Inf"} 2
            http_request_duration_seconds_bucket{method="POST",route="/api/upload",status="201",le="0.1"} 0
            http_request_duration_seconds_bucket{method="POST",route="/api/upload",status="201",le="0.5"} 10
            http_request_duration_seconds_bucket{method="POST",route="/api/upload",status="201",le="+Inf"} 10
            http_request_duration_seconds_count{method="POST",route="/api/upload",status="201"} 10
            """;
        var rows = ApiMetricReader.Summarize(ApiMetricReader.BucketsFromText(text, "http_request_duration_seconds", "t"), "http_request_duration_seconds", "t", null, DateTimeOffset.UnixEpoch);
        Assert.Equal(2, rows.Count);
        var search = rows[0];
        Assert.Equal(("/api/search", "GET"), (search.Route, search.Method));
        Assert.Equal(100, search.Requests);
        Assert.Equal(2, search.Errors);
        Assert.Equal(0.02, search.ErrorRate!.Value, 12);
        Assert.Equal(0.1 * 50 / 80 * 1000, search.P50Ms!.Value, 9);
        Assert.Equal((0.1 + 0.4 * (95 - 80) / 15.0) * 1000, search.P95Ms!.Value, 9);
        Assert.Equal(500, search.P99Ms);               // in +Inf: the last finite bound
        Assert.Equal(TimeSpan.FromMilliseconds(500), search.P99);
        var upload = rows[1];
        Assert.Equal(0, upload.ErrorRate);
        Assert.Equal(0.1 + 0.4 * 0.5, upload.P50Ms!.Value / 1000, 12);
    }

    [Fact]
    public void AMissingHistogramIsNamed()
    {
        var e = Assert.Throws<OpsException>(() => ApiMetricReader.BucketsFromText("up 1\n", "http_request_duration_seconds", "http://x/metrics"));
        Assert.Equal(ErrorIds.MetricNotFound, e.Id);
        Assert.Contains("up", e.RecommendedAction);
    }

    [Theory]
    [InlineData(7 * 86400, "7d")]
    [InlineData(3600, "1h")]
    [InlineData(300, "5m")]
    [InlineData(90, "90s")]
    public void PromDurations(int seconds, string expected) => Assert.Equal(expected, ApiMetricReader.PromDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void RedisInfoIsTyped()
    {
        const string info = "# Server\r\nredis_version:7.0.15\r\nuptime_in_seconds:120\r\n\r\n# Clients\r\nconnected_clients:3\r\nblocked_clients:1\r\n\r\n# Memory\r\nused_memory:1048576\r\nused_memory_rss:2097152\r\nmem_fragmentation_ratio:2.00\r\nmaxmemory:0\r\n\r\n# Stats\r\ninstantaneous_ops_per_sec:42\r\nkeyspace_hits:3\r\nkeyspace_misses:1\r\nevicted_keys:5\r\nexpired_keys:6\r\n\r\n# Keyspace\r\ndb0:keys=10,expires=2,avg_ttl=0\r\ndb1:keys=5,expires=0,avg_ttl=0\r\n";
        var r = RedisInfoReader.FromInfo(info, "127.0.0.1:6379", ["all"], DateTimeOffset.UnixEpoch);
        Assert.Equal("7.0.15", r.Version);
        Assert.Equal(TimeSpan.FromMinutes(2), r.Uptime);
        Assert.Equal(0.75, r.HitRatio);
        Assert.Equal((5L, 6L), (r.EvictedKeys!.Value, r.ExpiredKeys!.Value));
        Assert.Equal(1048576, r.UsedMemoryBytes);
        Assert.Equal(2.0, r.FragmentationRatio);
        Assert.Equal((3L, 1L), (r.ConnectedClients!.Value, r.BlockedClients!.Value));
        Assert.Equal(15, r.Keys);
        Assert.Equal(42, r.OpsPerSecond);
        Assert.Equal("1", r.Fields["clients"]["blocked_clients"]);
        Assert.Null(RedisInfoReader.FromInfo("# Stats\r\nkeyspace_hits:0\r\nkeyspace_misses:0\r\n", "x", ["stats"], DateTimeOffset.UnixEpoch).HitRatio);
    }

    [Theory]
    [InlineData(new[] { "SET", "session:42", "s3cret" }, "SET", "SET ? ?")]
    [InlineData(new[] { "auth", "default", "hunter2" }, "AUTH", "AUTH ? ?")]
    [InlineData(new[] { "CONFIG", "SET", "requirepass", "x" }, "CONFIG SET", "CONFIG SET ? ?")]
    [InlineData(new[] { "DEBUG", "SLEEP", "0.2" }, "DEBUG SLEEP", "DEBUG SLEEP ?")]
    [InlineData(new[] { "MSET", "a", "1", "... (30 more arguments)" }, "MSET", "MSET ? ? ... (30 more arguments)")]
    [InlineData(new[] { "PING" }, "PING", "PING")]
    public void SlowLogArgumentsAreMasked(string[] args, string name, string masked)
    {
        var (n, m) = RedisInfoReader.Mask(args);
        Assert.Equal(name, n);
        Assert.Equal(masked, m);
    }
}
