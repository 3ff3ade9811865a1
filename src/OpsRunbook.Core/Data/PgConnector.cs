using Npgsql;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Data;

/// <summary>How to open one connection. Defaults suit one-shot operator commands.</summary>
public sealed record PgConnectOptions
{
    /// <summary>Connect to this database instead of the config's (e.g. 'postgres' for CREATE DATABASE).</summary>
    public string? Database { get; init; }
    /// <summary>Overrides postgres.connectTimeoutSeconds.</summary>
    public TimeSpan? ConnectTimeout { get; init; }
    /// <summary>Seconds a command may run before Npgsql cancels it; 0 means no limit.</summary>
    public int CommandTimeoutSeconds { get; init; } = 30;
    /// <summary>Off by default: an emergency must not wait on, or be held by, a pool.</summary>
    public bool Pooling { get; init; }
    public string ApplicationName { get; init; } = "OpsRunbook";
    /// <summary>A user name and password that replace the config's (from a PSCredential).</summary>
    public string? Username { get; init; }
    public Secret? Password { get; init; }
    /// <summary>Server-side lock_timeout for every statement of the session (read-only cmdlets: postgres.lockTimeoutSeconds).</summary>
    public TimeSpan? LockTimeout { get; init; }
    /// <summary>Server-side statement_timeout (read-only cmdlets: postgres.statementTimeoutSeconds); the client's command timeout is set a little longer.</summary>
    public TimeSpan? StatementTimeout { get; init; }

    /// <summary>These options with the read-only bounds of the postgres section, where the caller set none.</summary>
    public PgConnectOptions WithReadOnlyBounds(PostgresConfig cfg) => this with
    {
        LockTimeout = LockTimeout ?? TimeSpan.FromSeconds(cfg.LockTimeoutSeconds),
        StatementTimeout = StatementTimeout ?? TimeSpan.FromSeconds(cfg.StatementTimeoutSeconds),
    };
}

