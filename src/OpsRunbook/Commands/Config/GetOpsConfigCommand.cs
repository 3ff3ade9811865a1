using System.Management.Automation;
using OpsRunbook.Core.Config;

namespace OpsRunbook.Commands;

/// <summary>Shows the resolved environment from ops.yaml, with every secret redacted.</summary>
[Cmdlet(VerbsCommon.Get, "OpsConfig", DefaultParameterSetName = nameof(ParameterSets.Environment))]
[OutputType(typeof(EnvironmentConfig), ParameterSetName = [nameof(ParameterSets.Environment)])]
[OutputType(typeof(OpsEnvironmentInfo), ParameterSetName = [nameof(ParameterSets.ListAvailable)])]
public sealed class GetOpsConfigCommand : OpsEnvironmentCmdlet
{
    private enum ParameterSets { Environment, ListAvailable }

    /// <summary>List the file's environments instead of resolving one.</summary>
    [Parameter(Mandatory = true, ParameterSetName = nameof(ParameterSets.ListAvailable))]
    public SwitchParameter ListAvailable { get; set; }

    protected override void End()
    {
        if (ListAvailable)
        {
            var location = LocateConfig();
            var doc = ConfigLoader.Load(location.Path, _ => "");
            if (doc.Config is null) doc.GetEnvironment(null); // throws the syntax error
            WriteObject(ConfigInspector.Environments(doc), enumerateCollection: true);
            return;
        }
        WriteObject(Env);
    }
}
