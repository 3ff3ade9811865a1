using Npgsql;

namespace OpsRunbook.Core.Data;

/// <summary>One session that holds a lock another waits for (from pg_blocking_pids).</summary>
public sealed record PgBlocker(int Pid, string Application, string User, string State, string Query);

/// <summary>What a waiting statement waited for: the relation (or lock type) and the sessions blocking it.</summary>
public sealed record PgLockWait(string Relation, IReadOnlyList<PgBlocker> Blockers)
{
    public string Describe() => Blockers.Count == 0
        ? "the blocking session is gone"
        : "blocked by " + string.Join("; ", Blockers.Take(3).Select(b =>
            $"pid {b.Pid} (application '{b.Application}', user {b.User}, {b.State}: {Shorten(b.Query)})"));

    private static string Shorten(string q)
    {
        q = string.Join(' ', q.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return q.Length > 120 ? q[..117] + "..." : q;
    }

    private const string Sql = """
        SELECT coalesce(l.relation::regclass::text, l.locktype), b.pid, b.application_name, coalesce(b.usename, ''), coalesce(b.state, ''), coalesce(b.query, '')
        FROM pg_catalog.pg_locks l
        LEFT JOIN LATERAL unnest(pg_catalog.pg_blocking_pids($1)) AS bp(pid) ON true
        LEFT JOIN pg_catalog.pg_stat_activity b ON b.pid = bp.pid
        WHERE l.pid = $1 AND NOT l.granted
        """;

    /// <summary>
    /// Asks, on a separate short-lived connection, what backend <paramref name="pid"/> waits for and who blocks it.
    /// Null when it waits for no lock. Never throws (a diagnosis must not hide the real error).
    /// </summary>
    public static async Task<PgLockWait?> ProbeAsync(Config.PostgresConfig cfg, PgConnectOptions? options, int pid, CancellationToken ct)
    {
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound.CancelAfter(TimeSpan.FromSeconds(Math.Max(2, cfg.ConnectTimeoutSeconds + 2)));
            var side = (options ?? new PgConnectOptions()) with
            {
                ApplicationName = "OpsRunbook lock diagnosis", CommandTimeoutSeconds = 5, LockTimeout = TimeSpan.FromSeconds(1), StatementTimeout = TimeSpan.FromSeconds(5), Pooling = false,
            };
            await using var conn = await PgConnector.OpenAsync(cfg, side, bound.Token).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand(Sql, conn);
            cmd.Parameters.Add(new NpgsqlParameter { Value = pid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
            await using var r = await cmd.ExecuteReaderAsync(bound.Token).ConfigureAwait(false);
            string? relation = null;
            var blockers = new List<PgBlocker>();
            while (await r.ReadAsync(bound.Token).ConfigureAwait(false))
            {
                relation ??= r.GetString(0);
                if (!r.IsDBNull(1))
                    blockers.Add(new PgBlocker(r.GetInt32(1), r.IsDBNull(2) ? "" : r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)));
            }
            return relation is null ? null : new PgLockWait(relation, blockers.DistinctBy(b => b.Pid).ToList());
        }
        catch (Exception) { return null; }
    }

    /// <summary>
    /// The sessions holding a lock that blocks readers (ACCESS EXCLUSIVE) on <paramref name="relation"/>, or on any
    /// relation of the database when it is null. Never throws.
    /// </summary>
    public static async Task<PgLockWait> HoldersAsync(Config.PostgresConfig cfg, PgConnectOptions? options, string? relation, CancellationToken ct)
    {
        string? seenRelation = null;
        var blockers = new List<PgBlocker>();
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound.CancelAfter(TimeSpan.FromSeconds(Math.Max(2, cfg.ConnectTimeoutSeconds + 2)));
            var side = (options ?? new PgConnectOptions()) with { ApplicationName = "OpsRunbook lock diagnosis", CommandTimeoutSeconds = 5, Pooling = false };
            await using var conn = await PgConnector.OpenAsync(cfg, side, bound.Token).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand("""
                SELECT a.pid, a.application_name, coalesce(a.usename, ''), coalesce(a.state, ''), coalesce(a.query, ''), l.relation::regclass::text
                FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'relation' AND l.granted AND l.mode = 'AccessExclusiveLock'
                  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
                  AND ($1::text IS NULL OR l.relation = pg_catalog.to_regclass($1))
                ORDER BY a.pid
                """, conn);
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)relation ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var r = await cmd.ExecuteReaderAsync(bound.Token).ConfigureAwait(false);
            while (await r.ReadAsync(bound.Token).ConfigureAwait(false))
            {
                seenRelation ??= r.IsDBNull(5) ? null : r.GetString(5);
                blockers.Add(new PgBlocker(r.GetInt32(0), r.IsDBNull(1) ? "" : r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)));
            }
        }
        catch (Exception) { }
        return new PgLockWait(relation ?? seenRelation ?? "a table", blockers);
    }
}
