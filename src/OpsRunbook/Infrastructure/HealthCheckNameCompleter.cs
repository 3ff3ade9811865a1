using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Commands;

/// <summary>Tab completion for Get-OpsHealth -Check: the registered check families.</summary>
public sealed class HealthCheckNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        return HealthCheckRegistry.Default.Families
            .Where(f => f.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(f => new CompletionResult(f.Name, f.Name, CompletionResultType.ParameterValue, string.IsNullOrEmpty(f.Description) ? f.Name : f.Description))
            .ToList();
    }
}
