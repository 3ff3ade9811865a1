using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Commands;

/// <summary>Runs the health check families in parallel, each bounded by -TimeoutSeconds, and returns one result per target.</summary>
[Cmdlet(VerbsCommon.Get, "OpsHealth")]
[OutputType(typeof(HealthCheckResult))]
public sealed class GetOpsHealthCommand : OpsHealthRecordingCmdlet
{
    /// <summary>The families to run (Service, Disk, Database, Redis, Queue, Errors, Backup...); default: every family the environment configures.</summary>
    [Parameter(Position = 0)]
    [ValidateSet(typeof(HealthCheckNames))]
    [ValidateNotNullOrEmpty]
    public string[]? Check { get; set; }

    /// <summary>The bound on each family, in seconds.</summary>
    [Parameter]
    [ValidateRange(0.1, 3600)]
    public double TimeoutSeconds { get; set; } = 5;

    /// <summary>Also store every result in the state store's health history (and prune what is older than state.healthRetention).</summary>
    [Parameter]
    public SwitchParameter Record { get; set; }

    protected override void End()
    {
        var registry = HealthCheckRegistry.Default;
        List<HealthCheckRegistration> families;
        if (Check is { Length: > 0 })
        {
            families = new();
            foreach (var name in Check)
            {
                var f = registry.Find(name) ?? throw new OpsException(ErrorIds.HealthCheckNotFound, $"There is no health check named '{name}'. Checks: {string.Join(", ", registry.Names)}.", name,
                    "Use one of the names that tab completion offers for -Check.");
                if (!families.Contains(f)) families.Add(f);
            }
        }
        else
        {
            var env = Env;
            families = registry.Families.Where(f => f.IsConfigured(env)).ToList();
            foreach (var skipped in registry.Families.Except(families))
                Verbose($"Skipping the {skipped.Name} checks: environment '{env.Name}' does not configure them.");
        }
        var environment = Env;
        var timeout = TimeSpan.FromSeconds(TimeoutSeconds);
        Verbose($"Running {string.Join(", ", families.Select(f => f.Name))} in parallel against '{environment.Name}', each bounded by {TimeoutSeconds:0.###} s.");
        var results = Run((_, ct) => HealthRunner.RunAsync(environment, families, timeout, ct));
        foreach (var r in results) WriteObject(r);
        if (Record) RecordResults(environment, results);
    }
}
