using System.Management.Automation;
using System.Management.Automation.Runspaces;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Commands;

/// <summary>
/// Registers, at import, how health results from a remote session come back: the deserialiser turns
/// Deserialized.OpsRunbook.Core.Health.HealthCheckResult into a real HealthCheckResult (TargetTypeForDeserialization
/// with <see cref="HealthCheckResultConverter"/>). Done in code, not in a types.ps1xml file: PowerShell resolves that
/// file's type names before the module's assemblies are loaded.
/// </summary>
internal static class RemoteResults
{
    public static void Register()
    {
        if (Runspace.DefaultRunspace is null) return;
        var deserialized = new TypeData("Deserialized." + typeof(HealthCheckResult).FullName) { TargetTypeForDeserialization = typeof(HealthCheckResult) };
        var converter = new TypeData(typeof(HealthCheckResult)) { TypeConverter = typeof(HealthCheckResultConverter) };
        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand("Microsoft.PowerShell.Utility\\Update-TypeData").AddParameter("TypeData", new[] { deserialized, converter }).AddParameter("Force");
        ps.Invoke();
    }
}
