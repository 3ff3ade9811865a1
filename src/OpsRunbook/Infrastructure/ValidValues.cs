using System.Management.Automation;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>
/// A [ValidateSet] whose values come from the code (a registry, a list in the core) and that can describe each
/// value. Build-Help.ps1 lists the values and their descriptions under the parameter, so help cannot drift.
/// </summary>
public interface IDescribedValues
{
    IEnumerable<KeyValuePair<string, string>> Describe();
}

/// <summary>
/// Get-OpsHealth -Check: the registered health check families (a family added to the registry is valid at once).
/// [ValidateSet] also completes them on Tab (PowerShell prefers it over an [ArgumentCompleter]).
/// </summary>
public sealed class HealthCheckNames : IValidateSetValuesGenerator, IDescribedValues
{
    public string[] GetValidValues() => HealthCheckRegistry.Default.Names.ToArray();

    public IEnumerable<KeyValuePair<string, string>> Describe()
        => HealthCheckRegistry.Default.Families.Select(f => new KeyValuePair<string, string>(f.Name, f.Description));
}

/// <summary>Get-OpsDbConnection -State: the values of pg_stat_activity.state.</summary>
public sealed class DbConnectionStateValues : IValidateSetValuesGenerator
{
    public string[] GetValidValues() => DbConnections.States.ToArray();
}
