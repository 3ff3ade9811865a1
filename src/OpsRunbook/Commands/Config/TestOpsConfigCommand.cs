using System.Management.Automation;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Commands;

/// <summary>Validates a config file: one record per problem, with line and column.</summary>
[Cmdlet(VerbsDiagnostic.Test, "OpsConfig")]
[OutputType(typeof(ConfigProblem))]
[OutputType(typeof(bool))]
public sealed class TestOpsConfigCommand : OpsCmdlet
{
    /// <summary>The file to check; default: the file other cmdlets would use.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "Path")]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>Check variables for this environment only.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Environment { get; set; }

    /// <summary>Return $true when the file has no errors, $false otherwise.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void Process()
    {
        ConfigLocation location;
        ConfigDocument doc;
        try
        {
            location = OpsEnvironmentCmdlet.LocateConfig(this, ConfigPath);
            doc = ConfigLoader.Load(location.Path);
        }
        catch (OpsException e)
        {
            WriteOpsError(e);
            if (Quiet) WriteObject(false);
            return;
        }
        var problems = ConfigInspector.Problems(doc, Environment);
        var errors = problems.Count(p => p.Severity == ConfigSeverity.Error);
        Verbose($"{location.Path}: {errors} error(s), {problems.Count - errors} warning(s).");
        if (Quiet) WriteObject(errors == 0);
        else WriteObject(problems, enumerateCollection: true);
    }
}
