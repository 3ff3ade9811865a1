using System.Globalization;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;
using StackExchange.Redis;

namespace OpsRunbook.Core.Performance;

/// <summary>Redis INFO as a typed object: the runbook's `redis-cli info stats` with the figures named.</summary>
public sealed record RedisInfo
{
    public string Endpoint { get; init; } = "";
    public string? Version { get; init; }
    public TimeSpan? Uptime { get; init; }
    public double? UptimeMs => Uptime?.TotalMilliseconds;
    /// <summary>instantaneous_ops_per_sec.</summary>
    public double? OpsPerSecond { get; init; }
    public long? TotalCommands { get; init; }
    public long? KeyspaceHits { get; init; }
    public long? KeyspaceMisses { get; init; }
    /// <summary>hits / (hits + misses), 0..1; null before the first lookup.</summary>
    public double? HitRatio { get; init; }
    public long? EvictedKeys { get; init; }
    public long? ExpiredKeys { get; init; }
    public long? UsedMemoryBytes { get; init; }
    public long? UsedMemoryRssBytes { get; init; }
    public long? UsedMemoryPeakBytes { get; init; }
    /// <summary>maxmemory; 0 means no limit.</summary>
    public long? MaxMemoryBytes { get; init; }
    public double? FragmentationRatio { get; init; }
    public long? ConnectedClients { get; init; }
    public long? BlockedClients { get; init; }
    public long? Keys { get; init; }
    /// <summary>The sections asked for.</summary>
    public string[] Sections { get; init; } = [];
    /// <summary>Every field INFO returned, by section (lower case) then field name, as text.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Fields { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary>One SLOWLOG entry, with the command's argument values masked.</summary>
public sealed record RedisSlowLogEntry
{
    public long Id { get; init; }
    public DateTimeOffset Time { get; init; }
    public TimeSpan Duration { get; init; }
    public double DurationMs => Duration.TotalMilliseconds;
    /// <summary>The command with every argument value replaced by '?' (container subcommands such as CONFIG GET are kept).</summary>
    public string Command { get; init; } = "";
    public string CommandName { get; init; } = "";
    public int ArgumentCount { get; init; }
    public string? Client { get; init; }
    public string? ClientName { get; init; }
    public string Endpoint { get; init; } = "";
}

public static class RedisInfoReader
{
    /// <summary>INFO sections Redis 7 knows (plus all/default/everything).</summary>
    public static readonly string[] KnownSections =
        ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace", "all", "default", "everything"];

