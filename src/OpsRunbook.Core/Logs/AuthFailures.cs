using System.Text.RegularExpressions;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;

namespace OpsRunbook.Core.Logs;

/// <summary>A syslog line (auth.log, syslog): "Dec  2 10:25:48 host sshd[123]: message" or rsyslog's ISO 8601 time.</summary>
public sealed record SyslogLine(DateTimeOffset Time, string Host, string Program, int? Pid, string Message)
{
    /// <summary>Splits a syslog line. The year of a classic time comes from the file's last write (see <see cref="LogTimestamp"/>).</summary>
    public static bool TryParse(string line, DateTime fileLastWriteUtc, out SyslogLine? parsed)
    {
        parsed = null;
        var s = line.AsSpan();
        DateTimeOffset time;
        int rest;
        if (LogTimestamp.TrySyslog(s, fileLastWriteUtc, out time)) rest = 15;
        else if (s.Length > 20 && LogTimestamp.TryIso(s, out time)) { rest = s.IndexOf(' '); if (rest < 0) return false; }
        else return false;
        var tail = s[rest..].TrimStart();
        var sp = tail.IndexOf(' ');
        if (sp <= 0) return false;
        var host = tail[..sp].ToString();
        tail = tail[(sp + 1)..];
        var colon = tail.IndexOf(": ");
        if (colon <= 0) return false;
        var tag = tail[..colon];
        int? pid = null;
        var b = tag.IndexOf('[');
        if (b > 0 && tag[^1] == ']' && int.TryParse(tag[(b + 1)..^1], out var p)) { pid = p; tag = tag[..b]; }
        parsed = new SyslogLine(time, host, tag.ToString(), pid, tail[(colon + 2)..].ToString());
        return true;
    }
}

public enum AuthFailureOrigin { Api, Ssh }
public enum AuthFailureGroupBy { SourceIp, User }

/// <summary>One failed login, from the API's auth log or sshd.</summary>
public sealed record AuthFailureEvent(DateTimeOffset Time, AuthFailureOrigin Origin, string User, string SourceIp, string File);

/// <summary>Failed logins of one source IP (or one user) in the window.</summary>
public sealed record AuthFailureSummary
{
    public AuthFailureGroupBy GroupBy { get; init; }
    /// <summary>The source IP or the user name ("(unknown)" when the line names none).</summary>
    public required string Key { get; init; }
    public long Count { get; init; }
    /// <summary>The most failures within any -Window (for a user: of any one of its sources).</summary>
    public long MaxInWindow { get; init; }
    /// <summary>True when one source reached -Threshold failures within -Window.</summary>
    public bool BruteForce { get; init; }
    public DateTimeOffset FirstSeen { get; init; }
    public DateTimeOffset LastSeen { get; init; }
    /// <summary>The users tried (grouped by source) or the sources that tried (grouped by user).</summary>
    public IReadOnlyList<string> Users { get; init; } = [];
    public IReadOnlyList<string> SourceIps { get; init; } = [];
    /// <summary>Api, Ssh or both.</summary>
    public IReadOnlyList<AuthFailureOrigin> Origins { get; init; } = [];
}

public sealed record AuthFailureOptions
{
    /// <summary>The API's auth logs (failed logins logged as "authentication failed ... user X ... from IP").</summary>
    public IReadOnlyList<string> ApiPaths { get; init; } = [];
    /// <summary>sshd's auth.log (rotations come along).</summary>
    public IReadOnlyList<string> SshPaths { get; init; } = [];
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);
    public int Threshold { get; init; } = 10;
    public AuthFailureGroupBy GroupBy { get; init; } = AuthFailureGroupBy.SourceIp;
}

/// <summary>Get-OpsAuthFailure's engine: failed logins from both sources, grouped, with a sliding-window brute-force test.</summary>
public static partial class AuthFailures
{
    [GeneratedRegex(@"^Failed (?:password|publickey|keyboard-interactive(?:/pam)?|none|hostbased) for (?:invalid user )?(?<user>.*?) from (?<ip>[0-9a-fA-F:.]+) port \d+")]
    private static partial Regex SshFailed();

    [GeneratedRegex(@"authentication failed", RegexOptions.IgnoreCase)]
    private static partial Regex ApiFailed();

