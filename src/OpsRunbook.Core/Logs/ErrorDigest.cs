using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.RegularExpressions;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health.Probes;
using OpsRunbook.Core.Hosting;

namespace OpsRunbook.Core.Logs;

/// <summary>One kind of error: the ERROR/FATAL lines whose messages are the same once values are masked.</summary>
public sealed record LogErrorGroup
{
    /// <summary>The message with numbers, ids, hex, IPs and quoted values masked ("Failed to process job media-processing:&lt;n&gt;: timeout after &lt;n&gt;ms").</summary>
    public required string Message { get; init; }
    /// <summary>ERROR or FATAL (the worst level seen for this message).</summary>
    public required string Level { get; init; }
    public long Count { get; init; }
    public DateTimeOffset FirstSeen { get; init; }
    public DateTimeOffset LastSeen { get; init; }
    /// <summary>The most recent line of the group, as logged.</summary>
    public required string Sample { get; init; }
    public IReadOnlyList<string> Files { get; init; } = [];
}

public sealed record LogErrorOptions
{
    public required LogReadOptions Read { get; init; }
    /// <summary>Only messages matching this regex (case-insensitive), e.g. "webhook".</summary>
    public string? Match { get; init; }
}

public sealed record LogErrorReport(IReadOnlyList<LogErrorGroup> Groups, long ErrorLines, long CandidateLines, LogReadSummary Read);

