using System.Management.Automation;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;

namespace OpsRunbook.Commands;

/// <summary>Base for cmdlets that work on the environment's PostgreSQL.</summary>
public abstract class OpsPostgresCmdlet : OpsEnvironmentCmdlet
{
    protected PostgresConfig Pg => Env.Require(e => e.Postgres, "postgres");

    internal static PgConnectOptions? OptionsFor(PSCredential? credential) => credential is null ? null : new PgConnectOptions
    {
        Username = credential.UserName,
        Password = Secret.FromCredential(credential.GetNetworkCredential().Password),
    };

    /// <summary>Matches any of the wildcard patterns (case-insensitive); true when there are none.</summary>
    internal static bool MatchesAny(string? value, string[]? patterns)
        => patterns is not { Length: > 0 } || patterns.Any(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase).IsMatch(value ?? ""));
}