    [GeneratedRegex(@"\b(?:user(?:name)?|login|email)[=:]?\s*[""']?(?<user>[^\s""',;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ApiUser();

    [GeneratedRegex(@"\b(?:from|ip|client|remote_addr|source)[=:]?\s*[""']?(?<ip>\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})", RegexOptions.IgnoreCase)]
    private static partial Regex ApiIp();

    /// <summary>A failed login of sshd's, from an auth.log line; null for every other line.</summary>
    public static AuthFailureEvent? ParseSsh(string line, DateTime fileLastWriteUtc, string file)
    {
        if (!line.Contains("Failed ", StringComparison.Ordinal) || !SyslogLine.TryParse(line, fileLastWriteUtc, out var s) || s!.Program != "sshd") return null;
        var m = SshFailed().Match(s.Message);
        return m.Success ? new AuthFailureEvent(s.Time, AuthFailureOrigin.Ssh, m.Groups["user"].Value, m.Groups["ip"].Value, file) : null;
    }

    /// <summary>A failed login of the API's, from a "&lt;time&gt; &lt;LEVEL&gt; authentication failed for user X from IP" line.</summary>
    public static AuthFailureEvent? ParseApi(string line, DateTimeOffset? time, string file)
    {
        if (time is not { } t || !ApiFailed().IsMatch(line)) return null;
        var u = ApiUser().Match(line);
        var ip = ApiIp().Match(line);
        return new AuthFailureEvent(t, AuthFailureOrigin.Api, u.Success ? u.Groups["user"].Value : "(unknown)", ip.Success ? ip.Groups["ip"].Value : "(unknown)", file);
    }

    public static IReadOnlyList<AuthFailureSummary> Collect(AuthFailureOptions o, IOpsReporter reporter, Action<OpsException> problem, CancellationToken ct)
    {
        if (o.Window <= TimeSpan.Zero || o.Threshold < 1)
            throw new OpsException(ErrorIds.InvalidBruteForceThreshold, $"-Window must be positive and -Threshold at least 1 (got {o.Window} and {o.Threshold}).");
        var events = new List<AuthFailureEvent>();
        if (o.ApiPaths.Count > 0)
            foreach (var l in LogReader.ReadLines(new LogReadOptions { Paths = o.ApiPaths, Since = o.Since, Until = o.Until, Activity = "Reading API auth logs" }, reporter, problem, ct))
                if (ParseApi(l.Text, l.Timestamp, l.File) is { } e) events.Add(e);
        if (o.SshPaths.Count > 0)
        {
            var read = new LogReadOptions { Paths = o.SshPaths, Since = o.Since, Until = o.Until, Activity = "Reading auth.log" };
            using var set = LogReader.Open(read, problem);
            foreach (var cursor in set.Cursors(ct))
                while (cursor.TryReadLine(out var bytes))
                {
                    if (bytes.IndexOf("Failed "u8) < 0) continue;
                    if (ParseSsh(System.Text.Encoding.UTF8.GetString(bytes), cursor.File.LastWriteTimeUtc, cursor.File.Path) is { } e && read.InWindow(e.Time)) events.Add(e);
                }
        }
        return Summarize(events, o);
    }

    public static IReadOnlyList<AuthFailureSummary> Summarize(IEnumerable<AuthFailureEvent> events, AuthFailureOptions o)
    {
        var all = events.OrderBy(e => e.Time).ToList();
        // The brute-force test is per source: the most failures of one source within any window.
        var perSource = all.GroupBy(e => e.SourceIp).ToDictionary(g => g.Key, g => MaxInWindow(g.Select(e => e.Time).ToList(), o.Window));
        var groups = o.GroupBy == AuthFailureGroupBy.SourceIp ? all.GroupBy(e => e.SourceIp) : all.GroupBy(e => e.User);
        return groups.Select(g =>
        {
            var max = o.GroupBy == AuthFailureGroupBy.SourceIp ? perSource[g.Key] : g.Select(e => e.SourceIp).Distinct().Max(ip => perSource[ip]);
            return new AuthFailureSummary
            {
                GroupBy = o.GroupBy, Key = g.Key, Count = g.LongCount(), MaxInWindow = max,
                BruteForce = max >= o.Threshold && g.Any(e => e.SourceIp != "(unknown)"),
                FirstSeen = g.First().Time, LastSeen = g.Last().Time,
                Users = g.Select(e => e.User).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                SourceIps = g.Select(e => e.SourceIp).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                Origins = g.Select(e => e.Origin).Distinct().Order().ToList(),
            };
        }).OrderByDescending(s => s.BruteForce).ThenByDescending(s => s.Count).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>The most times within any span of <paramref name="window"/> (two pointers over the sorted times).</summary>
    public static long MaxInWindow(IReadOnlyList<DateTimeOffset> sorted, TimeSpan window)
    {
        long best = 0;
        for (int i = 0, j = 0; j < sorted.Count; j++)
        {
            while (sorted[j] - sorted[i] > window) i++;
            best = Math.Max(best, j - i + 1);
        }
        return best;
    }

    /// <summary>The paths of an environment: logs.auth (a {date:...} pattern or wildcard) and logs.systemAuth.</summary>
    public static (IReadOnlyList<string> Api, IReadOnlyList<string> Ssh) DefaultPaths(LogsConfig logs, DateTimeOffset from, DateTimeOffset to)
    {
        var api = string.IsNullOrWhiteSpace(logs.Auth) ? [] : logs.DatedFiles(logs.Auth, from, to);
        IReadOnlyList<string> ssh = string.IsNullOrWhiteSpace(logs.SystemAuth) ? [] : [logs.SystemAuth];
        return (api, ssh);
    }
}
