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
            // Completers run on the pipeline thread: use PowerShell's location, not the process directory.
            var cwd = System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath
                      ?? Directory.GetCurrentDirectory();
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
}
