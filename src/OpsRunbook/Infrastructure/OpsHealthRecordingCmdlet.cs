using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Commands;

/// <summary>Base of the cmdlets that store health results in the state store (Get-OpsHealth -Record, Save-OpsHealth).</summary>
public abstract class OpsHealthRecordingCmdlet : OpsEnvironmentCmdlet
{
    /// <summary>
    /// Stores results in the health history and prunes what is older than state.healthRetention. A store that cannot be
    /// written is a non-terminating error: the results have already gone down the pipeline.
    /// </summary>
    protected void RecordResults(EnvironmentConfig environment, IReadOnlyList<HealthCheckResult> results)
    {
        try
        {
            var (stored, pruned, location) = Run((_, ct) => HealthHistory.RecordAsync(environment, results, ct));
            Verbose($"Recorded {stored} result(s) in {location}" + (pruned.RowsDeleted > 0
                ? $"; pruned {pruned.RowsDeleted} older than {pruned.Before:O} in {pruned.Batches} batch(es)." : "."));
        }
        catch (OpsException e)
        {
            WriteOpsError(e);
        }
    }
}
