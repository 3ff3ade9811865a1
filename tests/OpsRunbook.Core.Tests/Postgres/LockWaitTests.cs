using Npgsql;
using OpsRunbook.Core.Backup;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Core.Tests.Postgres;

/// <summary>
/// A read-only statement that waits on a lock held elsewhere ends in DbLockTimeout naming the relation and the
/// blocking session, within postgres.lockTimeoutSeconds; never a connect timeout. In a database of its own, so the
/// lock blocks no other test.
/// </summary>
public sealed class LockWaitTests : IAsyncLifetime
{
    private readonly string _db = $"opsrb_lock_{Guid.NewGuid():N}"[..24];
    private PostgresConfig _pg = null!;

    public async Task InitializeAsync()
    {
        _pg = await Sandbox.CreateScratchDatabaseAsync(_db);
        _pg.LockTimeoutSeconds = 1;
        _pg.StatementTimeoutSeconds = 2;
        await using var conn = await PgConnector.OpenAsync(_pg, null, CancellationToken.None);
        await using var cmd = new NpgsqlCommand("CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 100) g; ANALYZE users", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Sandbox.DropScratchDatabaseAsync(_db);

    private async Task<NpgsqlConnection> HoldLockAsync()
    {
        var holder = await PgConnector.OpenAsync(_pg, new PgConnectOptions { ApplicationName = "opsrb-lock-holder" }, CancellationToken.None);
        await using var cmd = new NpgsqlCommand("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE", holder);
        await cmd.ExecuteNonQueryAsync();
        return holder;
    }

    [Fact]
    public async Task Get_tables_behind_an_exclusive_lock_ends_in_DbLockTimeout_naming_the_relation_and_the_blocker()
    {
        await using var holder = await HoldLockAsync();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OpsException>(() => DbTables.GetTablesAsync(_pg, null, CancellationToken.None));
        sw.Stop();
        Assert.Same(ErrorIds.DbLockTimeout, e.Id);
        Assert.Contains("users", e.Message);
        Assert.Contains($"pid {holder.ProcessID}", e.Message);
        Assert.Contains("opsrb-lock-holder", e.Message);
        Assert.Contains("LOCK TABLE users", e.Message);
        Assert.Contains("lockTimeoutSeconds", e.Message);
        Assert.Contains($"Stop-OpsDbConnection -Pid {holder.ProcessID}", e.RecommendedAction);
        Assert.InRange(sw.Elapsed.TotalSeconds, 0.9, 5);
    }

    [Fact]
    public async Task A_statement_that_runs_too_long_ends_in_DbStatementTimeout_not_a_connect_timeout()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OpsException>(() => PgSql.WithConnectionAsync(_pg, null, async conn =>
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_sleep(30)", conn);
            return await cmd.ExecuteScalarAsync();
        }, CancellationToken.None));
        Assert.Same(ErrorIds.DbStatementTimeout, e.Id);
        Assert.Contains("statementTimeoutSeconds", e.Message);
        Assert.InRange(sw.Elapsed.TotalSeconds, 1.9, 6);
    }

    private async Task<long> BackupSessionsAsync()
    {
        await using var conn = await PgConnector.OpenAsync(_pg, new PgConnectOptions { Database = "postgres" }, CancellationToken.None);
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'OpsRunbook backup%'", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private EnvironmentConfig BackupEnv(int lockWaitSeconds)
    {
        var env = EnvironmentConfig.ForServer(_pg);
        env.Backup.LockWaitTimeoutSeconds = lockWaitSeconds;
        return env;
    }

    [Fact]
    public async Task A_backup_behind_a_lock_ends_in_DbLockTimeout_after_lockWaitTimeoutSeconds_and_leaves_nothing_behind()
    {
        await using var holder = await HoldLockAsync();
        var path = Path.Combine(Path.GetTempPath(), $"opsrb-lock-{Guid.NewGuid():N}.dump");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OpsException>(() => DatabaseBackup.RunAsync(BackupEnv(1), new BackupOptions { Path = path }, NullReporter.Allow, CancellationToken.None));
        sw.Stop();
        Assert.True(e.Id == ErrorIds.DbLockTimeout, $"{e.ErrorId}: {e.Message}");
        Assert.Contains("users", e.Message);
        Assert.Contains($"pid {holder.ProcessID}", e.Message);
        Assert.Contains("backup.lockWaitTimeoutSeconds", e.Message);
        Assert.InRange(sw.Elapsed.TotalSeconds, 0.9, 8);
        Assert.False(File.Exists(path) || File.Exists(path + ".partial"), "a partial dump was left");
        Assert.Equal(0, await BackupSessionsAsync());
    }

    [Fact]
    public async Task A_cancelled_backup_ends_pg_dump_and_its_server_session()
    {
        await using var holder = await HoldLockAsync();
        var path = Path.Combine(Path.GetTempPath(), $"opsrb-lock-{Guid.NewGuid():N}.dump");
        using var cts = new CancellationTokenSource();
        var run = DatabaseBackup.RunAsync(BackupEnv(600), new BackupOptions { Path = path }, NullReporter.Allow, cts.Token);
        // Wait until pg_dump's session waits on the lock, as it did for ever before.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await BackupSessionsAsync() < 2 && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
        Assert.True(await BackupSessionsAsync() >= 2, "pg_dump never connected");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(8), $"cancellation took {sw.Elapsed}");
        Assert.Equal(0, await BackupSessionsAsync());
        Assert.False(File.Exists(path) || File.Exists(path + ".partial"), "a partial dump was left");
    }
}
