using System.Management.Automation;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Reads the tail of a configured service's log: journald, the container's logs, or its logFile.</summary>
[Cmdlet(VerbsCommon.Get, "OpsServiceLog")]
[OutputType(typeof(ServiceLogEntry))]
public sealed class GetOpsServiceLogCommand : OpsEnvironmentCmdlet
{
    /// <summary>The service, as named under services: in the config.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Target")]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>How many of the newest lines to read per service.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int Tail { get; set; } = 100;

    /// <summary>Only lines written in this last span of time (30m, 2h, 1d).</summary>
    [Parameter]
    [Duration]
    public TimeSpan? Since { get; set; }

    protected override void Process()
    {
        DateTimeOffset? since = Since is { } s ? DateTimeOffset.UtcNow - s : null;
        foreach (var name in Name)
        {
            try
            {
                var service = Env.FindService(name);
                WriteObject(Run((r, ct) => ServiceLog.ReadAsync(service, Tail, since, ct)), enumerateCollection: true);
            }
            catch (Core.Errors.OpsException e) when (!e.IsConfigError || e.Id == Core.Errors.ErrorIds.ServiceKindNotSupported)
            {
                WriteOpsError(e);
            }
        }
    }
}
