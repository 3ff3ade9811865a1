using System.Management.Automation;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Commands;

/// <summary>Stores piped health results in the state store's health history.</summary>
[Cmdlet(VerbsData.Save, "OpsHealth", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(HealthCheckResult))]
public sealed class SaveOpsHealthCommand : OpsHealthRecordingCmdlet
{
    private readonly List<HealthCheckResult> _results = new();

    /// <summary>Results from Get-OpsHealth (or any check that returns HealthCheckResult).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    [AllowEmptyCollection]
    public HealthCheckResult[] InputObject { get; set; } = [];

    /// <summary>Pass the results on down the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        foreach (var r in InputObject)
        {
            if (r is null) continue;
            _results.Add(r);
            if (PassThru) WriteObject(r);
        }
    }

    protected override void End()
    {
        if (_results.Count == 0) return;
        var env = Env;
        if (!ShouldProcess(env.State.ToString(), $"Store {_results.Count} health result(s) in the health history")) return;
        RecordResults(env, _results);
    }
}
