using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>The runbook's cron jobs as objects (Name, Cron, Command, NextRun), with schedule: in the config applied.</summary>
[Cmdlet(VerbsCommon.Get, "OpsSchedule")]
[OutputType(typeof(ScheduledJob))]
public sealed class GetOpsScheduleCommand : OpsEnvironmentCmdlet
{
    /// <summary>Only these jobs (wildcards allowed).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void Process()
    {
        var jobs = Schedule.Resolve(Env, ScheduleCmdlets.RunbookDirectory(this, null), DateTimeOffset.Now);
        WriteObject(ScheduleCmdlets.Select(jobs, Name), enumerateCollection: true);
    }
}

internal static class ScheduleCmdlets
{
    /// <summary>The runbooks folder that travels with the module (out/OpsRunbook/runbooks), unless given.</summary>
    public static string RunbookDirectory(PSCmdlet cmdlet, string? given)
    {
        if (given is not null) return cmdlet.GetUnresolvedProviderPathFromPSPath(given);
        var moduleBase = cmdlet.MyInvocation.MyCommand.Module?.ModuleBase ?? Path.GetDirectoryName(typeof(ScheduleCmdlets).Assembly.Location)!;
        return Path.Combine(moduleBase, "runbooks");
    }

    public static IReadOnlyList<ScheduledJob> Select(IReadOnlyList<ScheduledJob> jobs, string[]? names)
    {
        if (names is null || names.Length == 0) return jobs;
        var result = new List<ScheduledJob>();
        foreach (var n in names)
        {
            var pattern = new WildcardPattern(n, WildcardOptions.IgnoreCase);
            var hits = jobs.Where(j => pattern.IsMatch(j.Name) && !result.Contains(j)).ToList();
            if (hits.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(n))
                throw new OpsException(ErrorIds.ScheduleJobNotFound, $"The schedule has no job '{n}'. Jobs: {string.Join(", ", jobs.Select(j => j.Name))}.", n);
            result.AddRange(hits);
        }
        return result;
    }
}
