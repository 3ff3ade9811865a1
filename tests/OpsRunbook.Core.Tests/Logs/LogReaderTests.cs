using System.IO.Compression;
using System.Text;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Core.Tests.Logs;

public sealed class LogReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("opsrb-reader-").FullName;
    private readonly List<OpsException> _problems = new();

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    private string Write(string name, IEnumerable<string> lines, bool gzip = false, DateTime? mtime = null)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        var path = P(name);
        if (!gzip) File.WriteAllBytes(path, bytes);
        else
        {
            using var fs = File.Create(path);
            using var gz = new GZipStream(fs, CompressionLevel.Fastest);
            gz.Write(bytes);
        }
        if (mtime is { } t) File.SetLastWriteTimeUtc(path, t);
        return path;
    }

    private List<string> ScanAll(params string[] paths) => ScanAll(new LogReadOptions { Paths = paths });

    private List<string> ScanAll(LogReadOptions o)
    {
        var lines = new List<string>();
        LogReader.Scan(o, (l, _) => lines.Add(Encoding.UTF8.GetString(l)), NullReporter.Allow, _problems.Add, CancellationToken.None);
        return lines;
    }

    [Fact]
    public void Reads_a_live_log_with_its_rotations_oldest_first_plain_and_gzip()
    {
        var t0 = DateTime.UtcNow.AddHours(-3);
        Write("access.log.2.gz", ["a1", "a2"], gzip: true, mtime: t0);
        Write("access.log.1", ["b1"], mtime: t0.AddHours(1));
        Write("access.log", ["c1", "c2\r"], mtime: t0.AddHours(2));
        Write("access.log.bak", ["not a rotation"]);
        Write("other.log", ["x"]);
        Assert.Equal(["a1", "a2", "b1", "c1", "c2"], ScanAll(P("access.log")));
        Assert.Empty(_problems);
        // Without rotations, only the file named.
        Assert.Equal(["c1", "c2"], ScanAll(new LogReadOptions { Paths = [P("access.log")], IncludeRotated = false }));
    }

    [Fact]
    public void Expands_wildcards_and_reads_each_file_once()
    {
        Write("api-1.log", ["1"]);
        Write("api-2.log.gz", ["2"], gzip: true);
        var lines = ScanAll(P("api-*.log*"), P("api-1.log"));
        Assert.Equal(["1", "2"], lines.Order().ToList());
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_id_and_the_scan_goes_on()
    {
        Write("a.log", ["ok"]);
        var lines = ScanAll(P("nope.log"), P("a.log"), P("none-*.log"));
        Assert.Equal(["ok"], lines);
        Assert.Equal(2, _problems.Count(p => p.Id == ErrorIds.LogFileNotFound));
    }

    [Fact]
    public void Binary_garbage_is_skipped_with_a_warning_and_text_around_it_is_read()
    {
        var path = P("mixed.log");
        using (var fs = File.Create(path))
        {
            fs.Write("before\n"u8);
            var rng = new Random(1);
            var junk = new byte[20_000];
            rng.NextBytes(junk);
            for (var i = 0; i < junk.Length; i += 97) junk[i] = 0;   // NULs everywhere, as in a binary file
            fs.Write(junk);
            fs.Write("\nafter\n"u8);
        }
        var lines = ScanAll(path);
        Assert.Equal("before", lines[0]);
        Assert.Equal("after", lines[^1]);
        Assert.Single(_problems, p => p.Id == ErrorIds.LogBinaryData);
    }

    [Fact]
    public void A_truncated_gzip_member_gives_its_lines_up_to_the_break_and_an_error()
    {
        var full = Write("big.log.gz", Enumerable.Range(1, 200_000).Select(i => $"line {i}"), gzip: true);
        var bytes = File.ReadAllBytes(full);
        File.WriteAllBytes(full, bytes[..(bytes.Length / 2)]);
        var lines = ScanAll(full);
        Assert.InRange(lines.Count, 1000, 199_999);
        Assert.Equal("line 1", lines[0]);
        Assert.Equal(lines.Count - 1, lines.Take(lines.Count - 1).Select((l, i) => (l, i)).Count(x => x.l == $"line {x.i + 1}"));
        Assert.Single(_problems, p => p.Id == ErrorIds.LogGzipCorrupt);
        // An intact gzip gives no such error.
        _problems.Clear();
        Write("ok.log.gz", ["x"], gzip: true);
        Assert.Equal(["x"], ScanAll(P("ok.log.gz")));
        Assert.Empty(_problems);
    }

    [Fact]
    public void A_line_of_one_megabyte_is_skipped_and_counted_and_the_next_line_is_read()
    {
        var path = Write("long.log", ["first", new string('x', 1 << 20), "second", new string('y', 70_000), "third"]);
        var summary = LogReader.Scan(new LogReadOptions { Paths = [path] }, (_, _) => { }, NullReporter.Allow, _problems.Add, CancellationToken.None);
        Assert.Equal(["first", "second", "third"], ScanAll(path));
        Assert.Equal(2, summary.OversizedLines);
        Assert.Equal(3, summary.Lines);
        Assert.Contains(_problems, p => p.Id == ErrorIds.LogLineTooLong);
    }

    [Fact]
    public void A_file_rotated_during_the_scan_is_read_to_its_end_once_and_the_rotation_is_reported()
    {
        var live = Write("app.log", Enumerable.Range(1, 50_000).Select(i => $"old {i}"));
        var lines = new List<string>();
        using (var set = LogReader.Open(new LogReadOptions { Paths = [live] }, _problems.Add))
        {
            foreach (var cursor in set.Cursors(CancellationToken.None))
            {
                var first = true;
                while (cursor.TryReadLine(out var l))
                {
                    lines.Add(Encoding.UTF8.GetString(l));
                    if (!first) continue;
                    first = false;
                    File.Move(live, live + ".1");                 // logrotate: rename...
                    File.WriteAllText(live, "new 1\n");           // ...and recreate
                    File.AppendAllText(live + ".1", "old 50001\n"); // the writer still has the old file open
                }
            }
        }
        Assert.Equal(50_001, lines.Count);
        Assert.Equal("old 50001", lines[^1]);
        Assert.DoesNotContain("new 1", lines);
        Assert.Single(_problems, p => p.Id == ErrorIds.LogFileRotated);
    }

    [Fact]
    public void Since_skips_old_files_unopened_and_ReadLines_filters_lines_by_time_with_continuations()
    {
        var now = DateTimeOffset.UtcNow;
        Write("old.log", [$"{now.AddDays(-3):O} ERROR ancient"], mtime: now.AddDays(-3).UtcDateTime);
        Write("cur.log", [
            $"{now.AddHours(-5):yyyy-MM-dd HH:mm:ss} ERROR too old", "   at stack (old)",
            $"{now.AddMinutes(-5):yyyy-MM-ddTHH:mm:ss.fffZ} ERROR recent", "   at stack (recent)",
        ]);
        var o = new LogReadOptions { Paths = [P("*.log")], Since = now.AddHours(-1) };
        var lines = LogReader.ReadLines(o, NullReporter.Allow, _problems.Add, CancellationToken.None).ToList();
        Assert.Equal(["ERROR recent", "at stack (recent)"], lines.Select(l => l.Text[(l.Text.IndexOf(' ') + 1)..].Trim()).ToList());
        Assert.NotNull(lines[0].Timestamp);
        Assert.Null(lines[1].Timestamp);
        Assert.Equal(3, lines[0].LineNumber);
        using var set = LogReader.Open(o, _ => { });
        Assert.Single(set.Files);
    }

    [Fact]
    public void Since_after_Until_is_refused()
    {
        var e = Assert.Throws<OpsException>(() => LogReader.Open(new LogReadOptions { Paths = [_dir], Since = DateTimeOffset.UtcNow, Until = DateTimeOffset.UtcNow.AddHours(-1) }, _ => { }));
        Assert.Equal(ErrorIds.InvalidTimeWindow, e.Id);
    }

    [Fact]
    public void Cancellation_stops_a_scan()
    {
        var path = Write("c.log", Enumerable.Range(1, 10).Select(i => $"l{i}"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => LogReader.Scan(new LogReadOptions { Paths = [path] }, (_, _) => { }, NullReporter.Allow, _ => { }, cts.Token));
    }

    [Theory]
    [InlineData("2026-12-02T10:25:48.123Z INFO x", "2026-12-02T10:25:48.123Z")]
    [InlineData("[2026-12-02 10:25:48,500] ERROR x", "2026-12-02T10:25:48.5Z")]
    [InlineData("2026-12-02T11:25:48.123456+01:00 host sshd[1]: x", "2026-12-02T10:25:48.123456Z")]
    [InlineData("::1 - - [02/Dec/2026:10:25:48 +0100] \"GET / HTTP/1.1\" 200 3", "2026-12-02T09:25:48Z")]
    public void Finds_the_time_of_a_line(string line, string expected)
    {
        Assert.True(LogTimestamp.TryParse(line, DateTime.UtcNow, out var t));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), t);
    }

    [Fact]
    public void Syslog_times_take_the_year_that_puts_them_before_the_file_write()
    {
        var written = new DateTime(2027, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        Assert.True(LogTimestamp.TryParse("Dec 31 23:00:00 host sshd[9]: Failed password", written, out var t));
        Assert.Equal(2026, t.ToLocalTime().Year);
        Assert.True(LogTimestamp.TryParse("Jan  1 10:00:00 host sshd[9]: x", written, out t));
        Assert.Equal(2027, t.ToLocalTime().Year);
        Assert.False(LogTimestamp.TryParse("no time here", written, out _));
    }
}
