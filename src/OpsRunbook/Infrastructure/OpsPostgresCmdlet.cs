using System.Management.Automation;
using OpsRunbook.Core.Config;

namespace OpsRunbook.Commands;

/// <summary>
/// Base for cmdlets that work on a PostgreSQL server. Two parameter sets, as dbatools users expect:
/// Config (-Environment, -ConfigPath: the environment's postgres section) and Server (-Server host[:port]
/// -Database name: a server named on the command line, no ops.yaml needed). -Credential works in both.
/// In the Server set the environment is made of that server alone, every other section at its default.
/// </summary>
public abstract class OpsPostgresCmdlet : OpsEnvironmentCmdlet
{
    /// <summary>The parameter set that reads the server from ops.yaml.</summary>
    protected const string ConfigSet = "Config";
    /// <summary>The parameter set that takes the server from -Server/-Database.</summary>
    protected const string ServerSet = "Server";

    /// <inheritdoc />
    [Parameter(ParameterSetName = ConfigSet)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public override string? Environment { get => base.Environment; set => base.Environment = value; }

    /// <inheritdoc />
    [Parameter(ParameterSetName = ConfigSet)]
    [ValidateNotNullOrEmpty]
    public override string? ConfigPath { get => base.ConfigPath; set => base.ConfigPath = value; }

    /// <summary>host, host:port or [IPv6]:port of a PostgreSQL server to use instead of the config file's.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ServerSet)]
    [Alias("SqlInstance")]
    [ValidateNotNullOrEmpty]
    public string? Server { get; set; }

    /// <summary>With -Server: the database to connect to (default: postgres).</summary>
    [Parameter(ParameterSetName = ServerSet)]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    /// <summary>The user and password to connect with, instead of postgres.username/password (or, with -Server, $PGUSER/$PGPASSWORD).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The database an ad-hoc connection uses; a cmdlet whose -Database means something else overrides it.</summary>
    protected virtual string? ServerDatabase => Database;

    private PostgresConfig? _pg;

    /// <summary>The server to work on: the environment's postgres section or -Server, with the -Credential login when given.</summary>
    protected PostgresConfig Pg => _pg ??= Credential is null || Server is not null
        ? Env.Require(e => e.Postgres, "postgres")
        : Env.Require(e => e.Postgres, "postgres").WithLogin(Credential.UserName, CredentialSecret(Credential));

    protected override EnvironmentConfig LoadEnvironment()
    {
        if (Server is null) return base.LoadEnvironment();
        var pg = PostgresConfig.ForServer(Server, ServerDatabase, Credential?.UserName, Credential is null ? null : CredentialSecret(Credential));
        Verbose($"Server {pg} (from -Server; no config file).");
        return EnvironmentConfig.ForServer(pg);
    }

    private static Secret CredentialSecret(PSCredential credential) => Secret.FromCredential(credential.GetNetworkCredential().Password);


    /// <summary>Matches any of the wildcard patterns (case-insensitive); true when there are none.</summary>
    internal static bool MatchesAny(string? value, string[]? patterns)
        => patterns is not { Length: > 0 } || patterns.Any(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase).IsMatch(value ?? ""));
}
