using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.State;

/// <summary>How the store is: the first thing to look at when something is wrong with it.</summary>
public enum StateStoreStatus
{
    Ok,
    /// <summary>The SQLite file does not exist yet: the first run that stores something creates it.</summary>
    NotCreated,
    TooNew,
    Corrupt,
    ReadOnly,
    Busy,
    Unavailable,
}

/// <summary>One table of the store and its row count.</summary>
public sealed record StateTableInfo(string Area, string Table, long Rows);

/// <summary>Get-OpsState's answer: where the store is, its backend, schema versions, size and row counts.</summary>
public sealed class StateStoreInfo
{
    public string Environment { get; init; } = "";
    public StateBackend Backend { get; init; }
    /// <summary>The SQLite file, or user@host:port/database schema NAME.</summary>
    public string Location { get; init; } = "";
    public StateStoreStatus Status { get; init; }
    /// <summary>The store's format version (its bookkeeping table), 0 when unknown.</summary>
    public int SchemaVersion { get; init; }
    /// <summary>Each area's schema version: "health 1, payments 2".</summary>
    public string AreaVersions { get; init; } = "";
    public long SizeBytes { get; init; }
    public long Rows => Tables.Sum(t => t.Rows);
    public IReadOnlyList<StateTableInfo> Tables { get; init; } = [];
    /// <summary>The retention of health results (state.healthRetention).</summary>
    public TimeSpan HealthRetention { get; init; }
    public double HealthRetentionMs => HealthRetention.TotalMilliseconds;
    /// <summary>What is wrong, when Status is not Ok (the error's message and its id).</summary>
    public string? Problem { get; init; }
    public string? ErrorId { get; init; }

    public override string ToString() => $"{Backend} {Location}: {Status}";
}

public static class StateInspector
{
    /// <summary>Describes the environment's store. Opening it migrates it; a SQLite file that does not exist is not created.</summary>
    public static async Task<StateStoreInfo> InspectAsync(EnvironmentConfig environment, IReadOnlyList<IStateArea>? areas, CancellationToken cancellationToken)
    {
        var config = environment.State;
        areas ??= StateSchema.Areas;
        var backend = config.Postgres is null ? StateBackend.Sqlite : StateBackend.PostgreSql;
        var location = backend == StateBackend.Sqlite ? Path.GetFullPath(StateStore.ResolvePath(config)) : $"{Data.PgConnector.Describe(config.Postgres!)} schema {config.Schema}";
        if (backend == StateBackend.Sqlite && !File.Exists(location))
            return new StateStoreInfo { Environment = environment.Name, Backend = backend, Location = location, Status = StateStoreStatus.NotCreated, HealthRetention = config.HealthRetention };
        try
        {
            await using var store = await StateStore.OpenAsync(config, areas, cancellationToken).ConfigureAwait(false);
            var tables = await store.ReadAsync(async tx =>
            {
                var list = new List<StateTableInfo>();
                foreach (var area in areas)
                foreach (var t in area.Tables)
                    list.Add(new StateTableInfo(area.Name, t, await tx.ScalarAsync<long>($"SELECT count(*) FROM {t}").ConfigureAwait(false)));
                return list;
            }, cancellationToken).ConfigureAwait(false);
            var versions = store.SchemaVersions;
            return new StateStoreInfo
            {
                Environment = environment.Name, Backend = backend, Location = store.Location, Status = StateStoreStatus.Ok,
                SchemaVersion = versions.GetValueOrDefault(StateSchema.StoreAreaName),
                AreaVersions = string.Join(", ", versions.Where(v => v.Key != StateSchema.StoreAreaName).OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key} {v.Value}")),
                SizeBytes = await store.SizeBytesAsync(cancellationToken).ConfigureAwait(false),
                Tables = tables, HealthRetention = config.HealthRetention,
            };
        }
        catch (OpsException e) when (StatusOf(e) is { } status)
        {
            return new StateStoreInfo
            {
                Environment = environment.Name, Backend = backend, Location = location, Status = status, Problem = e.Message, ErrorId = e.ErrorId,
                SizeBytes = backend == StateBackend.Sqlite ? SqliteStateStore.FileSize(location) + SqliteStateStore.FileSize(location + "-wal") : 0,
                HealthRetention = config.HealthRetention,
            };
        }
    }

    private static StateStoreStatus? StatusOf(OpsException e) => e.ErrorId switch
    {
        nameof(ErrorIds.StateStoreTooNew) => StateStoreStatus.TooNew,
        nameof(ErrorIds.StateStoreCorrupt) => StateStoreStatus.Corrupt,
        nameof(ErrorIds.StateStoreReadOnly) => StateStoreStatus.ReadOnly,
        nameof(ErrorIds.StateStoreBusy) => StateStoreStatus.Busy,
        nameof(ErrorIds.StateStoreUnavailable) => StateStoreStatus.Unavailable,
        _ => null,
    };
}
