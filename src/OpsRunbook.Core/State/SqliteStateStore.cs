using System.Data.Common;
using Microsoft.Data.Sqlite;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.State;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with a busy timeout, so a cron job and an interactive session write
/// at the same time; writers queue behind BEGIN IMMEDIATE. A file it cannot read is reported, never replaced.
/// Closing does not checkpoint (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE): SQLite's checkpoint on the last close, and the WAL
/// header written again after it, cost three fsyncs per cmdlet run (15-20 ms on a virtual disk), more than the writes
/// themselves. Committed rows stay in state.db-wal, as they do under any long-lived connection, and the store is
/// checkpointed and the WAL truncated once it passes <see cref="WalCheckpointBytes"/>. synchronous=NORMAL as before: a
/// killed process loses nothing; a power loss can lose the transactions since the last checkpoint, never the file.
/// </summary>
internal sealed class SqliteStateStore : StateStoreBase
{
    private readonly string _path;

    private SqliteStateStore(SqliteConnection connection, string path) : base(connection) => _path = path;

    /// <summary>The WAL size past which closing the store checkpoints it and truncates the WAL (about 10 recorded sweeps).</summary>
    internal const long WalCheckpointBytes = 1024 * 1024;

    public override StateBackend Backend => StateBackend.Sqlite;
    public override string Location => _path;

    public static SqliteStateStore Open(string path)
    {
        path = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(path)!;
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new OpsException(ErrorIds.StateStoreReadOnly, $"Cannot create the state store's directory {dir}: {e.Message}", path,
                "Create the directory with write access for this user, or set state.path to a writable place.", e);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // the file is closed when the cmdlet ends
            DefaultTimeout = (int)StateStore.BusyTimeout.TotalSeconds,
        }.ToString());
        var store = new SqliteStateStore(connection, path);
        try
        {
            connection.Open();
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
                throw store.ReadOnly("the file is not writable");
            SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = $"PRAGMA busy_timeout = {(int)StateStore.BusyTimeout.TotalMilliseconds}";
                cmd.ExecuteNonQuery();
                cmd.CommandText = "PRAGMA journal_mode = WAL";
                var mode = cmd.ExecuteScalar() as string;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                    throw new OpsException(ErrorIds.StateStoreUnavailable, $"The state store {path} cannot use WAL mode (journal_mode is '{mode}').", path,
                        "Put state.path on a local file system (WAL needs shared memory, which network file systems lack).");
                cmd.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
                cmd.ExecuteNonQuery();
            }
            return store;
        }
        catch (Exception e)
        {
            connection.Dispose();
            if (e is SqliteException) throw store.Translate(e);
            throw;
        }
    }

    /// <summary>
    /// Checkpoints and truncates the WAL once it is past <see cref="WalCheckpointBytes"/>, without waiting for other
    /// connections (busy timeout 0): when one is busy, a later close does it. A failure here never hides the work done.
    /// </summary>
    protected override void BeforeClose()
    {
        var connection = (SqliteConnection)Connection;
        if (connection.State != System.Data.ConnectionState.Open || FileSize(_path + "-wal") <= WalCheckpointBytes) return;
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandTimeout = 1;
            cmd.CommandText = "PRAGMA busy_timeout = 0; PRAGMA wal_checkpoint(TRUNCATE);";
            cmd.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // busy or read-only: the rows are safe in the WAL either way
        }
    }

    protected override Task<DbTransaction> BeginAsync(bool write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // deferred: false is BEGIN IMMEDIATE: the write lock is taken (or waited for) now, not at the first write, so a
        // writer never fails half-way with SQLITE_BUSY_SNAPSHOT.
        return Task.FromResult<DbTransaction>(((SqliteConnection)Connection).BeginTransaction(deferred: !write));
    }

    protected override async Task<bool> VersionTableExistsAsync(StateTransaction tx)
        => await tx.ScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @n", ("n", StateSchema.VersionTable)).ConfigureAwait(false) > 0;

    public override Task<long> SizeBytesAsync(CancellationToken cancellationToken)
        => Task.FromResult(FileSize(_path) + FileSize(_path + "-wal"));

    internal static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    protected override bool IsBackendError(Exception e) => e is SqliteException;

    private OpsException ReadOnly(string why, Exception? inner = null) => new(ErrorIds.StateStoreReadOnly,
        $"The state store {_path} cannot be written: {why}.", _path,
        "Give this user write access to the file and its directory (SQLite writes state.db-wal and state.db-shm beside it), or set state.path to a writable place.", inner);

    public override Exception Translate(Exception error)
    {
        if (error is not SqliteException e) return error;
        return e.SqliteErrorCode switch
        {
            SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_CORRUPT => new OpsException(ErrorIds.StateStoreCorrupt,
                $"The state store {_path} is not a SQLite database or is damaged ({e.Message.TrimEnd('.')}). It was left untouched.", _path,
                $"Move it aside with its WAL, whose recent rows belong to it (mv '{_path}' '{_path}.broken'; mv '{_path}-wal' '{_path}.broken-wal'; rm -f '{_path}-shm'; the -wal may be absent): the next run starts a new, empty store. sqlite3 '{_path}.broken' '.recover' may save its rows.", e),
            SQLitePCL.raw.SQLITE_READONLY or SQLitePCL.raw.SQLITE_PERM => ReadOnly(e.Message.TrimEnd('.'), e),
            SQLitePCL.raw.SQLITE_CANTOPEN when !DirectoryWritable() => ReadOnly($"its directory {Path.GetDirectoryName(_path)} is not writable", e),
            SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED => new OpsException(ErrorIds.StateStoreBusy,
                $"The state store {_path} stayed locked by another process for more than {StateStore.BusyTimeout.TotalSeconds:0} s.", _path,
                $"Find the process holding it (fuser '{_path}') and let it finish.", e),
            _ => new OpsException(ErrorIds.StateStoreUnavailable, $"The state store {_path} failed: {e.Message}", _path, null, e),
        };
    }

    private bool DirectoryWritable()
    {
        var probe = Path.Combine(Path.GetDirectoryName(_path)!, $".opsrunbook-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe)) { }
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
