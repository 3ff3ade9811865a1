using System.Runtime.CompilerServices;
using Npgsql;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Postgres;

/// <summary>A table that exists, as found in pg_class: its oid and its schema and name as stored.</summary>
public sealed record PgTableName(uint Oid, string Schema, string Name)
{
    /// <summary>Schema and name, each quoted: safe to put into a statement.</summary>
    public string Quoted => $"{PgSql.QuoteIdentifier(Schema)}.{PgSql.QuoteIdentifier(Name)}";

    /// <summary>schema.name, quoted only where PostgreSQL would need it (as quote_ident does).</summary>
    public string Display => $"{PgSql.QuoteIfNeeded(Schema)}.{PgSql.QuoteIfNeeded(Name)}";

    public override string ToString() => Display;
}

/// <summary>
/// SQL helpers. Values are always bound parameters. The only names that reach statement text are
/// those read back from pg_class after a regclass lookup, and they are quoted by <see cref="QuoteIdentifier"/>.
/// </summary>
public static class PgSql
{
    /// <summary>Double-quotes an identifier, doubling embedded quotes (PostgreSQL's quote_ident, always quoting).</summary>
    public static string QuoteIdentifier(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (identifier.Length == 0 || identifier.Contains('\0'))
            throw new ArgumentException("An identifier must be non-empty and contain no NUL character.", nameof(identifier));
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Quotes only when the name is not a plain lower-case identifier (display only; statements use QuoteIdentifier).</summary>
    public static string QuoteIfNeeded(string identifier)
    {
        var plain = identifier.Length > 0 && (char.IsAsciiLetterLower(identifier[0]) || identifier[0] == '_')
                    && identifier.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '_' || ch == '$');
        return plain ? identifier : QuoteIdentifier(identifier);
    }

    /// <summary>
    /// Looks a table up by the name a user typed (optionally schema-qualified, as SQL parses it) with
    /// to_regclass and a bound parameter. Throws DbTableNotFound when there is no such table, or when the
    /// text is not a valid name at all; nothing else runs.
    /// </summary>
    public static async Task<PgTableName> ResolveTableAsync(NpgsqlConnection conn, string name, CancellationToken ct)
    {
        var database = conn.Database;
        if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsControl))
            throw NotFound(name, database, "it is empty or contains control characters");
        await using var cmd = new NpgsqlCommand(
            "SELECT c.oid, n.nspname, c.relname, c.relkind::text FROM pg_catalog.pg_class c " +
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass($1)", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = name, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        try
        {
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await r.ReadAsync(ct).ConfigureAwait(false)) throw NotFound(name, database, null);
            var table = new PgTableName(r.GetFieldValue<uint>(0), r.GetString(1), r.GetString(2));
            var kind = r.GetString(3);
            if (kind is not ("r" or "p" or "m"))
                throw new OpsException(ErrorIds.DbNotATable, $"'{name}' in database {database} is not a table (relkind '{kind}').", name, "Pass a table name; Get-OpsDbTable lists them.");
            return table;
        }
        catch (PostgresException e) when (e.SqlState is "42602" or "42601" or "42P01" or "3F000" or "22021" or "0A000" or "42704")
        {
            throw NotFound(name, database, e.MessageText, e);
        }
    }

    private static OpsException NotFound(string name, string database, string? why, Exception? inner = null)
        => new(ErrorIds.DbTableNotFound,
            why is null ? $"There is no table '{name}' in database {database}."
                        : $"'{name}' is not a table name in database {database}: {why}.",
            name, "Check the name (schema.table); Get-OpsDbTable lists the tables.", inner);

    internal static NpgsqlParameter P(object? value, NpgsqlTypes.NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    /// <summary>Runs a query with bound parameters and maps each row.</summary>
    internal static async Task<List<T>> QueryAsync<T>(NpgsqlConnection conn, string sql, Func<NpgsqlDataReader, T> map,
        CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var p in parameters) cmd.Parameters.Add(p);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<T>();
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(map(r));
        return list;
    }

    /// <summary>
    /// Opens a connection for read-only work and runs <paramref name="work"/>, translating server errors into OpsExceptions.
    /// Every statement is bounded by postgres.lockTimeoutSeconds and statementTimeoutSeconds. A statement still running
    /// at half the lock timeout has its lock wait looked at (pg_blocking_pids), so a DbLockTimeout names the relation
    /// and the session that held it.
    /// </summary>
    internal static async Task<T> WithConnectionAsync<T>(PostgresConfig pg, PgConnectOptions? options,
        Func<NpgsqlConnection, Task<T>> work, CancellationToken ct)
    {
        options = (options ?? new PgConnectOptions()).WithReadOnlyBounds(pg);
        await using var conn = await PgConnector.OpenAsync(pg, options, ct).ConfigureAwait(false);
        var pid = conn.ProcessID;
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var lockTimeout = options.LockTimeout!.Value;
        var seen = new StrongBox<PgLockWait?>();
        var watch = WatchLockWaitAsync(pg, options, pid, lockTimeout / 2, seen, watching.Token);
        try
        {
            return await work(conn).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (!ct.IsCancellationRequested)
        {
            if (e is PostgresException { SqlState: "55P03" })
            {
                // The watcher looks every half lock timeout: it has seen the wait by now, or is looking at it.
                watching.Cancel();
                try { await watch.WaitAsync(TimeSpan.FromSeconds(pg.ConnectTimeoutSeconds + 3), CancellationToken.None).ConfigureAwait(false); }
                catch (TimeoutException) { }
            }
            throw PgConnector.TranslateQuery(e, pg, options, seen.Value);
        }
        finally
        {
            watching.Cancel();
        }
    }

    /// <summary>Every <paramref name="every"/>, records what backend <paramref name="pid"/> waits for (the latest lock wait seen).</summary>
    private static async Task WatchLockWaitAsync(PostgresConfig pg, PgConnectOptions options, int pid, TimeSpan every, StrongBox<PgLockWait?> seen, CancellationToken ct)
    {
        if (every < TimeSpan.FromMilliseconds(100)) every = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try { await Task.Delay(every, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            // A probe already under way finishes (its own bound): cancellation may be the statement's failure itself.
            if (await PgLockWait.ProbeAsync(pg, options, pid, CancellationToken.None).ConfigureAwait(false) is { } wait) seen.Value = wait;
        }
    }

    internal static T? Get<T>(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? default : r.GetFieldValue<T>(i);
    internal static DateTimeOffset? Time(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : new DateTimeOffset(r.GetFieldValue<DateTime>(i));
}
