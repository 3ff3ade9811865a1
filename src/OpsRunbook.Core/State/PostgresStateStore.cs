using System.Data.Common;
using Npgsql;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.State;

/// <summary>
/// The shared store: the same tables in a schema of a PostgreSQL database (state.postgres, state.schema), for several
/// hosts that share one history. Migrations run under a transaction-level advisory lock.
/// </summary>
internal sealed class PostgresStateStore : StateStoreBase
{
    private readonly PostgresConfig _config;
    private readonly string _schema;

    private PostgresStateStore(NpgsqlConnection connection, PostgresConfig config, string schema) : base(connection)
    {
        _config = config;
        _schema = schema;
    }

    public override StateBackend Backend => StateBackend.PostgreSql;
    public override string Location => $"{PgConnector.Describe(_config)} schema {_schema}";

    public static async Task<PostgresStateStore> ConnectAsync(PostgresConfig config, string schema, CancellationToken cancellationToken)
    {
        var connection = await PgConnector.OpenAsync(config, new PgConnectOptions { ApplicationName = "OpsRunbook state", CommandTimeoutSeconds = 60 }, cancellationToken)
            .ConfigureAwait(false);
        var store = new PostgresStateStore(connection, config, schema);
        try
        {
            await using var cmd = connection.CreateCommand();
            // The schema may not exist yet: search_path accepts that, and the migration creates it.
            cmd.CommandText = $"SET search_path TO \"{schema}\"; SET lock_timeout = '{(int)StateStore.BusyTimeout.TotalMilliseconds}ms'";
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (Exception e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw store.Translate(e);
        }
    }

    protected override async Task<DbTransaction> BeginAsync(bool write, CancellationToken cancellationToken)
        => await ((NpgsqlConnection)Connection).BeginTransactionAsync(
            write ? System.Data.IsolationLevel.ReadCommitted : System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    protected override async Task<bool> VersionTableExistsAsync(StateTransaction tx)
        => await tx.ScalarAsync<bool>("SELECT to_regclass(@t) IS NOT NULL", ("t", $"\"{_schema}\".{StateSchema.VersionTable}")).ConfigureAwait(false);

    protected override async Task PrepareMigrationAsync(StateTransaction tx)
    {
        await tx.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@k))", ("k", "opsrunbook:migrate:" + _schema)).ConfigureAwait(false);
        await tx.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS \"{_schema}\"").ConfigureAwait(false);
    }

    public override Task<long> SizeBytesAsync(CancellationToken cancellationToken) => ReadAsync(async tx => await tx.ScalarAsync<long>(
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @s AND c.relkind = 'r'",
        ("s", _schema)).ConfigureAwait(false), cancellationToken);

    protected override bool IsBackendError(Exception e) => e is NpgsqlException;

    public override Exception Translate(Exception error) => error switch
    {
        PostgresException { SqlState: "42501" or "25006" } pe => new OpsException(ErrorIds.StateStoreReadOnly,
            $"The state store {Location} cannot be written: {pe.MessageText}", Location,
            $"Grant the user CREATE on the database (for the schema) or USAGE, CREATE on schema {_schema} and write access to its tables.", pe),
        PostgresException { SqlState: "55P03" } pe => new OpsException(ErrorIds.StateStoreBusy,
            $"The state store {Location} stayed locked for more than {StateStore.BusyTimeout.TotalSeconds:0} s: {pe.MessageText}", Location,
            "Find the session holding the lock (Get-OpsDbConnection) and let it finish.", pe),
        PostgresException pe => new OpsException(ErrorIds.StateStoreUnavailable, $"The state store {Location} failed: {pe.SqlState} {pe.MessageText}", Location, null, pe),
        NpgsqlException ne => PgConnector.Translate(ne, _config),
        _ => error,
    };
}
