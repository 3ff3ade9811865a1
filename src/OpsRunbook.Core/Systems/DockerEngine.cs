using System.Net.Http;
using System.Net.Sockets;

namespace OpsRunbook.Core.Systems;

/// <summary>
/// An HTTP client for the Docker Engine API: over its unix socket (unix:///var/run/docker.sock, or a bare socket
/// path) or tcp://host:port. Used by Get-OpsHealth's docker services and Clear-DiskEmergency's prune step.
/// </summary>
public static class DockerEngine
{
    /// <summary>The socket file of a unix:// endpoint (a bare path is taken as it is).</summary>
    public static string SocketPath(string endpoint) =>
        endpoint.StartsWith("unix://", StringComparison.Ordinal) ? endpoint["unix://".Length..] : endpoint;

    /// <summary>
    /// A client whose base address carries the API version (requests are relative: "containers/x/json").
    /// The caller owns it; cancellation comes from the token of each request, plus <paramref name="timeout"/>.
    /// </summary>
    public static HttpClient CreateClient(string endpoint, string apiVersion, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        Uri baseAddress;
        if (endpoint.StartsWith("tcp://", StringComparison.Ordinal))
        {
            baseAddress = new Uri($"http://{endpoint["tcp://".Length..].TrimEnd('/')}/{apiVersion}/");
        }
        else
        {
            var path = SocketPath(endpoint);
            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), token).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch { socket.Dispose(); throw; }
            };
            baseAddress = new Uri($"http://docker/{apiVersion}/");
        }
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout };
    }
}
