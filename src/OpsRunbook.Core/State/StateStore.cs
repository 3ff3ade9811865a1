using System.Data.Common;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.State;

/// <summary>Opens the state store an environment configures (state.path or state.postgres), migrated to this version.</summary>
public static class StateStore
{
    /// <summary>How long a writer waits for another's lock before StateStoreBusy.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Opens the environment's store with every known area (<see cref="StateSchema.Areas"/>).</summary>
    public static Task<IStateStore> OpenAsync(EnvironmentConfig environment, CancellationToken cancellationToken)
        => OpenAsync(environment.State, StateSchema.Areas, cancellationToken);

    /// <summary>Opens a store with the given areas (tests pass their own), creating and migrating it as needed.</summary>
    public static async Task<IStateStore> OpenAsync(StateConfig config, IReadOnlyList<IStateArea> areas, CancellationToken cancellationToken)
    {
        areas = StateSchema.Validate(areas);
        StateStoreBase store = config.Postgres is { } pg
            ? await PostgresStateStore.ConnectAsync(pg, config.Schema, cancellationToken).ConfigureAwait(false)
            : SqliteStateStore.Open(ResolvePath(config));
        try
        {
            await store.MigrateAsync(areas, cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The SQLite file: state.path (~ expanded), else $XDG_DATA_HOME/opsrunbook/state.db, else ~/.local/share/opsrunbook/state.db.</summary>
    public static string ResolvePath(StateConfig config, Func<string, string?>? getEnvironmentVariable = null, string? home = null)
    {
        getEnvironmentVariable ??= System.Environment.GetEnvironmentVariable;
        home ??= System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        if (config.Path.Length > 0)
            return config.Path == "~" ? home : config.Path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, config.Path[2..]) : config.Path;
        var xdg = getEnvironmentVariable("XDG_DATA_HOME");
        // The XDG spec: a relative $XDG_DATA_HOME is invalid and ignored.
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg) ? xdg : Path.Combine(home, ".local", "share");
        return Path.Combine(root, "opsrunbook", "state.db");
    }
}

/// <summary>What both backends share: one connection, transactions, and the versioned migrations.</summary>
internal abstract class StateStoreBase : IStateStore
{
    protected StateStoreBase(DbConnection connection) => Connection = connection;

    protected DbConnection Connection { get; }
    public abstract StateBackend Backend { get; }
    public abstract string Location { get; }
    private Dictionary<string, int> _versions = new(StringComparer.Ordinal);
    public IReadOnlyDictionary<string, int> SchemaVersions => _versions;

    /// <summary>Begins a transaction; for a write on SQLite it holds the write lock from the start.</summary>
    protected abstract Task<DbTransaction> BeginAsync(bool write, CancellationToken cancellationToken);

    /// <summary>A backend error as an OpsException naming the store.</summary>
    public abstract Exception Translate(Exception error);

    /// <summary>Whether the version table exists (read inside a transaction).</summary>
    protected abstract Task<bool> VersionTableExistsAsync(StateTransaction tx);

    /// <summary>In the migration transaction, before anything is read: take the migration lock, create the schema.</summary>
    protected virtual Task PrepareMigrationAsync(StateTransaction tx) => Task.CompletedTask;

    public Task<T> WriteAsync<T>(Func<StateTransaction, Task<T>> work, CancellationToken cancellationToken) => RunAsync(true, work, cancellationToken);

    public Task<T> ReadAsync<T>(Func<StateTransaction, Task<T>> work, CancellationToken cancellationToken) => RunAsync(false, work, cancellationToken);

