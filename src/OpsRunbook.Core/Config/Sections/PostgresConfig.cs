namespace OpsRunbook.Core.Config;

/// <summary>postgres: host, port, database, username, password, sslMode, connectTimeoutSeconds.</summary>
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

    public void Validate(ConfigValidationContext c)
    {
        c.Require("host", Host);
        c.Require("database", Database);
        c.Require("username", Username);
        if (Port is < 1 or > 65535) c.Error("port", $"'port' must be 1-65535, not {Port}.", ConfigProblemKind.BadValue);
        if (!Enum.TryParse<Npgsql.SslMode>(SslMode, true, out _))
            c.Error("sslMode", $"'sslMode' must be one of {string.Join(", ", Enum.GetNames<Npgsql.SslMode>())}, not '{SslMode}'.", ConfigProblemKind.BadValue);
        c.Positive("connectTimeoutSeconds", ConnectTimeoutSeconds);
    }

    public override string ToString() => $"{Username}@{Host}:{Port}/{Database}";
}
