using System.Management.Automation;
using OpsRunbook.Core.Disk;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Commands;

/// <summary>Lists every file the environment's cleanup policies would free, with its size and age. Changes nothing.</summary>
[Cmdlet(VerbsCommon.Get, "OpsCleanupCandidate")]
[OutputType(typeof(CleanupCandidate))]
public sealed class GetOpsCleanupCandidateCommand : OpsEnvironmentCmdlet
{
    /// <summary>Names of the policies to list (default: all). Names must be in the config's cleanup list.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Policy { get; set; }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string>? ConfigSections => ["cleanup", "diskEmergency", "logs"];

    protected override void End()
    {
        var engine = new CleanupEngine();
        foreach (var policy in CleanupSelection.Select(Env, Policy).Policies)
        {
            CleanupPlan plan;
            try { plan = Run((r, ct) => Task.FromResult(engine.Plan(policy, ct))); }
            catch (OpsException e) { WriteOpsError(e); continue; }
            foreach (var e in plan.Errors) WriteOpsError(e);
            Verbose($"{policy.Name}: {plan.Candidates.Count} file(s), {plan.TotalBytes:N0} bytes under {plan.Root}; {plan.SymlinksSkipped} symlink(s) left alone.");
            WriteObject(plan.Candidates, enumerateCollection: true);
        }
    }
}
