using System.Management.Automation;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>The runbook's active_operations view: pending uploads and searches in the last minute.</summary>
[Cmdlet(VerbsCommon.Get, "OpsActiveOperation", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(ActiveOperation))]
public sealed class GetOpsActiveOperationCommand : OpsPostgresCmdlet
{
    protected override void End()
    {
        var pg = Pg;
        WriteObject(Run((_, ct) => DbMetrics.GetActiveOperationsAsync(pg, ct)), enumerateCollection: true);
    }
}
