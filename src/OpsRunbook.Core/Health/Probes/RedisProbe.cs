using System.Diagnostics;
using System.Globalization;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Text;
using StackExchange.Redis;

namespace OpsRunbook.Core.Health.Probes;

/// <summary>The Redis family: ping latency, instantaneous_ops_per_sec, used_memory against maxmemory, connected and rejected clients.</summary>
public static class RedisProbe
{
    public const string Check = "Redis";

    public static Task<IReadOnlyList<HealthCheckResult>> CheckAsync(EnvironmentConfig env, CancellationToken ct)
    {
        var cfg = env.Require(e => e.Redis, "redis");
        return HealthProbe.ManyAsync(Check, RedisConnector.Describe(cfg), t => ProbeAsync(cfg, env.Thresholds, t), ct);
    }

    private static async Task<IReadOnlyList<HealthCheckResult>> ProbeAsync(RedisConfig cfg, ThresholdsConfig th, CancellationToken ct)
    {
        var target = RedisConnector.Describe(cfg);
        var sw = Stopwatch.StartNew();
        return await HealthRunScope.WithRedisAsync(cfg, mux => ProbeAsync(mux, target, sw, th, ct), ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<HealthCheckResult>> ProbeAsync(ConnectionMultiplexer mux, string target, Stopwatch sw, ThresholdsConfig th, CancellationToken ct)
    {
        var server = mux.GetServers()[0];
        var ping = await server.PingAsync().WaitAsync(ct).ConfigureAwait(false);
        var afterPing = sw.Elapsed;
        var info = await server.InfoRawAsync().WaitAsync(ct).ConfigureAwait(false);
        var elapsed = sw.Elapsed;
        var v = ParseInfo(info ?? "");

        double Num(string key) => v.TryGetValue(key, out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;

        var pingMs = ping.TotalMilliseconds;
        var latency = new HealthCheckResult
        {
            Target = $"{target}/latency", Duration = afterPing,
            Status = HealthProbe.Judge(pingMs, th.LatencyWarnMs, null), Value = Math.Round(pingMs, 3), Unit = "ms",
            Threshold = HealthProbe.ThresholdText(th.LatencyWarnMs, null, " ms"), WarnAt = th.LatencyWarnMs,
            Message = $"PING in {HealthProbe.F(pingMs, "0.###")} ms; Redis {(v.TryGetValue("redis_version", out var ver) ? ver : "?")}, up {TimeSpan.FromSeconds(Num("uptime_in_seconds")):d\\.hh\\:mm\\:ss}.",
        };

        var used = Num("used_memory");
        var max = Num("maxmemory");
        var memPct = max > 0 ? Math.Round(used * 100 / max, 1) : 0;
        var memory = new HealthCheckResult
        {
            Target = $"{target}/memory", Duration = elapsed,
            Status = max > 0 ? HealthProbe.Judge(memPct, th.RedisMemoryWarnPercent, th.RedisMemoryCriticalPercent) : HealthStatus.Healthy,
            Value = max > 0 ? memPct : null, Unit = "%",
            Threshold = HealthProbe.ThresholdText(th.RedisMemoryWarnPercent, th.RedisMemoryCriticalPercent, " %") + " of maxmemory",
            WarnAt = th.RedisMemoryWarnPercent, CriticalAt = th.RedisMemoryCriticalPercent,
            Message = max > 0
                ? $"{ByteSize.Format(used)} used of maxmemory {ByteSize.Format(max)} ({HealthProbe.F(memPct)} %), policy {(v.TryGetValue("maxmemory_policy", out var pol) ? pol : "?")}."
                : $"{ByteSize.Format(used)} used; no maxmemory set, so no limit to judge against.",
        }.AddDetail("used_memory_bytes", used).AddDetail("maxmemory_bytes", max);

        var connected = Num("connected_clients");
        var rejected = Num("rejected_connections");
        var maxClients = Num("maxclients");
        var clients = new HealthCheckResult
        {
            Target = $"{target}/clients", Duration = elapsed,
            Status = rejected > 0 ? HealthStatus.Warning : HealthStatus.Healthy, Value = connected, Unit = "clients",
            Threshold = "warn when rejected_connections > 0",
            Message = $"{connected} connected of maxclients {maxClients}; {rejected} connection(s) rejected since start; {Num("blocked_clients")} blocked.",
        }.AddDetail("connected_clients", connected).AddDetail("rejected_connections", rejected).AddDetail("maxclients", maxClients);

        var opsPerSec = Num("instantaneous_ops_per_sec");
        var ops = new HealthCheckResult
        {
            Target = $"{target}/ops", Duration = elapsed, Status = HealthStatus.Healthy, Value = opsPerSec, Unit = "ops/s",
            Threshold = "informational",
            Message = $"{opsPerSec} ops/s now; {Num("total_commands_processed")} commands since start.",
        };
        return [latency, memory, clients, ops];
    }

    internal static Dictionary<string, string> ParseInfo(string info)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in info.Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (l.Length == 0 || l[0] == '#') continue;
            var i = l.IndexOf(':');
            if (i > 0) d[l[..i]] = l[(i + 1)..];
        }
        return d;
    }
}
