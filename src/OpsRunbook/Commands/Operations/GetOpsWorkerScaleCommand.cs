using System.Management.Automation;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>The replicas of a scalable service: Compose containers by their labels, or systemd template instances.</summary>
[Cmdlet(VerbsCommon.Get, "OpsWorkerScale")]
[OutputType(typeof(WorkerScaleResult))]
public sealed class GetOpsWorkerScaleCommand : OpsEnvironmentCmdlet
{
    /// <summary>The services; default: every docker service with composeProject and every systemd service with a template unit.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    protected override void Process()
    {
        var env = Env;
        var services = Service is null
            ? env.Services.Where(s => (s.Kind == "docker" && s.ComposeProject is { Length: > 0 }) || (s.Kind == "systemd" && s.Unit?.EndsWith("@.service", StringComparison.Ordinal) == true)).ToList()
            : Service.Select(n => env.FindService(n)).ToList();
        foreach (var s in services)
            WriteObject(Run((r, ct) => WorkerScale.GetAsync(env, s, ct)));
    }
}
