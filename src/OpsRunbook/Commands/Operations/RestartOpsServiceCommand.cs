using System.Management.Automation;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Restarts a configured service by its kind, then waits for its own health check to pass, up to -TimeoutSeconds.</summary>
[Cmdlet(VerbsLifecycle.Restart, "OpsService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ServiceRestartResult))]
public sealed class RestartOpsServiceCommand : OpsEnvironmentCmdlet
{
    /// <summary>The service, as named under services: in the config.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Target")]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>How long the restart and the wait for a passing health check may take together.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public double TimeoutSeconds { get; set; } = 60;

    protected override void Process()
    {
        foreach (var name in Name)
        {
            try
            {
                var service = Env.FindService(name);
                var method = ServiceRestart.Describe(service);
                if (!ShouldProcess($"{service.Name} ({service.Kind})", $"Restart with {method}")) continue;
                WriteObject(Run((r, ct) => ServiceRestart.RestartAsync(Env, service, TimeSpan.FromSeconds(TimeoutSeconds), r, ct)));
            }
            catch (OpsException e) when (!e.IsConfigError || e.Id == ErrorIds.ServiceKindNotSupported)
            {
                WriteOpsError(e);
            }
        }
    }
}