/// <summary>Opens Npgsql connections from the postgres section, turning failures into clear OpsExceptions.</summary>
public static class PgConnector
{
    public static NpgsqlConnectionStringBuilder ConnectionString(PostgresConfig cfg, PgConnectOptions? options = null)
    {
        options ??= new PgConnectOptions();
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = cfg.Host,
            Port = cfg.Port,
            Database = options.Database ?? cfg.Database,
            Username = options.Username ?? cfg.Username,
            Password = (options.Password ?? cfg.Password).Reveal(),
            SslMode = Enum.Parse<SslMode>(cfg.SslMode, true),
            Timeout = (int)Math.Ceiling((options.ConnectTimeout ?? TimeSpan.FromSeconds(cfg.ConnectTimeoutSeconds)).TotalSeconds),
            CommandTimeout = options.CommandTimeoutSeconds,
            Pooling = options.Pooling,
            ApplicationName = options.ApplicationName,
            PersistSecurityInfo = false,
            IncludeErrorDetail = false,
        };
        var settings = new List<string>();
        if (options.LockTimeout is { } lt) settings.Add($"-c lock_timeout={Math.Max(1, (long)lt.TotalMilliseconds)}");
        if (options.StatementTimeout is { } st)
        {
            settings.Add($"-c statement_timeout={Math.Max(1, (long)st.TotalMilliseconds)}");
            // The server's cancel (a clear SQLSTATE) comes first; the client's timeout only backs it up.
            if (b.CommandTimeout > 0) b.CommandTimeout = Math.Max(b.CommandTimeout, (int)Math.Ceiling(st.TotalSeconds) + 5);
        }
        if (settings.Count > 0) b.Options = string.Join(' ', settings);
        return b;
    }

    /// <summary>A description of the target that is safe to print: user@host:port/database.</summary>
    public static string Describe(PostgresConfig cfg, PgConnectOptions? options = null)
        => $"{options?.Username ?? cfg.Username}@{cfg.Host}:{cfg.Port}/{options?.Database ?? cfg.Database}";

    public static async Task<NpgsqlConnection> OpenAsync(PostgresConfig cfg, PgConnectOptions? options, CancellationToken cancellationToken)
    {
        var conn = new NpgsqlConnection(ConnectionString(cfg, options).ConnectionString);
        // Npgsql does not always honour the token while it waits for a server's first bytes, so stop
        // waiting on cancellation ourselves. A connection cannot be disposed while it is connecting:
        // it is disposed when the abandoned attempt ends (at the latest, at the connect timeout).
        var open = conn.OpenAsync(cancellationToken);
        try
        {
            await open.WaitAsync(cancellationToken).ConfigureAwait(false);
            return conn;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = open.ContinueWith(_ => conn.Dispose(), TaskScheduler.Default);
            throw;
        }
        catch (Exception e)
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw Translate(e, cfg, options);
        }
    }

    /// <summary>Turns an Npgsql failure into an OpsException that names the server and the fix.</summary>
    public static OpsException Translate(Exception e, PostgresConfig cfg, PgConnectOptions? options = null)
    {
        var target = Describe(cfg, options);
        return e switch
        {
            PostgresException { SqlState: "28P01" or "28000" } pe => new OpsException(ErrorIds.DbAuthenticationFailed, $"PostgreSQL at {target} refused the login: {pe.MessageText}", target,
                "Check postgres.username and the variable behind postgres.password (e.g. $env:DB_PASSWORD), or pass -Credential.", e),
            PostgresException { SqlState: "3D000" } pe => new OpsException(ErrorIds.DbDatabaseNotFound, $"PostgreSQL at {target}: {pe.MessageText}", target, "Check postgres.database in the config.", e),
            PostgresException { SqlState: "53300" } pe => new OpsException(ErrorIds.DbTooManyConnections, $"PostgreSQL at {target} has no free connection slots: {pe.MessageText}", target,
                "Connect as a superuser (reserved slots) and run: Get-OpsDbConnection -State idle -IdleLongerThan 00:05:00 | Stop-OpsDbConnection", e),
            PostgresException pe => new OpsException(ErrorIds.DbError, $"PostgreSQL at {target} returned {pe.SqlState}: {pe.MessageText}", target, null, e),
            TimeoutException or NpgsqlException { InnerException: TimeoutException } => new OpsException(ErrorIds.DbConnectTimeout, $"PostgreSQL at {target} did not answer within the connect timeout.", target,
                "Check that the server is up and reachable, or raise postgres.connectTimeoutSeconds.", e),
            NpgsqlException ne => new OpsException(ErrorIds.DbConnectFailed, $"Cannot reach PostgreSQL at {target}: {Innermost(ne).Message}", target,
                "Check that the server is running and that postgres.host/port are right.", e),
            _ => new OpsException(ErrorIds.DbConnectFailed, $"Cannot reach PostgreSQL at {target}: {e.Message}", target, null, e),
        };
    }

    /// <summary>
    /// Turns a failure of a statement on an open connection into an OpsException: a lock wait that ran out is
    /// DbLockTimeout (with the blockers when known), a statement that ran too long DbStatementTimeout, never a connect error.
    /// </summary>
    public static OpsException TranslateQuery(Exception e, PostgresConfig cfg, PgConnectOptions? options, PgLockWait? blockers = null)
    {
        var target = Describe(cfg, options);
        switch (e)
        {
            case PostgresException { SqlState: "55P03" } pe:
            {
                var wait = options?.LockTimeout is { } lt ? $" within {lt.TotalSeconds:0.###} s (postgres.lockTimeoutSeconds)" : "";
                var what = blockers is null
                    ? $"PostgreSQL at {target}: a statement did not get its lock{wait}: {pe.MessageText}."
                    : $"PostgreSQL at {target}: a statement did not get its lock on {blockers.Relation}{wait}; {blockers.Describe()}.";
                var action = blockers is { Blockers.Count: > 0 }
                    ? $"Wait for that session to finish, or end it: Stop-OpsDbConnection -Pid {blockers.Blockers[0].Pid}. Raise postgres.lockTimeoutSeconds to wait longer."
                    : "Find the session holding the lock (Get-OpsDbConnection) and wait for it or end it; raise postgres.lockTimeoutSeconds to wait longer.";
                return new OpsException(ErrorIds.DbLockTimeout, what, blockers?.Relation ?? target, action, e);
            }
            case PostgresException { SqlState: "57014" } pe when pe.MessageText.Contains("statement timeout", StringComparison.OrdinalIgnoreCase):
            case NpgsqlException { InnerException: TimeoutException }:
            {
                var limit = options?.StatementTimeout is { } st ? $" within {st.TotalSeconds:0.###} s (postgres.statementTimeoutSeconds)" : " within the command timeout";
                return new OpsException(ErrorIds.DbStatementTimeout, $"PostgreSQL at {target}: a statement did not finish{limit}.", target,
                    "Check the server's load (Get-OpsDbConnection -State active); raise postgres.statementTimeoutSeconds if the server is slow but working.", e);
            }
            default:
                return Translate(e, cfg, options);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
