using System.Management.Automation;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>
/// `docker compose up --scale service=N` through the Engine API (or systemd template instances worker@1..N): creates the
/// missing replicas, waits for each one's health check, stops and removes the newest first when scaling down.
/// </summary>
[Cmdlet(VerbsCommon.Set, "OpsWorkerScale", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(WorkerScaleResult))]
public sealed class SetOpsWorkerScaleCommand : OpsEnvironmentCmdlet
{
    /// <summary>The service (services: in the config): docker with composeProject, or systemd with a template unit.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Service { get; set; } = "";

    /// <summary>How many replicas should run.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateRange(0, 100)]
    public int Replicas { get; set; }

    /// <summary>How long each new replica may take to pass its health check.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSeconds { get; set; } = 60;

    protected override void Process()
    {
        var env = Env;
        var s = env.FindService(Service);
        var what = WorkerScale.Describe(s);
        if (!ShouldProcess($"{s.Name}: {what}", $"Scale to {Replicas} replica(s)")) return;
        WriteObject(Run((r, ct) => WorkerScale.SetAsync(env, s, Replicas, TimeSpan.FromSeconds(TimeoutSeconds), r, ct)));
    }
}
