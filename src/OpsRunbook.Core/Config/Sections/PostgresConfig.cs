namespace OpsRunbook.Core.Config;

/// <summary>postgres: host, port, database, username, password, sslMode, connectTimeoutSeconds, lockTimeoutSeconds, statementTimeoutSeconds.</summary>
public sealed class PostgresConfig : IValidatableConfig
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 5432;
    public string Database { get; set; } = "";
    public string Username { get; set; } = "";
    public Secret Password { get; set; } = Secret.None;
    /// <summary>Npgsql SslMode name: Disable, Allow, Prefer, Require, VerifyCA, VerifyFull.</summary>
    public string SslMode { get; set; } = "Prefer";
    public int ConnectTimeoutSeconds { get; set; } = 5;
    /// <summary>How long a read-only cmdlet's statement waits for a lock (lock_timeout) before it fails with DbLockTimeout.</summary>
    public int LockTimeoutSeconds { get; set; } = 5;
    /// <summary>How long a read-only cmdlet's statement may run (statement_timeout) before it fails with DbStatementTimeout.</summary>
    public int StatementTimeoutSeconds { get; set; } = 30;

    public void Validate(ConfigValidationContext c)
    {
        c.Require("host", Host);
        c.Require("database", Database);
        c.Require("username", Username);
        if (Port is < 1 or > 65535) c.Error("port", $"'port' must be 1-65535, not {Port}.", ConfigProblemKind.BadValue);
        if (!Enum.TryParse<Npgsql.SslMode>(SslMode, true, out _))
            c.Error("sslMode", $"'sslMode' must be one of {string.Join(", ", Enum.GetNames<Npgsql.SslMode>())}, not '{SslMode}'.", ConfigProblemKind.BadValue);
        c.Positive("connectTimeoutSeconds", ConnectTimeoutSeconds);
        c.Positive("lockTimeoutSeconds", LockTimeoutSeconds);
        c.Positive("statementTimeoutSeconds", StatementTimeoutSeconds);
    }

    public override string ToString() => $"{Username}@{Host}:{Port}/{Database}";

    /// <summary>The same server and database with another login (from a PSCredential). Every other key is kept.</summary>
    public PostgresConfig WithLogin(string username, Secret password)
    {
        var copy = (PostgresConfig)MemberwiseClone();
        copy.Username = username;
        copy.Password = password;
        return copy;
    }

    /// <summary>Another server with this section's login and settings (every key kept, so a key added later is never lost).</summary>
    public PostgresConfig WithServer(string host, int port)
    {
        var copy = (PostgresConfig)MemberwiseClone();
        copy.Host = host;
        copy.Port = port;
        return copy;
    }

    /// <summary>The database an ad-hoc connection (-Server without -Database) uses: the maintenance database.</summary>
    public const string DefaultAdHocDatabase = "postgres";

    /// <summary>
    /// An ad-hoc server, as dbatools users expect: -Server host[:port] -Database name [-Credential]. Without a
    /// credential the user is $PGUSER (else the OS user) and the password $PGPASSWORD (else ~/.pgpass), as libpq does.
    /// </summary>
    public static PostgresConfig ForServer(string server, string? database, string? username, Secret? password,
        Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= System.Environment.GetEnvironmentVariable;
        var (host, port) = ParseServer(server);
        var pgPassword = getEnvironmentVariable("PGPASSWORD");
        return new PostgresConfig
        {
            Host = host, Port = port ?? 5432,
            Database = string.IsNullOrEmpty(database) ? DefaultAdHocDatabase : database,
            Username = username ?? getEnvironmentVariable("PGUSER") ?? System.Environment.UserName,
            Password = password ?? (string.IsNullOrEmpty(pgPassword) ? Secret.None : Secret.FromEnvironment(pgPassword, "PGPASSWORD")),
        };
    }

    /// <summary>host, host:port, [::1]:5432 or a bare IPv6 address; the port is null when not given.</summary>
    public static (string Host, int? Port) ParseServer(string server)
    {
        var s = server.Trim();
        static Errors.OpsException Bad(string s, string why) => new(Errors.ErrorIds.PgServerInvalid,
            $"-Server '{s}' is not a server address: {why}.", s, "Write host, host:port, or [IPv6 address]:port, e.g. -Server db1.internal:5432.");
        if (s.Length == 0) throw Bad(s, "it is empty");
        string host;
        string? portText = null;
        if (s.StartsWith('['))
        {
            var end = s.IndexOf(']');
            if (end < 0) throw Bad(s, "the [ of an IPv6 address is not closed");
            host = s[1..end];
            var rest = s[(end + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':') throw Bad(s, "only :port may follow ]");
                portText = rest[1..];
            }
        }
        else if (s.Count(c => c == ':') == 1)
        {
            var i = s.IndexOf(':');
            host = s[..i];
            portText = s[(i + 1)..];
        }
        else host = s; // a name, an IPv4 address or a bare IPv6 address
        if (host.Length == 0 || host.Any(char.IsWhiteSpace)) throw Bad(s, "the host name is empty or has spaces");
        if (portText is null) return (host, null);
        if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw Bad(s, $"the port '{portText}' is not 1-65535");
        return (host, port);
    }
}