/// <summary>
/// Get-OpsLogError's engine: ERROR and FATAL lines of the API logs ("&lt;time&gt; &lt;LEVEL&gt; message", as the
/// Errors health family reads them) grouped by normalised message. Only lines with the bytes "ERROR"/"FATAL" are
/// found (<see cref="LogReader.Search"/>) and decoded, so the scan costs little more than reading the files.
/// </summary>
public static class ErrorDigest
{
    // Compiled (emitted at run time) rather than source-generated: emitted code is optimized from its first use,
    // where generated code starts unoptimized and waits for tiering, which in a busy pwsh can take many calls.
    private static readonly Regex ValuesRegex = new(@"""[^""]*""|'[^']*'|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)[0-9a-f]{12,}\b|\d+(?:\.\d+)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    private static Regex Values() => ValuesRegex;

    /// <summary>Masks the values of a message: quoted text becomes &lt;q&gt;, UUIDs &lt;uuid&gt;, IPs &lt;ip&gt;, hex &lt;hex&gt;, numbers &lt;n&gt;.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Normalize(string message) => Values().Replace(message, Mask).Trim();

    // Reads the match as a span (Match.Value would allocate a string at each use).
    private static readonly MatchEvaluator Mask = m =>
    {
        var v = m.ValueSpan;
        return v[0] switch
        {
            '"' or '\'' => "<q>",
            _ when v.Length == 36 && v[8] == '-' => "<uuid>",
            _ when v.Count('.') == 3 => "<ip>",
            _ when v.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || (v.Length >= 12 && v.ContainsAnyExceptInRange('0', '9')) => "<hex>",
            _ => "<n>",
        };
    };

    private sealed class Group
    {
        public long Count;
        public DateTimeOffset First = DateTimeOffset.MaxValue, Last = DateTimeOffset.MinValue;
        public string Sample = "";
        public bool Fatal;
        public readonly HashSet<string> Files = new(StringComparer.Ordinal);
    }

    /// <summary>Matched lines on their way to the grouping thread: the bytes one after another, and where each ends.</summary>
    private sealed class MatchBatch
    {
        public byte[] Bytes = new byte[64 * 1024];
        public readonly List<(int End, LogFileInfo File)> Lines = new();
        private int _used;

        public bool Full => Lines.Count >= 1024 || _used >= 48 * 1024;

        public void Add(ReadOnlySpan<byte> line, LogFileInfo file)
        {
            if (Bytes.Length - _used < line.Length) Array.Resize(ref Bytes, Math.Max(Bytes.Length * 2, _used + line.Length));
            line.CopyTo(Bytes.AsSpan(_used));
            _used += line.Length;
            Lines.Add((_used, file));
        }
    }

    private static readonly byte[][] Levels = ["ERROR"u8.ToArray(), "FATAL"u8.ToArray()];

    public static LogErrorReport Collect(LogErrorOptions o, IOpsReporter reporter, Action<OpsException> problem, CancellationToken ct)
    {
        Regex? match = null;
        if (!string.IsNullOrEmpty(o.Match))
        {
            try { match = new Regex(o.Match, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)); }
            catch (ArgumentException e) { throw new OpsException(ErrorIds.InvalidLogMatch, $"-Match '{o.Match}' is not a valid regex: {e.Message}", o.Match); }
        }
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        long errorLines = 0, candidates = 0;
        // Only lines holding the bytes ERROR or FATAL are handed out (a whole-buffer search on this thread); they are
        // copied in batches to a second thread that decodes, parses and groups them (a regex per line: the costly
        // part), in order, while the search goes on.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var queue = new BlockingCollection<MatchBatch>(boundedCapacity: 4);
        // Its own thread, not the pool's: the cmdlet's work already holds a pool thread, and on 2 cores a second pool
        // thread can take the pool's thread injection (0.5 s and more) to arrive while the search waits on a full queue.
        var worker = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var b in queue.GetConsumingEnumerable(stop.Token))
                {
                    var start = 0;
                    foreach (var (end, file) in b.Lines)
                    {
                        Handle(Encoding.UTF8.GetString(b.Bytes, start, end - start), file);
                        start = end;
                    }
                }
            }
            catch
            {
                stop.Cancel();
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var batch = new MatchBatch();
        LogReadSummary? read = null;
        Exception? searchFailed = null;
        try
        {
            read = LogReader.Search(o.Read with { Activity = "Collecting ERROR lines" }, Levels, (bytes, file) =>
            {
                batch.Add(bytes, file);
                if (!batch.Full) return;
                queue.Add(batch, stop.Token);
                batch = new MatchBatch();
            }, reporter, problem, ct);
            queue.Add(batch, stop.Token);
        }
        catch (Exception e)
        {
            searchFailed = e;
            stop.Cancel();
        }
        finally { queue.CompleteAdding(); }
        try { worker.GetAwaiter().GetResult(); }
        catch (Exception) when ((searchFailed is not null and not OperationCanceledException) || ct.IsCancellationRequested) { }   // it stopped because the search did
        if (searchFailed is not null) ExceptionDispatchInfo.Throw(searchFailed);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Handle(string line, LogFileInfo file)
        {
            candidates++;
            if (!ErrorLogCounter.TryParse(line, out var ts, out var level)) return;
            var fatal = level.SequenceEqual("FATAL");
            if (!fatal && !level.SequenceEqual("ERROR")) return;
            if (!o.Read.InWindow(ts)) return;
            var message = MessageOf(line);
            if (match is not null && !match.IsMatch(message)) return;
            errorLines++;
            var key = Normalize(message);
            if (!groups.TryGetValue(key, out var g)) groups[key] = g = new Group();
            g.Count++;
            g.Fatal |= fatal;
            if (ts < g.First) g.First = ts;
            if (ts >= g.Last) { g.Last = ts; g.Sample = line.Length > 2000 ? line[..2000] : line; }
            g.Files.Add(file.Path);
        }
        var list = groups.Select(kv => new LogErrorGroup
        {
            Message = kv.Key, Level = kv.Value.Fatal ? "FATAL" : "ERROR", Count = kv.Value.Count, FirstSeen = kv.Value.First, LastSeen = kv.Value.Last,
            Sample = kv.Value.Sample, Files = kv.Value.Files.Order(StringComparer.Ordinal).ToList(),
        }).OrderByDescending(g => g.Count).ThenByDescending(g => g.LastSeen).ToList();
        return new LogErrorReport(list, errorLines, candidates, read!);
    }

    /// <summary>The text after the time and the level ("... ERROR: message" gives "message").</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string MessageOf(string line)
    {
        foreach (var level in (ReadOnlySpan<string>)["ERROR", "FATAL"])
        {
            var i = line.IndexOf(level, StringComparison.Ordinal);
            if (i < 0) continue;
            var rest = line.AsSpan(i + level.Length).TrimStart(']').TrimStart(':').Trim();
            return rest.ToString();
        }
        return line;
    }
}
