using System.Net;

namespace OpsRunbook.Core.Tests.Net;

/// <summary>
/// A real HTTP server on loopback (HttpListener) that answers each request with the next scripted answer
/// (status, headers, body) and records what it received. Tests of anything that speaks HTTP use it.
/// </summary>
public sealed class ScriptedHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<Func<HttpListenerRequest, (int Status, Dictionary<string, string> Headers, string Body)>> _script = new();
    private readonly CancellationTokenSource _cts = new();

    public ScriptedHttpServer()
    {
        for (var tries = 0; ; tries++)
        {
            Port = HangingListener.FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try { _listener.Start(); break; }
            catch (HttpListenerException) when (tries < 5) { }
        }
        _ = Task.Run(Loop);
    }

    public int Port { get; private set; }
    public string Url => $"http://127.0.0.1:{Port}/";
    public List<(string Method, string Path, string Body, DateTime At)> Received { get; } = new();
    /// <summary>Answer used when the script is empty.</summary>
    public (int Status, string Body) Default { get; set; } = (200, "ok");

    public ScriptedHttpServer Then(int status, string body = "", Dictionary<string, string>? headers = null)
    {
        lock (_script) _script.Enqueue(_ => (status, headers ?? new(), body));
        return this;
    }

    private async Task Loop()
    {
        while (!_cts.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            using var reader = new StreamReader(ctx.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            lock (Received) Received.Add((ctx.Request.HttpMethod, ctx.Request.Url!.PathAndQuery, body, DateTime.UtcNow));
            Func<HttpListenerRequest, (int, Dictionary<string, string>, string)>? next = null;
            lock (_script) if (_script.Count > 0) next = _script.Dequeue();
            var (status, headers, text) = next is null ? (Default.Status, new Dictionary<string, string>(), Default.Body) : next(ctx.Request);
            ctx.Response.StatusCode = status;
            foreach (var h in headers) ctx.Response.Headers[h.Key] = h.Value;
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            ctx.Response.ContentLength64 = bytes.Length;
            try { await ctx.Response.OutputStream.WriteAsync(bytes); ctx.Response.Close(); }
            catch (Exception) { }
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        try { _listener.Stop(); _listener.Close(); } catch (ObjectDisposedException) { }
    }
}
