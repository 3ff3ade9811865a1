using Npgsql;
using NpgsqlTypes;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Postgres;

/// <summary>One normalized statement from pg_stat_statements.</summary>
public sealed record SlowQuery
{
    public long? QueryId { get; init; }
    public required string Query { get; init; }
    public long Calls { get; init; }
    public double MeanTimeMs { get; init; }
    public double TotalTimeMs { get; init; }
    public double MaxTimeMs { get; init; }
    public double StddevTimeMs { get; init; }
    public long Rows { get; init; }
    public string? User { get; init; }
    public string? Database { get; init; }
}

public static class DbStatements
{
    private const string Extension = "pg_stat_statements";

    private const string SlowSql = """
        SELECT s.queryid, s.query, s.calls, s.mean_exec_time, s.total_exec_time, s.max_exec_time, s.stddev_exec_time, s.rows,
               r.rolname, d.datname
        FROM pg_stat_statements s
        LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.userid
        LEFT JOIN pg_catalog.pg_database d ON d.oid = s.dbid
        WHERE s.mean_exec_time > $1
          AND ($3 OR d.datname = current_database())
        ORDER BY s.mean_exec_time DESC
        LIMIT $2
        """;

    /// <summary>
    /// The runbook's slow-query report: statements whose mean execution time is above
    /// <paramref name="minMeanMs"/>, slowest first. Throws PgStatStatementsNotInstalled or
    /// PgStatStatementsNotPreloaded, with the fix, when the extension cannot answer.
    /// </summary>
    public static Task<List<SlowQuery>> GetSlowQueriesAsync(PostgresConfig pg, double minMeanMs, int top, bool allDatabases, CancellationToken ct)
        => PgSql.WithConnectionAsync(pg, null, async conn =>
        {
            await CheckExtensionAsync(conn, ct).ConfigureAwait(false);
            try
            {
                return await PgSql.QueryAsync(conn, SlowSql, r => new SlowQuery
                {
                    QueryId = r.Get<long?>(0), Query = r.Get<string>(1) ?? "<insufficient privilege>", Calls = r.GetInt64(2),
                    MeanTimeMs = Math.Round(r.GetDouble(3), 3), TotalTimeMs = Math.Round(r.GetDouble(4), 3),
                    MaxTimeMs = Math.Round(r.GetDouble(5), 3), StddevTimeMs = Math.Round(r.GetDouble(6), 3), Rows = r.GetInt64(7),
                    User = r.Get<string>(8), Database = r.Get<string>(9),
                }, ct, PgSql.P(minMeanMs, NpgsqlDbType.Double), PgSql.P((long)top, NpgsqlDbType.Bigint),
                    PgSql.P(allDatabases, NpgsqlDbType.Boolean)).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == "55000")
            {
                throw NotPreloaded(conn, e);
            }
        }, ct);

    private static async Task CheckExtensionAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var rows = await PgSql.QueryAsync(conn, """
            SELECT current_setting('shared_preload_libraries'),
                   EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = $1),
                   EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = $1)
            """, r => (Preload: r.GetString(0), Installed: r.GetBoolean(1), Available: r.GetBoolean(2)), ct,
            PgSql.P(Extension, NpgsqlDbType.Text)).ConfigureAwait(false);
        var (preload, installed, available) = rows[0];
        var preloaded = preload.Split(',').Select(s => s.Trim().Trim('"')).Contains(Extension, StringComparer.Ordinal);
        if (!installed)
        {
            var fix = available
                ? $"As a superuser, run in database {conn.Database}: CREATE EXTENSION pg_stat_statements;"
                : "Install the PostgreSQL contrib package (e.g. apt-get install postgresql-contrib), then run CREATE EXTENSION pg_stat_statements;";
            if (!preloaded) fix += " Also add it to shared_preload_libraries (ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements') and restart PostgreSQL.";
            throw new OpsException(ErrorIds.PgStatStatementsNotInstalled, $"The pg_stat_statements extension is not installed in database {conn.Database}.", conn.Database, fix);
        }
        if (!preloaded) throw NotPreloaded(conn, null);
    }

    private static OpsException NotPreloaded(NpgsqlConnection conn, Exception? inner)
        => new(ErrorIds.PgStatStatementsNotPreloaded,
            $"pg_stat_statements is installed in database {conn.Database} but not loaded: it must be in shared_preload_libraries.", conn.Database,
            "Add it to postgresql.conf: shared_preload_libraries = 'pg_stat_statements' (or ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'), then restart PostgreSQL.",
            inner);
}
