@{
    Synopsis    = 'TCP connections from the kernel''s tables (/proc/net/tcp and /proc/net/tcp6): netstat -tan without netstat.'
    Description = @'
Get-OpsNetworkConnection reads /proc/net/tcp and /proc/net/tcp6 and returns one NetworkConnection per socket: Protocol (tcp or tcp6), LocalAddress, LocalPort, RemoteAddress, RemotePort, State, SendQueue, ReceiveQueue, Uid and Inode. IPv4 addresses mapped into IPv6 (::ffff:a.b.c.d) are shown as IPv4.

-Port keeps the connections whose local or remote port is the one given (as grep :443 on netstat output does); -State keeps the given states.
'@
    Parameters  = @{
        Port  = @{ Description = 'Only connections whose local or remote port is this one.'; Default = 'All ports' }
        State = @{ Description = 'Only connections in these states.'; Default = 'All states' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Systems.NetworkConnection' = 'Protocol, LocalAddress, LocalPort, RemoteAddress, RemotePort, State, SendQueue, ReceiveQueue, Uid, Inode.'
    }
    Examples    = @(
        @{
            Title   = 'The DDoS check: who holds connections to port 443'
            Code    = 'Get-OpsNetworkConnection -Port 443 -State Established | Group-Object RemoteAddress | Sort-Object Count -Descending | Select-Object -First 10 Count, Name'
            Remarks = 'Replaces netstat -an | grep :443 | wc -l in "Complete Service Outage", and says who.'
        }
        @{
            Title   = 'What listens on this machine'
            Code    = 'Get-OpsNetworkConnection -State Listen | Sort-Object LocalPort'
            Remarks = 'ss -tln without ss.'
        }
    )
    Links       = @('Get-OpsSystemInfo')
}
