using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Sends the smokeTests: requests of the config (the runbook's "Test critical paths") and checks each status.</summary>
[Cmdlet(VerbsDiagnostic.Test, "OpsSmoke")]
[OutputType(typeof(SmokeTestResult), typeof(bool))]
public sealed class TestOpsSmokeCommand : OpsEnvironmentCmdlet
{
    /// <summary>Only these tests (by name, wildcards allowed).</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Return only $true when every test passed, else $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void Process()
    {
        var env = Env;
        var tests = env.SmokeTests.Where(t => Name is null || Name.Any(n => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(t.Name))).ToList();
        if (tests.Count == 0)
            throw new OpsException(ErrorIds.ConfigSectionMissing, $"Environment '{env.Name}' has no smokeTests" + (Name is null ? "." : $" named {string.Join(", ", Name)}."), env.Name,
                "Add smokeTests: [ { name: health, method: GET, path: /api/health, expectStatus: 200 } ] to the environment.");
        var results = Run((r, ct) => SmokeTests.RunAsync(env, tests, ct));
        if (Quiet) { WriteObject(results.All(t => t.Passed)); return; }
        WriteObject(results, enumerateCollection: true);
    }
}
