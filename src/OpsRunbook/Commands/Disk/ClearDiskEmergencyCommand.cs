using System.Globalization;
using System.Management.Automation;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Disk;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Text;

namespace OpsRunbook.Commands;

/// <summary>
/// Runs the environment's cleanup policies: previews (-WhatIf lists every file and the total per
/// policy), asks once per policy, then removes only what the preview listed, re-checking each file.
/// </summary>
/// Confirmation: ShouldProcess (ConfirmImpact Medium: it asks under -Confirm, and its reason tells a -WhatIf run), then
/// ShouldContinue unless -Force, so a plain run always asks and -Force never does.
[Cmdlet(VerbsCommon.Clear, "DiskEmergency", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CleanupResult))]
public sealed class ClearDiskEmergencyCommand : OpsEnvironmentCmdlet
{
    /// <summary>Names of the policies to run (default: all). Names must be in the config's cleanup list.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Policy { get; set; }

    /// <summary>
    /// Only these files (piped from Get-OpsCleanupCandidate, or Get-ChildItem). Each must be a current
    /// candidate of a configured policy; anything else is refused.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string>? ConfigSections => ["cleanup", "diskEmergency", "logs"];

    private readonly List<string> _policyNames = new();
    private readonly List<string> _paths = new();
    private bool _pathsGiven;

    protected override void Process()
    {
        if (Policy is not null) foreach (var p in Policy) if (!_policyNames.Contains(p, StringComparer.OrdinalIgnoreCase)) _policyNames.Add(p);
        if (Path is not null)
        {
            _pathsGiven = true;
            foreach (var p in Path) _paths.Add(GetUnresolvedProviderPathFromPSPath(p));
        }
    }

    /// <summary>Do not ask for confirmation (scheduled use). -WhatIf and an explicit -Confirm still apply.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>-Confirm given explicitly: the user chose whether to be asked, so no second question after ShouldProcess.</summary>
    private bool ConfirmBound => MyInvocation.BoundParameters.ContainsKey("Confirm");

    /// <summary>
    /// The one decision per policy or step, on the pipeline thread: ShouldProcess (which prints the What if: line and
    /// says through its reason that this is a WhatIf run), then, unless -Force or -Confirm was given, ShouldContinue.
    /// </summary>
    private Decision Decide(string target, string action, string? question)
    {
        if (!ShouldProcess(target, action, out var whatIf)) return whatIf ? Decision.WhatIf : Decision.No;
        if (Force || ConfirmBound || question is null) return Decision.Go;
        return ShouldContinue(question, "Clear-DiskEmergency") ? Decision.Go : Decision.No;
    }

    private enum Decision { Go, No, WhatIf }

    protected override void End()
    {
        var (policies, steps) = CleanupSelection.Select(Env, _policyNames.Count > 0 ? _policyNames : null);
        var engine = new CleanupEngine();
        var wanted = _pathsGiven ? new HashSet<string>(_paths, StringComparer.Ordinal) : null;
        var matched = new HashSet<string>(StringComparer.Ordinal);
        if (wanted is not null) steps = [];
        foreach (var policy in policies)
        {
            // Phase 1: plan (no changes).
            CleanupPlan plan;
            try { plan = Run((r, ct) => Task.FromResult(engine.Plan(policy, ct))); }
            catch (OpsException e) { WriteOpsError(e); continue; }
            if (wanted is not null)
            {
                // Only the files asked for, and only if the policy would remove them now.
                plan = plan with { Candidates = plan.Candidates.Where(c => wanted.Contains(c.Path)).ToList() };
                foreach (var c in plan.Candidates) matched.Add(c.Path);
                if (plan.Candidates.Count == 0) continue;
            }
            var summary = $"{policy.Name}: {plan.Candidates.Count} file(s), {ByteSize.Format(plan.TotalBytes)} ({plan.TotalBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes) matching {policy.Pattern} older than {policy.OlderThanDays.ToString(CultureInfo.InvariantCulture)} days under {plan.Root}";
            var verb = policy.Action == "truncate" ? "Truncate" : "Delete";

            // Phase 2: decide on the pipeline thread. ShouldProcess's reason tells a WhatIf run (and no question is asked then).
            var decision = Decide(summary, $"{verb} {plan.Candidates.Count} file(s)",
                plan.Candidates.Count == 0 ? null : $"{verb} {plan.Candidates.Count} file(s), {ByteSize.Format(plan.TotalBytes)}, of policy {policy.Name} under {plan.Root}?");
            if (decision == Decision.WhatIf)
            {
                foreach (var c in plan.Candidates)
                    ShouldProcess($"{c.Path} ({ByteSize.Format(c.SizeBytes)}, {c.SizeBytes.ToString(CultureInfo.InvariantCulture)} bytes, modified {c.LastWriteTimeUtc.ToString("u", CultureInfo.InvariantCulture)})", verb);
                foreach (var e in plan.Errors) Warning(e.Message);
                WriteObject(CleanupEngine.Preview(plan));
                continue;
            }
            if (decision == Decision.No) continue;

            // Phase 3: act, then report on the pipeline thread.
            var result = plan.Candidates.Count == 0
                ? engine.Execute(plan with { Candidates = [] })
                : Run((r, ct) => Task.FromResult(engine.Execute(plan, ct)));
            foreach (var e in result.ErrorDetails) WriteOpsError(e);
            Verbose($"{policy.Name}: {verb.ToLowerInvariant()}d {result.FilesRemoved} of {result.FilesMatched} file(s), freed {ByteSize.Format(result.BytesFreed)}; free space {ByteSize.Format(result.FreeBytesBefore)} -> {ByteSize.Format(result.FreeBytesAfter)}.");
            WriteObject(result);
        }

        if (wanted is not null)
            foreach (var p in wanted.Where(p => !matched.Contains(p)))
                WriteOpsError(new OpsException(ErrorIds.CleanupTargetNotAllowed, $"{p} is not a current candidate of any selected cleanup policy (outside the policy roots, not matching the pattern, too new, or not a regular file); left alone.",
                    p, "Only files that Get-OpsCleanupCandidate lists can be cleaned."));

        // Optional steps (diskEmergency): only when configured and present on this host.
        foreach (var step in steps)
        {
            var cfg = Env.DiskEmergency!;
            if (EmergencySteps.Unavailable(step, cfg) is { } why) { Verbose($"Skipped the {step} step: {why}."); continue; }
            var what = EmergencySteps.Describe(step, cfg);
            var decision = Decide(what, "Run", $"Run {what}?");
            if (decision == Decision.No) continue;
            var stepWhatIf = decision == Decision.WhatIf;
            CleanupResult result;
            try
            {
                result = Run((r, ct) => step == EmergencySteps.Journal
                    ? EmergencySteps.JournalAsync(cfg, stepWhatIf, ct)
                    : EmergencySteps.DockerAsync(cfg, stepWhatIf, ct));
            }
            catch (OpsException e) { WriteOpsError(e); continue; }
            foreach (var e in result.ErrorDetails) WriteOpsError(e);
            WriteObject(result);
        }
    }
}
