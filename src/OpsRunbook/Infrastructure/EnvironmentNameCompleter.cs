using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OpsRunbook.Core.Config;

namespace OpsRunbook.Commands;

/// <summary>Tab completion for -Environment: the environment names in the config file in use.</summary>
public sealed class EnvironmentNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var configPath = fakeBoundParameters.Contains("ConfigPath") ? fakeBoundParameters["ConfigPath"]?.ToString() : null;
            var cwd = CurrentLocation();
            if (configPath is not null) configPath = Path.GetFullPath(configPath, cwd);
            var location = ConfigLocator.Resolve(configPath, System.Environment.GetEnvironmentVariable(ConfigLocator.EnvironmentVariable), cwd,
                System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile));
            var doc = ConfigLoader.Load(location.Path, _ => "");
            var word = wordToComplete.Trim('\'', '"');
            return doc.EnvironmentNames
                .Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, $"Environment {n} in {location.Path}"))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    /// <summary>
    /// PowerShell's current file-system location (relative paths and ./ops.yaml resolve against it, not the process
    /// directory). The completer runs inside TabExpansion2's pipeline, where SessionStateProxy is busy, so ask
    /// through a nested pipeline on the current runspace.
    /// </summary>
    private static string CurrentLocation()
    {
        try
        {
            using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
            ps.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem");
            if (ps.Invoke<PathInfo>().FirstOrDefault() is { } location) return location.ProviderPath;
        }
        catch (Exception)
        {
            // fall through to the process directory
        }
        return Directory.GetCurrentDirectory();
    }
}
