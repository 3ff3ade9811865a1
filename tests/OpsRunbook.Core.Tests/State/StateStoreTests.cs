using System.Security.Cryptography;
using Npgsql;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.State;
using OpsRunbook.Core.Tests.Disk;

namespace OpsRunbook.Core.Tests.State;

/// <summary>A test area: a table of notes, with a second migration that adds a column.</summary>
internal sealed class NotesArea(int versions = 2, string name = "notes") : IStateArea
{
    public string Name => name;
    public IReadOnlyList<string> Tables => [name];
    public IReadOnlyList<StateMigration> Migrations => new StateMigration[]
    {
        new(1, "notes", $"CREATE TABLE {name} (id {{{{identity}}}}, body TEXT NOT NULL, at BIGINT NOT NULL)"),
        new(2, "notes.author", $"ALTER TABLE {name} ADD COLUMN author TEXT"),
    }.Take(versions).ToList();
}

/// <summary>The store's contract, run against both backends.</summary>
public abstract class StateStoreContract
{
    protected abstract StateConfig Config();

    protected Task<IStateStore> OpenAsync(params IStateArea[] areas) => StateStore.OpenAsync(Config(), areas, CancellationToken.None);

    [Fact]
    public async Task Migrates_on_first_use_and_records_each_area_version()
    {
        await using (var store = await OpenAsync(new NotesArea(1)))
            Assert.Equal(1, store.SchemaVersions["notes"]);
        await using (var store = await OpenAsync(new NotesArea(2), new HealthStateArea()))
        {
            Assert.Equal(2, store.SchemaVersions["notes"]);
            Assert.Equal(2, store.SchemaVersions["health"]);
            Assert.Equal(StateSchema.StoreFormatVersion, store.SchemaVersions[StateSchema.StoreAreaName]);
            await store.WriteAsync(tx => tx.ExecuteAsync("INSERT INTO notes (body, at, author) VALUES (@b, @t, @a)",
                ("b", "hello"), ("t", DateTimeOffset.FromUnixTimeMilliseconds(1234)), ("a", "me")), CancellationToken.None);
            var rows = await store.ReadAsync(tx => tx.QueryAsync("SELECT body, at, author FROM notes", r => (r.GetString(0), r.GetInt64(1), r.GetString(2))), CancellationToken.None);
            Assert.Equal([("hello", 1234L, "me")], rows);
        }
    }

    [Fact]
    public async Task A_transaction_that_throws_is_rolled_back()
    {
        await using var store = await OpenAsync(new NotesArea());
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync<int>(async tx =>
        {
            await tx.ExecuteAsync("INSERT INTO notes (body, at) VALUES ('lost', 1)");
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));
        Assert.Equal(0, await store.ReadAsync(tx => tx.ScalarAsync<long>("SELECT count(*) FROM notes"), CancellationToken.None));
    }