    /// <summary>Parses INFO text: '# Section' headers and 'field:value' lines.</summary>
    public static Dictionary<string, Dictionary<string, string>> ParseInfo(string text)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        var section = result["(none)"] = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (line[0] == '#')
            {
                var name = line.TrimStart('#', ' ').Trim().ToLowerInvariant();
                if (!result.TryGetValue(name, out section!)) section = result[name] = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon > 0) section[line[..colon]] = line[(colon + 1)..];
        }
        if (result["(none)"].Count == 0) result.Remove("(none)");
        return result;
    }

    public static RedisInfo FromInfo(string text, string endpoint, string[] sections, DateTimeOffset now)
    {
        var parsed = ParseInfo(text);
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in parsed.Values) foreach (var kv in s) all.TryAdd(kv.Key, kv.Value);
        long? L(string k) => all.TryGetValue(k, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        double? D(string k) => all.TryGetValue(k, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;
        var hits = L("keyspace_hits"); var misses = L("keyspace_misses");
        long? keys = null;
        if (parsed.TryGetValue("keyspace", out var ks))
            keys = ks.Values.Sum(v => v.Split(',').Select(p => p.Split('=')).Where(p => p.Length == 2 && p[0] == "keys")
                .Sum(p => long.Parse(p[1], CultureInfo.InvariantCulture)));
        return new RedisInfo
        {
            Endpoint = endpoint, Version = all.GetValueOrDefault("redis_version"),
            Uptime = L("uptime_in_seconds") is { } up ? TimeSpan.FromSeconds(up) : null,
            OpsPerSecond = D("instantaneous_ops_per_sec"), TotalCommands = L("total_commands_processed"),
            KeyspaceHits = hits, KeyspaceMisses = misses,
            HitRatio = hits is { } h && misses is { } m && h + m > 0 ? (double)h / (h + m) : null,
            EvictedKeys = L("evicted_keys"), ExpiredKeys = L("expired_keys"),
            UsedMemoryBytes = L("used_memory"), UsedMemoryRssBytes = L("used_memory_rss"), UsedMemoryPeakBytes = L("used_memory_peak"),
            MaxMemoryBytes = L("maxmemory"), FragmentationRatio = D("mem_fragmentation_ratio"),
            ConnectedClients = L("connected_clients"), BlockedClients = L("blocked_clients"), Keys = keys,
            Sections = sections,
            Fields = parsed.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, string>)kv.Value, StringComparer.OrdinalIgnoreCase),
            Timestamp = now,
        };
    }

    /// <summary>INFO for each section asked (none: stats, memory, clients, server, keyspace).</summary>
    public static async Task<RedisInfo> ReadAsync(RedisConfig cfg, string[]? sections, TimeSpan timeout, CancellationToken ct)
    {
        var asked = sections is { Length: > 0 } ? sections.Select(s => s.ToLowerInvariant()).Distinct().ToArray() : ["server", "clients", "memory", "stats", "keyspace"];
        await using var mux = await RedisConnector.ConnectAsync(cfg, timeout, ct, o => o.TieBreaker = "").ConfigureAwait(false); // no tie-breaker GET: it would count as a keyspace miss
        var endpoint = RedisConnector.Describe(cfg);
        var db = mux.GetDatabase();
        var parts = new List<string>();
        foreach (var s in asked)
            parts.Add((await RedisConnector.Bounded(db.ExecuteAsync("INFO", s), timeout, endpoint, ct).ConfigureAwait(false)).ToString());
        return FromInfo(string.Join("\n", parts), endpoint, asked, DateTimeOffset.UtcNow);
    }

    /// <summary>SLOWLOG GET n, newest first, arguments masked.</summary>
    public static async Task<IReadOnlyList<RedisSlowLogEntry>> SlowLogAsync(RedisConfig cfg, int first, TimeSpan timeout, CancellationToken ct)
    {
        await using var mux = await RedisConnector.ConnectAsync(cfg, timeout, ct, o => o.TieBreaker = "").ConfigureAwait(false); // no tie-breaker GET: it would count as a keyspace miss
        var endpoint = RedisConnector.Describe(cfg);
        var reply = await RedisConnector.Bounded(mux.GetDatabase().ExecuteAsync("SLOWLOG", "GET", first), timeout, endpoint, ct).ConfigureAwait(false);
        var rows = new List<RedisSlowLogEntry>();
        foreach (var e in (RedisResult[])reply!)
        {
            var f = (RedisResult[])e!;
            var args = ((RedisResult[])f[3]!).Select(a => a.ToString() ?? "").ToArray();
            var (name, masked) = Mask(args);
            rows.Add(new RedisSlowLogEntry
            {
                Id = (long)f[0], Time = DateTimeOffset.FromUnixTimeSeconds((long)f[1]), Duration = TimeSpan.FromTicks((long)f[2] * 10),
                CommandName = name, Command = masked, ArgumentCount = Math.Max(0, args.Length - 1),
                Client = f.Length > 4 ? f[4].ToString() : null, ClientName = f.Length > 5 && f[5].ToString() is { Length: > 0 } n ? n : null,
                Endpoint = endpoint,
            });
        }
        return rows;
    }

    private static readonly HashSet<string> Containers = new(StringComparer.OrdinalIgnoreCase)
        { "CONFIG", "CLIENT", "CLUSTER", "COMMAND", "DEBUG", "MEMORY", "MODULE", "OBJECT", "SCRIPT", "SLOWLOG", "XINFO", "XGROUP", "ACL", "FUNCTION", "LATENCY", "PUBSUB" };

    /// <summary>The command name (and container subcommand) kept, every other argument shown as '?'. Redis's own "... (N more arguments)" marker is kept.</summary>
    public static (string Name, string Masked) Mask(IReadOnlyList<string> args)
    {
        if (args.Count == 0) return ("", "");
        var name = args[0].ToUpperInvariant();
        var parts = new List<string> { name };
        var start = 1;
        if (Containers.Contains(name) && args.Count > 1 && args[1].Length > 0 && args[1].All(c => char.IsLetter(c) || c == '-'))
        {
            var sub = args[1].ToUpperInvariant();
            parts.Add(sub);
            name += " " + sub;
            start = 2;
        }
        for (var i = start; i < args.Count; i++)
            parts.Add(args[i].StartsWith("... (", StringComparison.Ordinal) && args[i].EndsWith("more arguments)", StringComparison.Ordinal) ? args[i] : "?");
        return (name, string.Join(' ', parts));
    }
}
