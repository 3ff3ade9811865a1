using Npgsql;
using NpgsqlTypes;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;

namespace OpsRunbook.Core.Postgres;

/// <summary>One row of pg_stat_activity.</summary>
public sealed record DbConnectionInfo
{
    public int Pid { get; init; }
    public string? User { get; init; }
    public string? Database { get; init; }
    public string? Application { get; init; }
    public string? ClientAddress { get; init; }
    /// <summary>active, idle, idle in transaction, idle in transaction (aborted), ...</summary>
    public string? State { get; init; }
    public DateTimeOffset? StateChange { get; init; }
    /// <summary>How long an idle session has been idle (now - state_change); null when not idle.</summary>
    public TimeSpan? IdleFor { get; init; }
    public double? IdleForMs => IdleFor is { } t ? Math.Round(t.TotalMilliseconds, 3) : null;
    public DateTimeOffset? QueryStart { get; init; }
    public string? Query { get; init; }
    public string? WaitEvent { get; init; }
    public string? WaitEventType { get; init; }
    public string? BackendType { get; init; }
    public DateTimeOffset? BackendStart { get; init; }
}

/// <summary>Filters for <see cref="DbConnections.GetAsync"/>; null means no filter. Lists match any of their values.</summary>
public sealed record DbConnectionFilter
{
    public IReadOnlyList<string>? State { get; init; }
    public TimeSpan? IdleLongerThan { get; init; }
    public IReadOnlyList<string>? User { get; init; }
    public IReadOnlyList<string>? Application { get; init; }
    public IReadOnlyList<string>? Database { get; init; }
    /// <summary>Include background processes (autovacuum, walwriter...); default only client backends.</summary>
    public bool IncludeBackground { get; init; }
}

public enum DbConnectionStopStatus { Terminated, Cancelled, NotFound, Failed }

/// <summary>What happened to one Pid.</summary>
public sealed record DbConnectionStopResult
{
    public int Pid { get; init; }
    /// <summary>Terminate (pg_terminate_backend) or Cancel (pg_cancel_backend: only the running query).</summary>
    public required string Action { get; init; }
    public DbConnectionStopStatus Status { get; init; }
    public string? User { get; init; }
    public string? Application { get; init; }
    public string? State { get; init; }
    public string? Message { get; init; }
}

public static class DbConnections
{
    /// <summary>Every value of pg_stat_activity.state (PostgreSQL 10 and later), for -State validation and completion.</summary>
    public static IReadOnlyList<string> States { get; } =
        ["active", "idle", "idle in transaction", "idle in transaction (aborted)", "fastpath function call", "disabled"];

    /// <summary>The state as pg_stat_activity spells it (validation is case-insensitive; the SQL filter is not).</summary>
    public static string CanonicalState(string state)
        => States.FirstOrDefault(s => string.Equals(s, state.Trim(), StringComparison.OrdinalIgnoreCase)) ?? state;

    private const string ActivitySql = """
        SELECT pid, usename, datname, application_name, client_addr::text, state, state_change,
               CASE WHEN state LIKE 'idle%' THEN now() - state_change END, query_start, query, wait_event, wait_event_type,
               backend_type, backend_start
        FROM pg_catalog.pg_stat_activity
        WHERE pid <> pg_catalog.pg_backend_pid()
          AND ($1 OR backend_type = 'client backend')
          AND ($2::text[] IS NULL OR state = ANY($2))
          AND ($3::interval IS NULL OR (state LIKE 'idle%' AND state_change < now() - $3::interval))
          AND ($4::text[] IS NULL OR usename = ANY($4))
          AND ($5::text[] IS NULL OR application_name = ANY($5))
          AND ($6::text[] IS NULL OR datname = ANY($6))
        ORDER BY backend_start, pid
        """;

    /// <summary>
    /// Options for emergency connections: no pool (so nothing waits on, or holds, a pooled slot) and a
    /// short command timeout. Connect as a superuser to use the superuser-reserved slots when the server is full.
    /// </summary>
    public static PgConnectOptions EmergencyOptions(PgConnectOptions? baseOptions = null)
        => (baseOptions ?? new PgConnectOptions()) with { Pooling = false, CommandTimeoutSeconds = 30, ApplicationName = "OpsRunbook connections" };

    public static Task<List<DbConnectionInfo>> GetAsync(PostgresConfig pg, DbConnectionFilter filter, PgConnectOptions? options, CancellationToken ct)
    {
        var opts = EmergencyOptions(options);
        return PgSql.WithConnectionAsync(pg, opts, conn => QueryAsync(conn, filter, ct), ct);
    }

    internal static Task<List<DbConnectionInfo>> QueryAsync(NpgsqlConnection conn, DbConnectionFilter filter, CancellationToken ct)
        => PgSql.QueryAsync(conn, ActivitySql, Map, ct,
            PgSql.P(filter.IncludeBackground, NpgsqlDbType.Boolean),
            PgSql.P(List(filter.State), NpgsqlDbType.Array | NpgsqlDbType.Text),
            PgSql.P(filter.IdleLongerThan, NpgsqlDbType.Interval),
            PgSql.P(List(filter.User), NpgsqlDbType.Array | NpgsqlDbType.Text),
            PgSql.P(List(filter.Application), NpgsqlDbType.Array | NpgsqlDbType.Text),
            PgSql.P(List(filter.Database), NpgsqlDbType.Array | NpgsqlDbType.Text));

