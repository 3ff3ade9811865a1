using System.Management.Automation;
using OpsRunbook.Core.State;

namespace OpsRunbook.Commands;

/// <summary>Reports where the state store is, its backend, schema versions, size and row counts, and what is wrong with it.</summary>
[Cmdlet(VerbsCommon.Get, "OpsState")]
[OutputType(typeof(StateStoreInfo))]
public sealed class GetOpsStateCommand : OpsEnvironmentCmdlet
{
    protected override void End()
    {
        var env = Env;
        var info = Run((_, ct) => StateInspector.InspectAsync(env, null, ct));
        if (info.Problem is not null) Warning($"{info.ErrorId}: {info.Problem}");
        WriteObject(info);
    }
}
