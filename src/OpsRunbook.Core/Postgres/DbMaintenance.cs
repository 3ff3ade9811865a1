using System.Diagnostics;
using System.Globalization;
using Npgsql;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;

namespace OpsRunbook.Core.Postgres;

/// <summary>The maintenance statements, in the order the runbook runs them.</summary>
/// <summary>The maintenance steps, in the order they run. Report is read-only: the closing bloat and dead-tuple figures.</summary>
public enum DbMaintenanceOperation { Analyze, Reindex, Vacuum, Report }

public enum DbMaintenanceStatus { Succeeded, Failed }

/// <summary>One table and one operation: how long it took and what it changed.</summary>
public sealed record DbMaintenanceResult
{
    public required string Database { get; init; }
    public required string Table { get; init; }
    public required DbMaintenanceOperation Operation { get; init; }
    public required DbMaintenanceStatus Status { get; init; }
    public required string Statement { get; init; }
    public TimeSpan Duration { get; init; }
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);
    /// <summary>pg_total_relation_size (table, indexes, TOAST) before and after, in bytes.</summary>
    public long? SizeBefore { get; init; }
    public long? SizeAfter { get; init; }
    /// <summary>Dead tuples from the statistics system before and after.</summary>
    public long? DeadTuplesBefore { get; init; }
    public long? DeadTuplesAfter { get; init; }
    public string? Error { get; init; }
    /// <summary>Report only: the table's estimated bloat (ioguix method), its share of the table, and whether the estimate can be trusted.</summary>
    public long? BloatBytes { get; init; }
    public double? BloatRatio { get; init; }
    public bool? BloatReliable { get; init; }
}

/// <summary>How maintenance runs: the timeouts come from the maintenance config section.</summary>
public sealed record DbMaintenanceOptions
{
    public bool ReindexConcurrently { get; init; } = true;
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Zero means none.</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Allow tables in pg_catalog, information_schema and pg_toast (refused otherwise: DbSystemSchemaRefused).</summary>
    public bool IncludeSystemSchema { get; init; }

    /// <summary>Schemas of the system catalogs: maintenance there is the server's business.</summary>
    public static bool IsSystemSchema(string schema) =>
        schema is "pg_catalog" or "information_schema" || schema.StartsWith("pg_toast", StringComparison.Ordinal);

    public static DbMaintenanceOptions From(MaintenanceConfig c) => new()
    {
        ReindexConcurrently = c.ReindexConcurrently,
        LockTimeout = TimeSpan.FromSeconds(c.LockTimeoutSeconds),
        StatementTimeout = TimeSpan.FromSeconds(c.StatementTimeoutSeconds),
    };
}

/// <summary>
/// ANALYZE, REINDEX (CONCURRENTLY by default) and VACUUM (ANALYZE) per table, on one connection with
/// lock_timeout and statement_timeout set, so maintenance gives up rather than queue behind a lock.
/// Cancelling the token cancels the running statement on the server (Npgsql sends a cancel request).
/// </summary>
public static class DbMaintenance
{
    public static readonly DbMaintenanceOperation[] DefaultOperations = [DbMaintenanceOperation.Analyze, DbMaintenanceOperation.Reindex, DbMaintenanceOperation.Vacuum, DbMaintenanceOperation.Report];

