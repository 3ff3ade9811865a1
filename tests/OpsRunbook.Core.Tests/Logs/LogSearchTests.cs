using System.Text;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Core.Tests.Logs;

/// <summary>
/// LogReader.Search (the whole-buffer search behind Get-OpsLogError) must hand out exactly the lines, counts and
/// problems that LogReader.Scan plus a per-line IndexOf would, wherever the lines fall in the read buffer.
/// </summary>
public sealed class LogSearchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("opsrb-search-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly byte[][] Levels = ["ERROR"u8.ToArray(), "FATAL"u8.ToArray()];

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static (List<string> Lines, LogReadSummary Summary, List<string> Problems) Search(string path, byte[][] needles, int buffer = 1 << 20)
    {
        var lines = new List<string>();
        var problems = new List<string>();
        var o = new LogReadOptions { Paths = [path], IncludeRotated = false, BufferBytes = buffer };
        var s = LogReader.Search(o, needles, (l, _) => lines.Add(Encoding.UTF8.GetString(l)), NullReporter.Allow, p => problems.Add($"{p.Id}: {p.Message}"), CancellationToken.None);
        return (lines, s, problems);
    }

    /// <summary>The old way: every line split out, then IndexOf per line.</summary>
    private static (List<string> Lines, LogReadSummary Summary, List<string> Problems) ScanAndFilter(string path, byte[][] needles, int buffer = 1 << 20)
    {
        var lines = new List<string>();
        var problems = new List<string>();
        var o = new LogReadOptions { Paths = [path], IncludeRotated = false, BufferBytes = buffer };
        var s = LogReader.Scan(o, (l, _) =>
        {
            foreach (var n in needles)
                if (l.IndexOf(n) >= 0) { lines.Add(Encoding.UTF8.GetString(l)); return; }
        }, NullReporter.Allow, p => problems.Add($"{p.Id}: {p.Message}"), CancellationToken.None);
        return (lines, s, problems);
    }

    private static void AssertSame((List<string> Lines, LogReadSummary Summary, List<string> Problems) expected, (List<string> Lines, LogReadSummary Summary, List<string> Problems) actual)
    {
        Assert.Equal(expected.Lines, actual.Lines);
        Assert.Equal(expected.Problems, actual.Problems);
        Assert.Equal((expected.Summary.Lines, expected.Summary.OversizedLines, expected.Summary.BinaryLines, expected.Summary.BytesRead),
            (actual.Summary.Lines, actual.Summary.OversizedLines, actual.Summary.BinaryLines, actual.Summary.BytesRead));
    }

    [Theory]
    [InlineData(512)]
    [InlineData(1024)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public void Finds_the_same_lines_counts_and_problems_as_a_per_line_scan_on_random_logs(int buffer)
    {
        string[] texts =
        [
            "2026-12-02T10:00:00.000Z INFO GET /api/search 200 12ms", "2026-12-02T10:00:01.000Z ERROR Failed to process job 7",
            "ERROR at the start", "at the end ERROR", "ERRORERROR twice", "FATAL worker crashed", "both FATAL and ERROR",
            "error in lower case", "Error in title case", "ERRO R split", "ERRO", "RROR", "é ERROR ü 日本 🙂", "ÉRROR not it", "日本語 only",
            "", "\r", " ", "\t", "x",
        ];
        for (var seed = 1; seed <= 40; seed++)
        {
            var rng = new Random(seed * 7919 + buffer);
            using var ms = new MemoryStream();
            var lines = rng.Next(1, 400);
            for (var i = 0; i < lines; i++)
            {
                var kind = rng.Next(100);
                byte[] line = kind switch
                {
                    < 3 => Encoding.UTF8.GetBytes(new string('x', rng.Next(200, 3000)) + (rng.Next(2) == 0 ? " ERROR" : "")),   // maybe too long
                    < 5 => [.. Encoding.UTF8.GetBytes("bin "), 0, .. Encoding.UTF8.GetBytes(rng.Next(2) == 0 ? " ERROR" : " x")],   // NUL
                    < 8 => Encoding.UTF8.GetBytes(new string('y', rng.Next(0, 300)) + "ERROR" + new string('z', rng.Next(0, 300))),
                    _ => Encoding.UTF8.GetBytes(texts[rng.Next(texts.Length)]),
                };
                ms.Write(line);
                var last = i == lines - 1;
                if (last && rng.Next(3) == 0) break;   // the last line without a newline
                ms.Write(rng.Next(6) == 0 ? "\r\n"u8 : "\n"u8);
            }
            var path = WriteBytes($"random-{buffer}-{seed}.log", ms.ToArray());
            AssertSame(ScanAndFilter(path, Levels, buffer), Search(path, Levels, buffer));
            AssertSame(ScanAndFilter(path, [Encoding.UTF8.GetBytes("日本")], buffer), Search(path, [Encoding.UTF8.GetBytes("日本")], buffer));
        }
    }

    [Fact]
    public void A_match_across_the_end_of_a_buffer_fill_is_found_once()
    {
        // With a 512-byte buffer, "ERROR" starts at offsets 500-515 of the file: before, across and after the end of
        // the first read.
        for (var offset = 500; offset <= 515; offset++)
        {
            var text = string.Concat(Enumerable.Repeat(new string('a', 99) + "\n", 5)) + new string('b', offset - 500) + "ERROR tail\nnext line\n";
            var path = WriteBytes($"edge-{offset}.log", Encoding.UTF8.GetBytes(text));
            var r = Search(path, Levels, 512);
            Assert.Equal([new string('b', offset - 500) + "ERROR tail"], r.Lines);
            Assert.Equal(7, r.Summary.Lines);
            Assert.Empty(r.Problems);
        }
    }

    [Fact]
    public void Matches_at_the_very_start_and_end_of_the_file_and_of_a_buffer()
    {
        var path = WriteBytes("ends.log", "ERROR first\nmiddle\nlast ERROR"u8.ToArray());
        Assert.Equal(["ERROR first", "last ERROR"], Search(path, Levels).Lines);
        Assert.Equal(["ERROR first", "last ERROR"], Search(path, Levels, 512).Lines);
        // A line that exactly fills the buffer's complete part, then a match in the next fill.
        var exact = WriteBytes("exact.log", Encoding.UTF8.GetBytes(new string('q', 255) + "\n" + new string('r', 255) + "\nERROR" + "\n"));
        Assert.Equal(["ERROR"], Search(exact, Levels, 512).Lines);
    }

    [Fact]
    public void CRLF_lines_lose_their_CR_and_a_last_line_without_newline_is_read()
    {
        var path = WriteBytes("crlf.log", "a\r\n2026-12-02 ERROR one\r\n\r\n\r\nb\r\nFATAL two"u8.ToArray());
        var r = Search(path, Levels);
        Assert.Equal(["2026-12-02 ERROR one", "FATAL two"], r.Lines);
        Assert.Equal(4, r.Summary.Lines);   // empty lines and lone CRs are not lines, as in Scan
        AssertSame(ScanAndFilter(path, Levels), r);
    }

    [Fact]
    public void Search_is_case_sensitive_and_exact_on_bytes_like_the_old_filter()
    {
        var path = WriteBytes("case.log", Encoding.UTF8.GetBytes("error\nError\nERROR\neRROR\nÉRROR\nERRORS\nxERRORx\n"));
        Assert.Equal(["ERROR", "ERRORS", "xERRORx"], Search(path, Levels).Lines);
        // Non-ASCII needles are UTF-8 bytes: "Fehler ä" matches only its own spelling.
        var de = WriteBytes("de.log", Encoding.UTF8.GetBytes("Fehler ä 1\nFehler a 2\nFEHLER Ä 3\nxx Fehler ä\n"));
        Assert.Equal(["Fehler ä 1", "xx Fehler ä"], Search(de, [Encoding.UTF8.GetBytes("Fehler ä")]).Lines);
    }

    [Fact]
    public void Too_long_and_binary_lines_are_skipped_and_reported_at_the_same_line_numbers()
    {
        var text = "ok ERROR 1\n" + new string('x', 70_000) + " ERROR long\nbin \0 ERROR\n" + new string('y', 1 << 20) + "\nERROR after\n";
        var path = WriteBytes("anomalies.log", Encoding.UTF8.GetBytes(text));
        var r = Search(path, Levels);
        Assert.Equal(["ok ERROR 1", "ERROR after"], r.Lines);
        Assert.Equal((2L, 2L, 1L), (r.Summary.Lines, r.Summary.OversizedLines, r.Summary.BinaryLines));
        Assert.Contains(r.Problems, p => p.StartsWith(ErrorIds.LogLineTooLong + ":") && p.Contains("line 2 "));
        Assert.Contains(r.Problems, p => p.StartsWith(ErrorIds.LogBinaryData + ":") && p.Contains("line 3 "));
        AssertSame(ScanAndFilter(path, Levels), r);
    }

    [Fact]
    public void Gzip_files_and_several_files_are_searched_like_plain_ones()
    {
        var plain = WriteBytes("api.log.1", Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(1, 50_000).Select(i => i % 50 == 0 ? $"t ERROR job {i}" : $"t INFO {i}")) + "\n"));
        using (var fs = File.Create(Path.Combine(_dir, "api.log.2.gz")))
        using (var gz = new System.IO.Compression.GZipStream(fs, System.IO.Compression.CompressionLevel.Fastest))
            gz.Write(File.ReadAllBytes(plain));
        File.WriteAllText(Path.Combine(_dir, "api.log"), "FATAL now\n");
        var now = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "api.log.2.gz"), now.AddHours(-2));
        File.SetLastWriteTimeUtc(plain, now.AddHours(-1));
        var lines = new List<string>();
        var o = new LogReadOptions { Paths = [Path.Combine(_dir, "api.log")] };
        var s = LogReader.Search(o, Levels, (l, f) => lines.Add(Path.GetFileName(f.Path) + ": " + Encoding.UTF8.GetString(l)), NullReporter.Allow, _ => Assert.Fail("no problem expected"), CancellationToken.None);
        Assert.Equal(2001, lines.Count);
        Assert.Equal("api.log.2.gz: t ERROR job 50", lines[0]);
        Assert.Equal("api.log: FATAL now", lines[^1]);
        Assert.Equal(100_001, s.Lines);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("\n", 0)]
    [InlineData("\r\n", 0)]
    [InlineData("\r", 0)]
    [InlineData("a", 1)]
    [InlineData("a\n", 1)]
    [InlineData("a\n\n\nb\n", 2)]
    [InlineData("\n\r\n\r\n\na\r\n\r", 1)]
    [InlineData("a\n\r", 1)]
    [InlineData("a\n\r\r", 2)]
    public void Counts_non_empty_lines_in_bulk_as_the_line_reader_does(string text, long expected) =>
        Assert.Equal(expected, LogFileCursor.NonEmptyLines(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Needles_must_be_non_empty_and_single_line()
    {
        Assert.Throws<ArgumentException>(() => new LogNeedles([]));
        Assert.Throws<ArgumentException>(() => new LogNeedles([[]]));
        Assert.Throws<ArgumentException>(() => new LogNeedles(["a\nb"u8.ToArray()]));
    }

    [Fact]
    public void ErrorDigest_counts_what_a_per_line_count_finds()
    {
        var t = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var text = string.Join("\n", Enumerable.Range(0, 30_000).Select(i =>
        {
            var s = t.AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
            return i % 50 == 0 ? $"{s} ERROR Failed to process job media-processing:{i}: timeout after 30000ms"
                : i % 333 == 0 ? $"{s} FATAL Worker crashed at 0x7f3a{i}ff"
                : i % 7 == 0 ? $"{s} WARN message mentions ERROR in passing {i}" : $"{s} INFO GET /api/search 200 {i % 400}ms";
        }));
        var path = WriteBytes("api.log", Encoding.UTF8.GetBytes(text));
        var r = ErrorDigest.Collect(new LogErrorOptions { Read = new LogReadOptions { Paths = [path], BufferBytes = 4096 } }, NullReporter.Allow, _ => Assert.Fail("no problem expected"), CancellationToken.None);
        var lines = File.ReadAllLines(path);
        Assert.Equal(lines.Count(l => l.Split(' ')[1] is "ERROR" or "FATAL"), r.ErrorLines);
        Assert.Equal(lines.Count(l => l.Contains("ERROR") || l.Contains("FATAL")), r.CandidateLines);
        var job = Assert.Single(r.Groups, g => g.Level == "ERROR");
        Assert.Equal("Failed to process job media-processing:<n>: timeout after <n>ms", job.Message);
        Assert.Equal(600, job.Count);
        Assert.Equal(t, job.FirstSeen);
        Assert.Equal(t.AddSeconds(29_950), job.LastSeen);
        Assert.Equal(30_000, r.Read.Lines);
    }

    [Fact]
    public void ErrorDigest_stops_on_cancellation_and_passes_a_failure_of_its_grouping_thread_on()
    {
        var path = WriteBytes("fail.log", Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(0, 5000).Select(i =>
            $"2026-12-02T10:00:00.000Z ERROR {new string('a', 40)}! job {i}"))));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ErrorDigest.Collect(new LogErrorOptions { Read = new LogReadOptions { Paths = [path] } }, NullReporter.Allow, _ => { }, cts.Token));
        // A -Match regex that runs past its 1 s timeout fails the call (it did before the grouping moved to a thread).
        Assert.Throws<System.Text.RegularExpressions.RegexMatchTimeoutException>(() => ErrorDigest.Collect(
            new LogErrorOptions { Read = new LogReadOptions { Paths = [path] }, Match = "^(a+)+$" }, NullReporter.Allow, _ => { }, CancellationToken.None));
    }
}
