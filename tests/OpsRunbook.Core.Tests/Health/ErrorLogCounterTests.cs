using System.IO.Compression;
using System.Text;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Health.Probes;

namespace OpsRunbook.Core.Tests.Health;

public sealed class ErrorLogCounterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("opsrb-logs-").FullName;
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 9, 30, 0, TimeSpan.Zero);

    public void Dispose() => Directory.Delete(_dir, true);

    private void Write(string name, IEnumerable<string> lines, bool gzip = false)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        if (!gzip) { File.WriteAllBytes(Path.Combine(_dir, name), bytes); return; }
        using var fs = File.Create(Path.Combine(_dir, name + ".gz"));
        using var gz = new GZipStream(fs, CompressionLevel.Fastest);
        gz.Write(bytes);
    }

    [Theory]
    [InlineData("2026-11-29T09:00:00.123Z ERROR boom", "2026-11-29T09:00:00.123+00:00", "ERROR")]
    [InlineData("[2026-11-29T09:00:00Z] [ERROR] boom", "2026-11-29T09:00:00+00:00", "ERROR")]
    [InlineData("2026-11-29 09:00:00 ERROR: boom", "2026-11-29T09:00:00+00:00", "ERROR")]
    [InlineData("2026-11-29T10:00:00+01:00 WARN slow", "2026-11-29T09:00:00+00:00", "WARN")]
    public void Parses_timestamp_and_level(string line, string expected, string level)
    {
        Assert.True(ErrorLogCounter.TryParse(line, out var ts, out var lv));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ts);
        Assert.Equal(level, lv.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("ERROR without a time")]
    [InlineData("    at Object.<anonymous> (/app/x.js:1:1)")]
    public void Lines_without_a_timestamp_do_not_parse(string line) => Assert.False(ErrorLogCounter.TryParse(line, out _, out _));

    [Fact]
    public void Counts_the_last_24_hours_across_today_yesterday_and_gz()
    {
        Write("api-2026-11-29.log", ["2026-11-29T09:00:00Z ERROR a", "2026-11-29T09:10:00Z INFO b", "2026-11-29T09:31:00Z ERROR future"]);
        Write("api-2026-11-28.log", ["2026-11-28T09:29:59Z ERROR too old", "2026-11-28T09:30:01Z ERROR in", "2026-11-28T20:00:00Z ERROR in"], gzip: true);
        Write("api-2026-11-27.log", ["2026-11-27T23:00:00Z ERROR old file"]);
        var c = ErrorLogCounter.Count(new LogsConfig { Directory = _dir }, Now, TimeSpan.FromHours(24));
        Assert.Equal(3, c.Errors);
        Assert.Equal(4, c.LinesInWindow);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero), c.LastError);
        Assert.Contains(Path.Combine(_dir, "api-2026-11-28.log.gz"), c.Files);
    }

    [Fact]
    public void Judges_against_the_thresholds_and_says_Unknown_without_logs()
    {
        Write("api-2026-11-29.log", Enumerable.Range(0, 120).Select(i => $"2026-11-29T0{i % 9}:00:{i % 60:00}Z ERROR e{i}"));
        var r = ErrorLogProbe.Judge(new LogsConfig { Directory = _dir }, new ThresholdsConfig(), Now, default);
        Assert.Equal(HealthStatus.Warning, r.Status);
        Assert.Equal(120, r.Value);
        var none = ErrorLogProbe.Judge(new LogsConfig { Directory = _dir, Api = "other-{date:yyyy-MM-dd}.log" }, new ThresholdsConfig(), Now, default);
        Assert.Equal(HealthStatus.Unknown, none.Status);
    }
}
