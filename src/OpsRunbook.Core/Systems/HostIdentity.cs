namespace OpsRunbook.Core.Systems;

/// <summary>
/// The name of the host a result describes, as results carry it in ComputerName. Results made on a remote host
/// (Invoke-Command -HostName) keep the remote host's name, so rows from a fleet sort and group by host.
/// </summary>
public static class HostIdentity
{
    /// <summary>The host name (gethostname), read each time: a UTS namespace or a rename shows at once.</summary>
    public static string ComputerName => System.Environment.MachineName;
}