    private static string[]? List(IReadOnlyList<string>? values) => values is { Count: > 0 } ? values.ToArray() : null;

    private static DbConnectionInfo Map(NpgsqlDataReader r) => new()
    {
        Pid = r.GetInt32(0), User = r.Get<string>(1), Database = r.Get<string>(2), Application = r.Get<string>(3),
        ClientAddress = r.Get<string>(4), State = r.Get<string>(5), StateChange = r.Time(6),
        IdleFor = r.IsDBNull(7) ? null : r.GetFieldValue<TimeSpan>(7), QueryStart = r.Time(8), Query = r.Get<string>(9),
        WaitEvent = r.Get<string>(10), WaitEventType = r.Get<string>(11), BackendType = r.Get<string>(12), BackendStart = r.Time(13),
    };

    /// <summary>
    /// Terminates (or, with <paramref name="cancelOnly"/>, cancels the query of) each Pid on one
    /// unpooled connection. Never touches its own session. Terminate waits up to
    /// <paramref name="waitForExit"/> for the backend to go, so the slot is free when it reports Terminated.
    /// </summary>
    public static async Task StopAsync(PostgresConfig pg, IReadOnlyList<int> pids, bool cancelOnly, TimeSpan waitForExit,
        PgConnectOptions? options, Action<DbConnectionStopResult> onResult, CancellationToken ct)
    {
        var opts = EmergencyOptions(options);
        await PgSql.WithConnectionAsync(pg, opts, async conn =>
        {
            await StopOnAsync(conn, pids, cancelOnly, waitForExit, onResult, ct).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Stops each Pid over an open connection; the connection's own session is refused.</summary>
    internal static async Task StopOnAsync(NpgsqlConnection conn, IReadOnlyList<int> pids, bool cancelOnly, TimeSpan waitForExit,
        Action<DbConnectionStopResult> onResult, CancellationToken ct)
    {
        var notices = new List<string>();
        conn.Notice += (_, e) => { lock (notices) notices.Add(e.Notice.MessageText); };
        var own = conn.ProcessID;
        var action = cancelOnly ? "Cancel" : "Terminate";
        foreach (var pid in pids)
        {
            ct.ThrowIfCancellationRequested();
            if (pid == own)
            {
                onResult(new DbConnectionStopResult { Pid = pid, Action = action, Status = DbConnectionStopStatus.Failed, Message = "This is OpsRunbook's own session; it is never stopped." });
                continue;
            }
            var found = await PgSql.QueryAsync(conn, "SELECT usename, application_name, state FROM pg_catalog.pg_stat_activity WHERE pid = $1",
                r => (User: r.Get<string>(0), App: r.Get<string>(1), State: r.Get<string>(2)), ct, PgSql.P(pid, NpgsqlDbType.Integer)).ConfigureAwait(false);
            if (found.Count == 0)
            {
                onResult(new DbConnectionStopResult { Pid = pid, Action = action, Status = DbConnectionStopStatus.NotFound, Message = "No server process has this pid (it may have ended already)." });
                continue;
            }
            var who = found[0];
            lock (notices) notices.Clear();
            DbConnectionStopResult result;
            try
            {
                var sql = cancelOnly ? "SELECT pg_catalog.pg_cancel_backend($1)" : "SELECT pg_catalog.pg_terminate_backend($1, $2)";
                await using var cmd = new NpgsqlCommand(sql, conn);
                cmd.Parameters.Add(PgSql.P(pid, NpgsqlDbType.Integer));
                if (!cancelOnly) cmd.Parameters.Add(PgSql.P((long)waitForExit.TotalMilliseconds, NpgsqlDbType.Bigint));
                var ok = (bool)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
                string? notice;
                lock (notices) notice = notices.Count > 0 ? string.Join(" ", notices) : null;
                result = new DbConnectionStopResult
                {
                    Pid = pid, Action = action, User = who.User, Application = who.App, State = who.State,
                    Status = ok ? (cancelOnly ? DbConnectionStopStatus.Cancelled : DbConnectionStopStatus.Terminated)
                        : notice?.Contains("is not a PostgreSQL", StringComparison.Ordinal) == true ? DbConnectionStopStatus.NotFound
                        : DbConnectionStopStatus.Failed,
                    Message = ok ? null : notice ?? (cancelOnly ? "pg_cancel_backend returned false." : $"The process did not exit within {waitForExit.TotalSeconds:0.#} s."),
                };
            }
            catch (PostgresException e)
            {
                result = new DbConnectionStopResult
                {
                    Pid = pid, Action = action, User = who.User, Application = who.App, State = who.State,
                    Status = DbConnectionStopStatus.Failed, Message = $"{e.SqlState}: {e.MessageText}",
                };
            }
            onResult(result);
        }
    }
}
