using System.Management.Automation;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.State;

namespace OpsRunbook.Commands;

/// <summary>Deletes health history recorded before a time, in short batches; asks first (ConfirmImpact High).</summary>
[Cmdlet(VerbsCommon.Clear, "OpsState", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(StatePruneResult))]
public sealed class ClearOpsStateCommand : OpsEnvironmentCmdlet
{
    /// <summary>Delete what was recorded before this time, or this long ago (90d).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [PointInTime]
    public DateTimeOffset Before { get; set; }

    protected override void End()
    {
        var env = Env;
        var before = Before;
        var result = Run(async (reporter, ct) =>
        {
            await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
            var count = await HealthHistory.CountBeforeAsync(store, before, ct).ConfigureAwait(false);
            if (!reporter.ShouldProcess(store.Location, $"Delete {count} health result(s) recorded before {before:O}")) return null;
            return await HealthHistory.PruneAsync(store, before, ct).ConfigureAwait(false);
        });
        if (result is not null) WriteObject(result);
    }
}
