using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Disk;

/// <summary>
/// Which cleanup work a run does: the file policies (config cleanup list, or the logs default) and the optional
/// diskEmergency steps (journal, docker), chosen by name. Shared by Clear-DiskEmergency and Get-OpsCleanupCandidate.
/// </summary>
public sealed record CleanupSelection(IReadOnlyList<CleanupPolicy> Policies, IReadOnlyList<string> Steps)
{
    /// <summary>
    /// Every policy and configured step when <paramref name="names"/> is empty (CleanupNotConfigured when there are none);
    /// else the ones named, case-insensitively, in the order named (CleanupPolicyNotFound for a name that is neither).
    /// </summary>
    public static CleanupSelection Select(EnvironmentConfig env, IReadOnlyCollection<string>? names)
    {
        var all = env.CleanupPolicies();
        var steps = EmergencySteps.Configured(env);
        if (names is null || names.Count == 0)
        {
            if (all.Count == 0 && steps.Count == 0)
                throw new OpsException(ErrorIds.CleanupNotConfigured, $"Environment '{env.Name}' has no cleanup policies (no 'cleanup' list and no logs.directory).", env.Name,
                    "Add a 'cleanup:' list, e.g. - { name: old-logs, path: /srv/app/logs, pattern: '*.log', olderThanDays: 7, action: delete }.");
            return new CleanupSelection(all, steps);
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
        return new CleanupSelection(chosen, chosenSteps);
    }
}
