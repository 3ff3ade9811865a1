using System.Net;
using System.Net.Sockets;

namespace OpsRunbook.Core.Tests;

/// <summary>A TCP listener on loopback that accepts connections and never answers: the worst kind of dead dependency.</summary>
public sealed class HangingListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = new();
    private readonly CancellationTokenSource _cts = new();

    public HangingListener()
    {
        _listener.Start();
        _ = Task.Run(async () =>
        {
            try
            {
                while (!_cts.IsCancellationRequested)
                {
                    var s = await _listener.AcceptSocketAsync(_cts.Token);
                    lock (_accepted) _accepted.Add(s);
                }
            }
            catch (Exception) { }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Dispose()
    {
        _cts.Cancel();
        _listener.Stop();
        lock (_accepted) foreach (var s in _accepted) s.Dispose();
    }

    /// <summary>A loopback port with nothing listening (connections are refused).</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
