using System.Globalization;
using System.Net;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Systems;

/// <summary>TCP states as the kernel numbers them in /proc/net/tcp (include/net/tcp_states.h).</summary>
public enum TcpState
{
    Unknown = 0, Established = 1, SynSent = 2, SynReceived = 3, FinWait1 = 4, FinWait2 = 5, TimeWait = 6, Close = 7,
    CloseWait = 8, LastAck = 9, Listen = 10, Closing = 11, NewSynReceived = 12,
}

/// <summary>One TCP socket from /proc/net/tcp or /proc/net/tcp6.</summary>
public sealed record NetworkConnection
{
    /// <summary>tcp or tcp6.</summary>
    public required string Protocol { get; init; }
    public required string LocalAddress { get; init; }
    public int LocalPort { get; init; }
    public required string RemoteAddress { get; init; }
    public int RemotePort { get; init; }
    public TcpState State { get; init; }
    /// <summary>Bytes waiting to be sent / read.</summary>
    public long SendQueue { get; init; }
    public long ReceiveQueue { get; init; }
    public int Uid { get; init; }
    public long Inode { get; init; }
}

/// <summary>Reads the kernel's TCP tables (what netstat -tan and ss -tan show), without running either.</summary>
public static class NetworkConnections
{
    public static IReadOnlyList<NetworkConnection> Read(int? port = null, IReadOnlyCollection<TcpState>? states = null, string procNet = "/proc/net")
    {
        var tcp = Path.Combine(procNet, "tcp");
        if (!File.Exists(tcp))
            throw new OpsException(ErrorIds.PlatformNotSupported, $"{tcp} does not exist: Get-OpsNetworkConnection reads the Linux kernel's TCP tables.", tcp);
        var list = new List<NetworkConnection>();
        foreach (var (file, proto) in new[] { (tcp, "tcp"), (Path.Combine(procNet, "tcp6"), "tcp6") })
        {
            if (!File.Exists(file)) continue;
            foreach (var line in File.ReadLines(file).Skip(1))
                if (TryParse(line, proto, out var c)
                    && (port is not { } p || c.LocalPort == p || c.RemotePort == p)
                    && (states is null || states.Count == 0 || states.Contains(c.State)))
                    list.Add(c);
        }
        return list;
    }

    /// <summary>"  0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 12345 ..."</summary>
    public static bool TryParse(string line, string protocol, out NetworkConnection c)
    {
        c = null!;
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 10 || !f[0].EndsWith(':')) return false;
        if (!TryEndpoint(f[1], out var la, out var lp) || !TryEndpoint(f[2], out var ra, out var rp)) return false;
        if (!int.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var st)) return false;
        var q = f[4].Split(':');
        long.TryParse(q[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var tx);
        long.TryParse(q.Length > 1 ? q[1] : "0", NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rx);
        int.TryParse(f[7], NumberStyles.None, CultureInfo.InvariantCulture, out var uid);
        long.TryParse(f[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode);
        c = new NetworkConnection
        {
            Protocol = protocol, LocalAddress = la, LocalPort = lp, RemoteAddress = ra, RemotePort = rp,
            State = Enum.IsDefined(typeof(TcpState), st) ? (TcpState)st : TcpState.Unknown, SendQueue = tx, ReceiveQueue = rx, Uid = uid, Inode = inode,
        };
        return true;
    }

    /// <summary>"0100007F:1F90": the address as the kernel stores it (32-bit words in host byte order, little-endian here) and the port in hex.</summary>
    public static bool TryEndpoint(string s, out string address, out int port)
    {
        address = ""; port = 0;
        var colon = s.IndexOf(':');
        if (colon < 0 || !int.TryParse(s.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out port)) return false;
        var hex = s.AsSpan(0, colon);
        if (hex.Length != 8 && hex.Length != 32) return false;
        var bytes = new byte[hex.Length / 2];
        for (var w = 0; w < hex.Length / 8; w++)
        {
            if (!uint.TryParse(hex.Slice(w * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var word)) return false;
            // Each 32-bit word was printed from host (little-endian) memory.
            bytes[w * 4] = (byte)word; bytes[w * 4 + 1] = (byte)(word >> 8); bytes[w * 4 + 2] = (byte)(word >> 16); bytes[w * 4 + 3] = (byte)(word >> 24);
        }
        var ip = new IPAddress(bytes);
        address = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : ip.ToString();
        return true;
    }
}
