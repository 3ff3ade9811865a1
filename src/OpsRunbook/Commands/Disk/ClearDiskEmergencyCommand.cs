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
[Cmdlet(VerbsCommon.Clear, "DiskEmergency", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
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

    /// <summary>The file policies and optional steps (journal, docker) chosen by name; all when no names are given.</summary>
    internal static (IReadOnlyList<CleanupPolicy> Policies, IReadOnlyList<string> Steps) Select(EnvironmentConfig env, string[]? names)
    {
        var all = env.CleanupPolicies();
        var steps = EmergencySteps.Configured(env);
        if (names is null || names.Length == 0)
        {
            if (all.Count == 0 && steps.Count == 0)
                throw new OpsException(ErrorIds.CleanupNotConfigured, $"Environment '{env.Name}' has no cleanup policies (no 'cleanup' list and no logs.directory).", env.Name,
                    "Add a 'cleanup:' list, e.g. - { name: old-logs, path: /srv/app/logs, pattern: '*.log', olderThanDays: 7, action: delete }.");
            return (all, steps);
        }
        var chosen = new List<CleanupPolicy>();
        var chosenSteps = new List<string>();
        foreach (var n in names)
        {
            var matches = all.Where(p => string.Equals(p.Name, n, StringComparison.OrdinalIgnoreCase)).ToList();
            var step = steps.FirstOrDefault(x => string.Equals(x, n, StringComparison.OrdinalIgnoreCase));
            if (matches.Count == 0 && step is null)
                throw new OpsException(ErrorIds.CleanupPolicyNotFound, $"Environment '{env.Name}' has no cleanup policy named '{n}'. Policies: {string.Join(", ", all.Select(p => p.Name).Concat(steps))}.", n,
                    "Only policies in the config's cleanup list (and the journal/docker steps of diskEmergency) can run; add one there to clean another directory.");
            chosen.AddRange(matches.Where(m => !chosen.Contains(m)));
            if (step is not null && !chosenSteps.Contains(step)) chosenSteps.Add(step);
        }
        return (chosen, chosenSteps);
    }

    private bool WhatIfActive =>
        (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent)
        || (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference")));

    protected override void End()
    {
        var (policies, steps) = Select(Env, _policyNames.Count > 0 ? _policyNames.ToArray() : null);
        var engine = new CleanupEngine();
        var wanted = _pathsGiven ? new HashSet<string>(_paths, StringComparer.Ordinal) : null;
        var matched = new HashSet<string>(StringComparer.Ordinal);
        if (wanted is not null) steps = [];
        var whatIf = WhatIfActive;
        var ask = !Force || MyInvocation.BoundParameters.ContainsKey("Confirm");
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

            // Phase 2: decide on the pipeline thread.
            if (whatIf)
            {
                ShouldProcess(summary, $"{verb} {plan.Candidates.Count} file(s)");
                foreach (var c in plan.Candidates)
                    ShouldProcess($"{c.Path} ({ByteSize.Format(c.SizeBytes)}, {c.SizeBytes.ToString(CultureInfo.InvariantCulture)} bytes, modified {c.LastWriteTimeUtc.ToString("u", CultureInfo.InvariantCulture)})", verb);
                foreach (var e in plan.Errors) Warning(e.Message);
                WriteObject(CleanupEngine.Preview(plan));
                continue;
            }
            if (plan.Candidates.Count > 0 && ask && !ShouldProcess(summary, $"{verb} {plan.Candidates.Count} file(s)"))
                continue;

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
            if (!whatIf && ask && !ShouldProcess(what, "Run")) continue;
            if (whatIf) ShouldProcess(what, "Run");
            CleanupResult result;
            try
            {
                result = Run((r, ct) => step == EmergencySteps.Journal
                    ? EmergencySteps.JournalAsync(cfg, whatIf, ct)
                    : EmergencySteps.DockerAsync(cfg, whatIf, ct));
            }
            catch (OpsException e) { WriteOpsError(e); continue; }
            foreach (var e in result.ErrorDetails) WriteOpsError(e);
            WriteObject(result);
        }
    }
}
