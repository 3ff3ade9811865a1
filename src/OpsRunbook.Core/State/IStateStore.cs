using System.Data.Common;

namespace OpsRunbook.Core.State;

/// <summary>Where the state store keeps its tables.</summary>
public enum StateBackend
{
    /// <summary>A SQLite file (state.path): the default, needs no server.</summary>
    Sqlite,
    /// <summary>A schema of a PostgreSQL database (state.postgres): one history shared by several hosts.</summary>
    PostgreSql,
}

/// <summary>
/// The runbook's memory between runs. Open one with <see cref="StateStore.OpenAsync(Config.EnvironmentConfig, CancellationToken)"/>;
/// it is migrated on open, so every registered area's tables exist. One store is one connection: use it from one
/// thread at a time, and dispose it when done (cmdlets open one per invocation).
/// </summary>
public interface IStateStore : IAsyncDisposable, IDisposable
{
    StateBackend Backend { get; }

    /// <summary>The SQLite file, or user@host:port/database schema NAME: safe to print (no password).</summary>
    string Location { get; }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits when it returns (rolls back when it throws).
    /// On SQLite the write lock is taken at the start (BEGIN IMMEDIATE), so writers queue behind the busy timeout
    /// instead of failing; on PostgreSQL it is a READ COMMITTED transaction (use <see cref="StateTransaction.LockAsync"/>
    /// to serialise writers on a key). Keep transactions short: a batch, not a whole import.
    /// </summary>
    Task<T> WriteAsync<T>(Func<StateTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a read transaction: one consistent snapshot, no write lock.</summary>
    Task<T> ReadAsync<T>(Func<StateTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Each area's schema version as recorded in the store (including "store", the bookkeeping's own).</summary>
    IReadOnlyDictionary<string, int> SchemaVersions { get; }

    /// <summary>The space the store takes: the SQLite file with its WAL, or the schema's tables and indexes.</summary>
    Task<long> SizeBytesAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One transaction of the store. SQL uses @name parameters on both backends and unqualified table names (on PostgreSQL
/// the search_path is the store's schema). Parameter values are converted so both backends store the same thing:
/// DateTimeOffset/DateTime become BIGINT Unix milliseconds (UTC; read back with <see cref="StateTime.FromUnixMs"/>),
/// enums their name, bool 1/0, TimeSpan milliseconds as a double, null DBNull.
/// </summary>
public sealed class StateTransaction
{
    internal StateTransaction(DbConnection connection, DbTransaction transaction, StateBackend backend, CancellationToken cancellationToken)
    {
        Connection = connection;
        Transaction = transaction;
        Backend = backend;
        CancellationToken = cancellationToken;
    }

    public DbConnection Connection { get; }
    public DbTransaction Transaction { get; }
    public StateBackend Backend { get; }
    public CancellationToken CancellationToken { get; }

    /// <summary>A command in this transaction, with its parameters; reuse it (change Parameters[i].Value) for a batch of rows.</summary>
    public DbCommand Command(string sql, params (string Name, object? Value)[] args)
    {
        var cmd = Connection.CreateCommand();
        cmd.Transaction = Transaction;
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name.StartsWith('@') ? name : "@" + name;
            p.Value = ToDb(value);
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    /// <summary>Runs a statement; returns the rows affected.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(sql, args);
        return await cmd.ExecuteNonQueryAsync(CancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first column of the first row, converted to T (null/default when there is no row or it is NULL).</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(sql, args);
        var v = await cmd.ExecuteScalarAsync(CancellationToken).ConfigureAwait(false);
        if (v is null or DBNull) return default;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)(target.IsInstanceOfType(v) ? v : Convert.ChangeType(v, target, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Every row, mapped.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(CancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(CancellationToken).ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    /// <summary>
    /// Serialises writers on a key until this transaction ends (a webhook id, an incident id...). PostgreSQL: a
    /// transaction-level advisory lock; SQLite: nothing to do, a write transaction already excludes every other writer.
    /// </summary>
    public async Task LockAsync(string key)
    {
        if (Backend != StateBackend.PostgreSql) return;
        await ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@k))", ("k", "opsrunbook:" + key)).ConfigureAwait(false);
    }

    /// <summary>The value a parameter is stored as (see the class summary).</summary>
    public static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset t => t.ToUnixTimeMilliseconds(),
        DateTime t => new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t).ToUnixTimeMilliseconds(),
        Enum e => e.ToString(),
        bool b => b ? 1L : 0L,
        TimeSpan s => s.TotalMilliseconds,
        int i => (long)i,
        _ => value,
    };
}

/// <summary>Timestamps as the store keeps them: BIGINT Unix milliseconds, UTC.</summary>
public static class StateTime
{
    public static long ToUnixMs(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
