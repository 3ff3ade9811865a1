using System.Diagnostics;
using Npgsql;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;

namespace OpsRunbook.Core.Health.Probes;

/// <summary>
/// The Database family: reachable and round-trip latency; connections in use against max_connections,
/// by state; sessions idle in transaction; long-running queries. One connection, one round trip for the stats.
/// </summary>
public static class DatabaseProbe
{
    public const string Check = "Database";

    private const string StatsSql = """
        SELECT current_setting('max_connections')::int,
               current_setting('superuser_reserved_connections')::int,
               count(*)::int,
               count(*) FILTER (WHERE state = 'active')::int,
               count(*) FILTER (WHERE state = 'idle')::int,
               count(*) FILTER (WHERE state IN ('idle in transaction', 'idle in transaction (aborted)'))::int,
               count(*) FILTER (WHERE state = 'active' AND now() - query_start > make_interval(secs => @long))::int,
               coalesce(max(extract(epoch FROM now() - query_start)) FILTER (WHERE state = 'active' AND pid <> pg_backend_pid()), 0)::float8
        FROM pg_stat_activity
        WHERE backend_type = 'client backend'
        """;

    public static Task<IReadOnlyList<HealthCheckResult>> CheckAsync(EnvironmentConfig env, CancellationToken ct)
    {
        var pg = env.Require(e => e.Postgres, "postgres");
        var target = pg.Database;
        return HealthProbe.ManyAsync(Check, target, t => ProbeAsync(pg, env.Thresholds, t), ct);
    }

    private static async Task<IReadOnlyList<HealthCheckResult>> ProbeAsync(PostgresConfig pg, ThresholdsConfig th, CancellationToken ct)
    {
        var db = pg.Database;
        var sw = Stopwatch.StartNew();
        await using var conn = await PgConnector.OpenAsync(pg, new PgConnectOptions { ApplicationName = "OpsRunbook health", CommandTimeoutSeconds = 0 }, ct).ConfigureAwait(false);
        var connectMs = sw.Elapsed.TotalMilliseconds;

        var rt = Stopwatch.StartNew();
        await using (var ping = new NpgsqlCommand("SELECT 1", conn)) await ping.ExecuteScalarAsync(ct).ConfigureAwait(false);
        var latencyMs = rt.Elapsed.TotalMilliseconds;
        var afterPing = sw.Elapsed;

        await using var cmd = new NpgsqlCommand(StatsSql, conn);
        cmd.Parameters.AddWithValue("long", th.DbLongQuerySeconds);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        int max = reader.GetInt32(0), reserved = reader.GetInt32(1), total = reader.GetInt32(2), active = reader.GetInt32(3),
            idle = reader.GetInt32(4), idleTx = reader.GetInt32(5), longRunning = reader.GetInt32(6);
        var longest = reader.GetDouble(7);
        var elapsed = sw.Elapsed;

        var latency = new HealthCheckResult
        {
            Target = $"{db}/latency", Duration = afterPing,
            Status = HealthProbe.Judge(latencyMs, th.LatencyWarnMs, null), Value = Math.Round(latencyMs, 2), Unit = "ms",
            Threshold = HealthProbe.ThresholdText(th.LatencyWarnMs, null, " ms"), WarnAt = th.LatencyWarnMs,
            Message = $"Reachable: SELECT 1 in {HealthProbe.F(latencyMs, "0.##")} ms (connect {HealthProbe.F(connectMs)} ms).",
        }.AddDetail("connect_ms", Math.Round(connectMs, 2));

        var pct = max == 0 ? 0 : Math.Round(total * 100.0 / max, 1);
        var conns = new HealthCheckResult
        {
            Target = $"{db}/connections", Duration = elapsed,
            Status = HealthProbe.Judge(pct, th.DbConnectionsWarnPercent, th.DbConnectionsCriticalPercent), Value = pct, Unit = "%",
            Threshold = HealthProbe.ThresholdText(th.DbConnectionsWarnPercent, th.DbConnectionsCriticalPercent, " %") + $" of max_connections {max}",
            WarnAt = th.DbConnectionsWarnPercent, CriticalAt = th.DbConnectionsCriticalPercent,
            Message = $"{total} of {max} connections in use ({HealthProbe.F(pct)} %): {active} active, {idle} idle, {idleTx} idle in transaction, {total - active - idle - idleTx} other; {reserved} reserved for superusers.",
        }.AddDetail("in_use", total).AddDetail("max_connections", max).AddDetail("active", active).AddDetail("idle", idle)
         .AddDetail("idle_in_transaction", idleTx).AddDetail("reserved", reserved);

        var tx = new HealthCheckResult
        {
            Target = $"{db}/idle-in-transaction", Duration = elapsed,
            Status = idleTx >= th.DbIdleInTransactionWarn ? HealthStatus.Warning : HealthStatus.Healthy, Value = idleTx, Unit = "sessions",
            Threshold = $"warn >= {th.DbIdleInTransactionWarn}",
            Message = $"{idleTx} session(s) idle in transaction.",
        };

        var slow = new HealthCheckResult
        {
            Target = $"{db}/long-running", Duration = elapsed,
            Status = longRunning > 0 ? HealthStatus.Warning : HealthStatus.Healthy, Value = longRunning, Unit = "queries",
            Threshold = $"warn >= 1 query active over {HealthProbe.F(th.DbLongQuerySeconds)} s",
            Message = $"{longRunning} quer{(longRunning == 1 ? "y" : "ies")} running over {HealthProbe.F(th.DbLongQuerySeconds)} s; longest active {HealthProbe.F(longest)} s.",
        }.AddDetail("longest_seconds", Math.Round(longest, 3));

        return [latency, conns, tx, slow];
    }
}
