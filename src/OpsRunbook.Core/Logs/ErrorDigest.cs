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
/// Errors health family reads them) grouped by normalised message. Lines without "ERROR"/"FATAL" bytes are
/// skipped before they are decoded, so the scan costs little more than reading the files.
/// </summary>
public static partial class ErrorDigest
{
    [GeneratedRegex(@"""[^""]*""|'[^']*'|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)[0-9a-f]{12,}\b|\d+(?:\.\d+)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Values();

    /// <summary>Masks the values of a message: quoted text becomes &lt;q&gt;, UUIDs &lt;uuid&gt;, IPs &lt;ip&gt;, hex &lt;hex&gt;, numbers &lt;n&gt;.</summary>
    public static string Normalize(string message) => Values().Replace(message, m => m.Value[0] switch
    {
        '"' or '\'' => "<q>",
        _ when m.Length == 36 && m.Value[8] == '-' => "<uuid>",
        _ when m.Value.Count(c => c == '.') == 3 => "<ip>",
        _ when m.Value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || (m.Length >= 12 && !m.Value.All(char.IsAsciiDigit)) => "<hex>",
        _ => "<n>",
    }).Trim();

    private sealed class Group
    {
        public long Count;
        public DateTimeOffset First = DateTimeOffset.MaxValue, Last = DateTimeOffset.MinValue;
        public string Sample = "";
        public bool Fatal;
        public readonly HashSet<string> Files = new(StringComparer.Ordinal);
    }

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
        var read = LogReader.Scan(o.Read with { Activity = "Collecting ERROR lines" }, (bytes, file) =>
        {
            if (bytes.IndexOf("ERROR"u8) < 0 && bytes.IndexOf("FATAL"u8) < 0) return;
            candidates++;
            var line = Encoding.UTF8.GetString(bytes);
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
        }, reporter, problem, ct);
        var list = groups.Select(kv => new LogErrorGroup
        {
            Message = kv.Key, Level = kv.Value.Fatal ? "FATAL" : "ERROR", Count = kv.Value.Count, FirstSeen = kv.Value.First, LastSeen = kv.Value.Last,
            Sample = kv.Value.Sample, Files = kv.Value.Files.Order(StringComparer.Ordinal).ToList(),
        }).OrderByDescending(g => g.Count).ThenByDescending(g => g.LastSeen).ToList();
        return new LogErrorReport(list, errorLines, candidates, read);
    }

    /// <summary>The text after the time and the level ("... ERROR: message" gives "message").</summary>
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