    private async Task<T> RunAsync<T>(bool write, Func<StateTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        DbTransaction? transaction = null;
        try
        {
            transaction = await BeginAsync(write, cancellationToken).ConfigureAwait(false);
            var result = await work(new StateTransaction(Connection, transaction, Backend, cancellationToken)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (e is not (OpsException or OperationCanceledException) && IsBackendError(e))
        {
            throw Translate(e);
        }
        finally
        {
            if (transaction is not null) await transaction.DisposeAsync().ConfigureAwait(false); // rolls back when not committed
        }
    }

    public abstract Task<long> SizeBytesAsync(CancellationToken cancellationToken);

    protected abstract bool IsBackendError(Exception e);

    internal async Task MigrateAsync(IReadOnlyList<IStateArea> areas, CancellationToken cancellationToken)
    {
        // Fast path: read the versions without the write lock; most opens find everything current.
        var current = await ReadAsync(async tx => await VersionTableExistsAsync(tx).ConfigureAwait(false)
            ? await ReadVersionsAsync(tx).ConfigureAwait(false) : null, cancellationToken).ConfigureAwait(false);
        if (current is not null)
        {
            CheckNotTooNew(current, areas);
            if (IsCurrent(current, areas)) { _versions = current; return; }
        }
        // Slow path: under the write lock (SQLite) or advisory lock (PostgreSQL), so two processes migrate one after
        // the other and the second finds nothing left to do.
        _versions = await WriteAsync(async tx =>
        {
            await PrepareMigrationAsync(tx).ConfigureAwait(false);
            await tx.ExecuteAsync($"""
                CREATE TABLE IF NOT EXISTS {StateSchema.VersionTable} (
                    area TEXT PRIMARY KEY, version BIGINT NOT NULL, description TEXT NOT NULL,
                    applied_at BIGINT NOT NULL, applied_by TEXT NOT NULL)
                """).ConfigureAwait(false);
            var versions = await ReadVersionsAsync(tx).ConfigureAwait(false);
            CheckNotTooNew(versions, areas);
            var by = "OpsRunbook " + (typeof(StateStore).Assembly.GetName().Version?.ToString(3) ?? "?");
            if (!versions.ContainsKey(StateSchema.StoreAreaName))
            {
                await SetVersionAsync(tx, StateSchema.StoreAreaName, StateSchema.StoreFormatVersion, "version table", by).ConfigureAwait(false);
                versions[StateSchema.StoreAreaName] = StateSchema.StoreFormatVersion;
            }
            foreach (var area in areas)
            {
                var have = versions.GetValueOrDefault(area.Name);
                foreach (var m in area.Migrations.Where(m => m.Version > have))
                {
                    await tx.ExecuteAsync(m.For(Backend)).ConfigureAwait(false);
                    await SetVersionAsync(tx, area.Name, m.Version, m.Description, by).ConfigureAwait(false);
                    versions[area.Name] = m.Version;
                }
            }
            return versions;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, int>> ReadVersionsAsync(StateTransaction tx)
    {
        var rows = await tx.QueryAsync($"SELECT area, version FROM {StateSchema.VersionTable}", r => (r.GetString(0), r.GetInt64(1))).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => (int)r.Item2, StringComparer.Ordinal);
    }

    private static Task SetVersionAsync(StateTransaction tx, string area, int version, string description, string by) => tx.ExecuteAsync($"""
        INSERT INTO {StateSchema.VersionTable} (area, version, description, applied_at, applied_by) VALUES (@a, @v, @d, @t, @b)
        ON CONFLICT (area) DO UPDATE SET version = excluded.version, description = excluded.description, applied_at = excluded.applied_at, applied_by = excluded.applied_by
        """, ("a", area), ("v", version), ("d", description), ("t", DateTimeOffset.UtcNow), ("b", by));

    private static bool IsCurrent(Dictionary<string, int> versions, IReadOnlyList<IStateArea> areas)
        => versions.GetValueOrDefault(StateSchema.StoreAreaName) == StateSchema.StoreFormatVersion
           && areas.All(a => versions.GetValueOrDefault(a.Name) == a.Migrations.Count);

    private void CheckNotTooNew(Dictionary<string, int> versions, IReadOnlyList<IStateArea> areas)
    {
        foreach (var (name, version) in versions)
        {
            int known = name == StateSchema.StoreAreaName ? StateSchema.StoreFormatVersion : areas.FirstOrDefault(a => a.Name == name)?.Migrations.Count ?? -1;
            if (known >= version) continue;
            var what = known < 0 ? $"has tables of an area this version does not know ('{name}', version {version})"
                : $"has '{name}' at schema version {version}; this version knows up to {known}";
            throw new OpsException(ErrorIds.StateStoreTooNew,
                $"The state store {Location} was written by a newer OpsRunbook: it {what}. It was left untouched.", Location,
                "Update OpsRunbook on this host (every host that shares the store must run the same or a newer version), or point state.path at another file.");
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Last work on the connection before it closes (SQLite: keep its WAL file small).</summary>
    protected virtual void BeforeClose() { }

    public void Dispose()
    {
        try { BeforeClose(); }
        finally { Connection.Dispose(); }
        GC.SuppressFinalize(this);
    }

    public override string ToString() => $"{Backend} {Location}";
}
