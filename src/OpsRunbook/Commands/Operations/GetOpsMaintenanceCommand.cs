using System.Management.Automation;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Shows the open maintenance window (from any session or host): who opened it, when, why, and the time left.</summary>
[Cmdlet(VerbsCommon.Get, "OpsMaintenance")]
[OutputType(typeof(MaintenanceWindow))]
public sealed class GetOpsMaintenanceCommand : OpsEnvironmentCmdlet
{
    /// <summary>Closed windows too, newest first.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <summary>At most this many windows.</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int Last { get; set; } = 20;

    protected override void Process()
    {
        var env = Env;
        WriteObject(Run((r, ct) => Maintenance.ListAsync(env, All, Last, ct)), enumerateCollection: true);
    }
}
