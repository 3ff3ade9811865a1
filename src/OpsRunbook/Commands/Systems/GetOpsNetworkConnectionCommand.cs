using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Commands;

/// <summary>TCP connections from /proc/net/tcp and /proc/net/tcp6 (netstat -tan without netstat).</summary>
[Cmdlet(VerbsCommon.Get, "OpsNetworkConnection")]
[OutputType(typeof(NetworkConnection))]
public sealed class GetOpsNetworkConnectionCommand : OpsCmdlet
{
    /// <summary>Only connections whose local or remote port is this one.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(0, 65535)]
    public int? Port { get; set; }

    /// <summary>Only connections in these states.</summary>
    [Parameter]
    public TcpState[]? State { get; set; }

    protected override void End()
    {
        if (!OperatingSystem.IsLinux())
            throw new OpsException(ErrorIds.PlatformNotSupported, "Get-OpsNetworkConnection reads /proc/net/tcp and runs on Linux only.");
        WriteObject(NetworkConnections.Read(Port, State), enumerateCollection: true);
    }
}