    public static string StatementFor(PgTableName table, DbMaintenanceOperation operation, bool concurrently) => operation switch
    {
        DbMaintenanceOperation.Analyze => $"ANALYZE {table.Quoted}",
        DbMaintenanceOperation.Reindex => concurrently ? $"REINDEX TABLE CONCURRENTLY {table.Quoted}" : $"REINDEX TABLE {table.Quoted}",
        DbMaintenanceOperation.Vacuum => $"VACUUM (ANALYZE) {table.Quoted}",
        DbMaintenanceOperation.Report => ReportStatement,
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>
    /// Runs the operations on each table. Each result goes to <paramref name="onResult"/>, each per-item
    /// failure (missing table, lock timeout...) to <paramref name="onError"/>, and the rest goes on.
    /// Connection failures and cancellation end the run.
    /// </summary>
    public static async Task RunAsync(PostgresConfig pg, IReadOnlyList<string> tables, IReadOnlyList<DbMaintenanceOperation> operations,
        DbMaintenanceOptions options, IOpsReporter reporter, Action<DbMaintenanceResult> onResult, Action<OpsException> onError,
        CancellationToken ct)
    {
        var connectOptions = new PgConnectOptions { CommandTimeoutSeconds = 0, ApplicationName = "OpsRunbook maintenance" };
        await using var conn = await PgConnector.OpenAsync(pg, connectOptions, ct).ConfigureAwait(false);
        var database = conn.Database;
        try
        {
            await ApplyTimeoutsAsync(conn, options, ct).ConfigureAwait(false);
            var ops = operations.Distinct().Order().ToList();
            var total = Math.Max(1, tables.Count * ops.Count);
            var step = 0;
            foreach (var name in tables)
            {
                ct.ThrowIfCancellationRequested();
                PgTableName table;
                try
                {
                    table = await PgSql.ResolveTableAsync(conn, name, ct).ConfigureAwait(false);
                    if (!options.IncludeSystemSchema && DbMaintenanceOptions.IsSystemSchema(table.Schema))
                        throw new OpsException(ErrorIds.DbSystemSchemaRefused, $"{table.Display} is a system catalog table (schema {table.Schema}); it was left alone.", name,
                            "Name the application's tables; add -IncludeSystemSchema only if you mean to maintain the catalogs.");
                }
                catch (OpsException e)
                {
                    step += ops.Count;
                    onError(e);
                    continue;
                }
                (long? Size, long? Dead)? last = null;
                var changed = false;
                foreach (var op in ops)
                {
                    if (op == DbMaintenanceOperation.Report)
                    {
                        step++;
                        // Read-only: after the operations that ran (none under -WhatIf), or when it is all that was asked.
                        if (changed || ops.Count == 1) onResult(await ReportAsync(conn, database, table, ct).ConfigureAwait(false));
                        continue;
                    }
                    var statement = StatementFor(table, op, options.ReindexConcurrently);
                    reporter.Progress(new OpsProgress(1, $"Database maintenance on {database}", $"{op} {table.Display}",
                        step * 100 / total, statement));
                    step++;
                    if (!reporter.ShouldProcess($"{table.Display} in database {database}", statement)) continue;
                    changed = true;
                    var result = await RunOneAsync(conn, database, table, op, statement, last, reporter, onError, ct).ConfigureAwait(false);
                    // The figures after one operation are the figures before the next: no second lookup.
                    last = result.Status == DbMaintenanceStatus.Succeeded ? (result.SizeAfter, result.DeadTuplesAfter) : null;
                    onResult(result);
                }
            }
        }
        catch (NpgsqlException e) when (!ct.IsCancellationRequested)
        {
            throw PgConnector.Translate(e, pg, connectOptions);
        }
    }

    private static async Task ApplyTimeoutsAsync(NpgsqlConnection conn, DbMaintenanceOptions options, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_catalog.set_config('lock_timeout', $1, false), pg_catalog.set_config('statement_timeout', $2, false)", conn);
        cmd.Parameters.Add(PgSql.P(((long)options.LockTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), NpgsqlTypes.NpgsqlDbType.Text));
        cmd.Parameters.Add(PgSql.P(((long)options.StatementTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), NpgsqlTypes.NpgsqlDbType.Text));
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<DbMaintenanceResult> RunOneAsync(NpgsqlConnection conn, string database, PgTableName table, DbMaintenanceOperation op,
        string statement, (long? Size, long? Dead)? before, IOpsReporter reporter, Action<OpsException> onError, CancellationToken ct)
    {
        long? sizeBefore = null, deadBefore = null, sizeAfter = null, deadAfter = null;
        var sw = new Stopwatch();
        string? error = null;
        try
        {
            // The size lookup takes a lock too, so it is under lock_timeout like the statement.
            (sizeBefore, deadBefore) = before ?? await TableStatsAsync(conn, table, ct).ConfigureAwait(false);
            reporter.Verbose($"{statement} (size {sizeBefore} bytes, {deadBefore} dead tuples)");
            sw.Start();
            await using var cmd = new NpgsqlCommand(statement, conn);
            // The token makes Npgsql send a cancel request: Ctrl+C stops the statement on the server.
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            sw.Stop();
            (sizeAfter, deadAfter) = await TableStatsAsync(conn, table, ct).ConfigureAwait(false);
        }
        catch (PostgresException e) when (!ct.IsCancellationRequested)
        {
            sw.Stop();
            error = e.MessageText;
            onError(e.SqlState switch
            {
                "55P03" => new OpsException(ErrorIds.DbMaintenanceLockTimeout, $"{statement} on {database} gave up waiting for a lock after lock_timeout: {e.MessageText}", table.Display,
                    "Another session holds a conflicting lock (Get-OpsDbConnection shows who). Retry later, or raise maintenance.lockTimeoutSeconds."),
                "57014" => new OpsException(ErrorIds.DbMaintenanceStatementTimeout, $"{statement} on {database} ran past statement_timeout: {e.MessageText}", table.Display,
                    "Run it in a quieter window, or raise maintenance.statementTimeoutSeconds."),
                _ => new OpsException(ErrorIds.DbMaintenanceFailed, $"{statement} on {database} failed ({e.SqlState}): {e.MessageText}", table.Display, null, e),
            });
        }
        return new DbMaintenanceResult
        {
            Database = database, Table = table.Display, Operation = op, Statement = statement,
            Status = error is null ? DbMaintenanceStatus.Succeeded : DbMaintenanceStatus.Failed,
            Duration = sw.Elapsed, SizeBefore = sizeBefore, SizeAfter = sizeAfter,
            DeadTuplesBefore = deadBefore, DeadTuplesAfter = deadAfter, Error = error,
        };
    }

    private const string ReportStatement = "bloat estimate (pgsql-bloat-estimation) and dead tuples (pg_stat)";

    /// <summary>The closing report for one table: size, dead tuples and the table bloat estimate, on the maintenance session.</summary>
    private static async Task<DbMaintenanceResult> ReportAsync(NpgsqlConnection conn, string database, PgTableName table, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var (size, dead) = await TableStatsAsync(conn, table, ct).ConfigureAwait(false);
        var bloat = (await DbTables.GetBloatAsync(conn, [DbBloatKind.Table], [table.Schema], ct).ConfigureAwait(false))
            .FirstOrDefault(b => b.Table == table.Name);
        return new DbMaintenanceResult
        {
            Database = database, Table = table.Display, Operation = DbMaintenanceOperation.Report, Statement = ReportStatement,
            Status = DbMaintenanceStatus.Succeeded, Duration = sw.Elapsed, SizeAfter = size, DeadTuplesAfter = dead,
            BloatBytes = bloat?.BloatBytes, BloatRatio = bloat?.BloatRatio, BloatReliable = bloat?.IsReliable,
        };
    }

    /// <summary>
    /// Total size and dead tuples. Each autocommit statement is its own transaction, and PostgreSQL 15
    /// drops the statistics snapshot at the end of every transaction, so the figures are fresh; VACUUM
    /// and ANALYZE report into the shared statistics before they return.
    /// </summary>
    internal static async Task<(long? Size, long? Dead)> TableStatsAsync(NpgsqlConnection conn, PgTableName table, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT pg_catalog.pg_total_relation_size($1::oid), pg_catalog.pg_stat_get_dead_tuples($1::oid)", conn);
        cmd.Parameters.Add(PgSql.P(table.Oid, NpgsqlTypes.NpgsqlDbType.Oid));
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return (null, null);
        return (r.Get<long?>(0), r.Get<long?>(1));
    }
}