    [Fact]
    public async Task A_store_with_a_newer_area_version_is_refused_and_left_untouched()
    {
        await using (var _ = await OpenAsync(new NotesArea(2))) { }
        var before = await SnapshotAsync();
        var e = await Assert.ThrowsAsync<OpsException>(() => OpenAsync(new NotesArea(1)));
        Assert.Equal(ErrorIds.StateStoreTooNew, e.Id);
        Assert.Contains("'notes' at schema version 2", e.Message);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_store_with_an_area_this_version_does_not_know_is_refused()
    {
        await using (var _ = await OpenAsync(new NotesArea(1), new NotesArea(1, "future"))) { }
        var e = await Assert.ThrowsAsync<OpsException>(() => OpenAsync(new NotesArea(1)));
        Assert.Equal(ErrorIds.StateStoreTooNew, e.Id);
        Assert.Contains("'future'", e.Message);
    }

    [Fact]
    public async Task Concurrent_first_opens_migrate_once_without_errors()
    {
        var opens = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            await using var s = await OpenAsync(new NotesArea(), new HealthStateArea());
            await s.WriteAsync(tx => tx.ExecuteAsync("INSERT INTO notes (body, at) VALUES ('x', 1)"), CancellationToken.None);
        }));
        await Task.WhenAll(opens);
        await using var store = await OpenAsync(new NotesArea(), new HealthStateArea());
        Assert.Equal(6, await store.ReadAsync(tx => tx.ScalarAsync<long>("SELECT count(*) FROM notes"), CancellationToken.None));
    }

    [Fact]
    public async Task LockAsync_serialises_writers_on_a_key()
    {
        await using var store = await OpenAsync(new NotesArea());
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var s = await OpenAsync(new NotesArea());
            for (var i = 0; i < 10; i++)
                await s.WriteAsync(async tx =>
                {
                    await tx.LockAsync("counter");
                    var n = await tx.ScalarAsync<long>("SELECT count(*) FROM notes");
                    return await tx.ExecuteAsync("INSERT INTO notes (body, at) VALUES (@b, 0)", ("b", $"n{n}"));
                }, CancellationToken.None);
        })));
        var bodies = await store.ReadAsync(tx => tx.QueryAsync("SELECT body FROM notes", r => r.GetString(0)), CancellationToken.None);
        Assert.Equal(40, bodies.Distinct().Count()); // no two writers read the same count
    }

    /// <summary>The store's content as a comparable string (SQLite: the file's hash; PostgreSQL: the version rows).</summary>
    protected abstract Task<string> SnapshotAsync();
}

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SqliteStateStoreTests : StateStoreContract, IDisposable
{
    private readonly TempTree _dir = new();
    private string DbPath => Path.Combine(_dir.Root, "nested", "dir", "state.db");

    protected override StateConfig Config() => new() { Path = DbPath };

    // The file and its WAL: committed rows stay in state.db-wal after a close (no checkpoint on close).
    protected override Task<string> SnapshotAsync() => Task.FromResult(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(DbPath))) + "/"
        + (File.Exists(DbPath + "-wal") ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(DbPath + "-wal"))) : "-"));

    [Fact]
    public async Task Closing_does_not_checkpoint_the_rows_stay_in_the_WAL_and_the_next_open_reads_them()
    {
        await using (var s = await OpenAsync(new NotesArea()))
            await s.WriteAsync(tx => tx.ExecuteAsync("INSERT INTO notes (body, at) VALUES ('kept', 1)"), CancellationToken.None);
        Assert.True(SqliteStateStore.FileSize(DbPath + "-wal") > 0, "a checkpoint on close would have emptied the WAL");
        await using (var again = await OpenAsync(new NotesArea()))
            Assert.Equal("kept", await again.ReadAsync(tx => tx.ScalarAsync<string>("SELECT body FROM notes"), CancellationToken.None));
        // another SQLite (the CLI, a backup tool) sees the same rows through the WAL
        var count = await OpsRunbook.Core.Systems.ProcessRunner.RunAsync("sqlite3", [DbPath, "SELECT count(*) FROM notes"], TimeSpan.FromSeconds(10), "sqlite3", CancellationToken.None);
        Assert.Equal("1", count.StdOut.Trim());
    }

    [Fact]
    public async Task A_WAL_past_the_limit_is_checkpointed_into_the_file_and_truncated_on_close()
    {
        await using (var s = await OpenAsync(new NotesArea()))
            await s.WriteAsync(tx => tx.ExecuteAsync("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
                INSERT INTO notes (body, at) SELECT printf('%0500d', i), i FROM n
                """), CancellationToken.None);
        Assert.Equal(0, SqliteStateStore.FileSize(DbPath + "-wal"));
        Assert.True(SqliteStateStore.FileSize(DbPath) > SqliteStateStore.WalCheckpointBytes);
        await using var again = await OpenAsync(new NotesArea());
        Assert.Equal(3000L, await again.ReadAsync(tx => tx.ScalarAsync<long>("SELECT count(*) FROM notes"), CancellationToken.None));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Creates_the_missing_directory_and_opens_in_WAL_mode()
    {
        await using var store = await OpenAsync(new NotesArea());
        Assert.True(File.Exists(DbPath));
        Assert.Equal(StateBackend.Sqlite, store.Backend);
        Assert.Equal("wal", await store.ReadAsync(tx => tx.ScalarAsync<string>("PRAGMA journal_mode"), CancellationToken.None));
        Assert.Equal(15000L, await store.ReadAsync(tx => tx.ScalarAsync<long>("PRAGMA busy_timeout"), CancellationToken.None));
    }

    [Fact]
    public async Task A_file_of_random_bytes_is_StateStoreCorrupt_naming_the_file_and_left_as_it_was()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        var junk = RandomNumberGenerator.GetBytes(64 * 1024);
        File.WriteAllBytes(DbPath, junk);
        var e = await Assert.ThrowsAsync<OpsException>(() => OpenAsync(new NotesArea()));
        Assert.Equal(ErrorIds.StateStoreCorrupt, e.Id);
        Assert.Contains(DbPath, e.Message);
        Assert.Equal(junk, File.ReadAllBytes(DbPath));
    }

    [Fact]
    public async Task A_read_only_file_is_StateStoreReadOnly()
    {
        await using (var _ = await OpenAsync(new NotesArea())) { }
        File.SetUnixFileMode(DbPath, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = UnprivilegedThread.Run(() => Assert.ThrowsAsync<OpsException>(() => OpenAsync(new NotesArea())).GetAwaiter().GetResult());
        Assert.Equal(ErrorIds.StateStoreReadOnly, e.Id);
        Assert.Contains(DbPath, e.Message);
    }

    [Fact]
    public async Task A_read_only_directory_is_StateStoreReadOnly()
    {
        var dir = Path.GetDirectoryName(DbPath)!;
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var e = UnprivilegedThread.Run(() => Assert.ThrowsAsync<OpsException>(() => OpenAsync(new NotesArea())).GetAwaiter().GetResult());
            Assert.Equal(ErrorIds.StateStoreReadOnly, e.Id);
            Assert.False(File.Exists(DbPath));
        }
        finally { File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); }
    }

    [Fact]
    public void The_default_path_follows_XDG_DATA_HOME_then_the_home_directory()
    {
        var none = new StateConfig();
        Assert.Equal("/x/data/opsrunbook/state.db", StateStore.ResolvePath(none, n => n == "XDG_DATA_HOME" ? "/x/data" : null, "/home/u"));
        Assert.Equal("/home/u/.local/share/opsrunbook/state.db", StateStore.ResolvePath(none, _ => null, "/home/u"));
        Assert.Equal("/home/u/.local/share/opsrunbook/state.db", StateStore.ResolvePath(none, _ => "relative/ignored", "/home/u"));
        Assert.Equal("/home/u/s/state.db", StateStore.ResolvePath(new StateConfig { Path = "~/s/state.db" }, _ => null, "/home/u"));
        Assert.Equal("/srv/state.db", StateStore.ResolvePath(new StateConfig { Path = "/srv/state.db" }, _ => "/x", "/home/u"));
    }

    [Fact]
    public void Finds_the_areas_of_the_core_by_itself()
        => Assert.Contains(StateSchema.Areas, a => a is HealthStateArea);

    [Fact]
    public async Task Get_OpsState_reports_location_versions_and_rows_and_does_not_create_a_missing_file()
    {
        var env = new EnvironmentConfig { State = Config() };
        var missing = await StateInspector.InspectAsync(env, [new NotesArea()], CancellationToken.None);
        Assert.Equal(StateStoreStatus.NotCreated, missing.Status);
        Assert.False(File.Exists(DbPath));
        await using (var s = await OpenAsync(new NotesArea()))
            await s.WriteAsync(tx => tx.ExecuteAsync("INSERT INTO notes (body, at) VALUES ('a', 1), ('b', 2)"), CancellationToken.None);
        var info = await StateInspector.InspectAsync(env, [new NotesArea()], CancellationToken.None);
        Assert.Equal(StateStoreStatus.Ok, info.Status);
        Assert.Equal(DbPath, info.Location);
        Assert.Equal("notes 2", info.AreaVersions);
        Assert.Equal(2, info.Rows);
        Assert.True(info.SizeBytes > 0);
        // A damaged store: the file and its WAL (a WAL holding page 1 would otherwise still answer for the file's pages).
        File.WriteAllBytes(DbPath, RandomNumberGenerator.GetBytes(8192));
        if (File.Exists(DbPath + "-wal")) File.WriteAllBytes(DbPath + "-wal", RandomNumberGenerator.GetBytes(8192));
        var corrupt = await StateInspector.InspectAsync(env, [new NotesArea()], CancellationToken.None);
        Assert.Equal(StateStoreStatus.Corrupt, corrupt.Status);
        Assert.Contains(DbPath, corrupt.Problem);
    }
}

/// <summary>The same contract on the sandbox's PostgreSQL, each test in its own schema.</summary>
public sealed class PostgresStateStoreTests : StateStoreContract, IAsyncLifetime
{
    private readonly string _schema = "st_" + Guid.NewGuid().ToString("N")[..12];

    protected override StateConfig Config() => new() { Postgres = Sandbox.Environment().Postgres, Schema = _schema };

    protected override async Task<string> SnapshotAsync()
    {
        await using var conn = await PgConnector.OpenAsync(Sandbox.Environment().Postgres!, null, CancellationToken.None);
        await using var cmd = new NpgsqlCommand($"SELECT string_agg(area || version, ',' ORDER BY area) FROM \"{_schema}\".opsrunbook_schema", conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await using var conn = await PgConnector.OpenAsync(Sandbox.Environment().Postgres!, null, CancellationToken.None);
        await using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Keeps_the_tables_in_the_configured_schema()
    {
        await using var store = await OpenAsync(new NotesArea());
        Assert.Equal(StateBackend.PostgreSql, store.Backend);
        Assert.Contains($"schema {_schema}", store.Location);
        Assert.Equal(1L, await store.ReadAsync(tx => tx.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = @s AND table_name = 'notes'", ("s", _schema)), CancellationToken.None));
    }
}
