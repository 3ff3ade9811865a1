using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Health.Probes;

/// <summary>The Service family: one result per configured service, by kind (process, tcp, http, systemd, docker).</summary>
public static class ServiceProbe
{
    public const string Check = "Service";

    public static Task<IReadOnlyList<HealthCheckResult>> CheckAsync(EnvironmentConfig env, CancellationToken ct)
        => HealthProbe.AllAsync(env.Services.Select(s => HealthProbe.TargetAsync(Check, s.Name, t => CheckOneAsync(s, env.Thresholds, t), ct)));

    public static Task<HealthCheckResult> CheckOneAsync(ServiceConfig s, ThresholdsConfig th, CancellationToken ct) => s.Kind switch
    {
        "process" => HealthProbe.OffThread(() => Process(s.Process ?? s.Name), ct),
        "tcp" => TcpAsync(s.Address!, th, ct),
        "http" => HttpAsync(s.Url!, s.ExpectStatus, th, ct),
        "systemd" => SystemdAsync(s.SystemctlPath(), s.UnitName(), ct),
        "docker" => DockerAsync(s.DockerEndpoint(), s.ContainerName(), ct),
        _ => throw new Errors.OpsException(ErrorIds.ConfigInvalid, $"Service '{s.Name}' has an unknown kind '{s.Kind}'.", s.Name),
    };

    // ---- process -------------------------------------------------------------------------------

    /// <summary>Counts running processes whose name (comm, or argv[0]'s file name) is the given name, from /proc.</summary>
    public static HealthCheckResult Process(string name)
    {
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(dir);
            if (pid.Length == 0 || !char.IsAsciiDigit(pid[0])) continue;
            try
            {
                var comm = ReadSmall(Path.Combine(dir, "comm"));
                // comm is the name cut to 15 characters: only then is argv[0] read to decide.
                var match = name.Length <= 15 ? comm == name : comm == name[..15] && Argv0Name(dir) == name;
                if (match && !IsZombie(dir)) count++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return new HealthCheckResult
        {
            Status = count > 0 ? HealthStatus.Healthy : HealthStatus.Critical,
            Value = count, Unit = "processes", Threshold = "critical when 0 running",
            Message = count > 0 ? $"{count} '{name}' process(es) running." : $"No '{name}' process is running.",
        };
    }

    /// <summary>Reads a small /proc file (comm) without a FileStream or StreamReader.</summary>
    private static string ReadSmall(string path)
    {
        using var h = File.OpenHandle(path);
        Span<byte> buf = stackalloc byte[64];
        var n = RandomAccess.Read(h, buf, 0);
        return System.Text.Encoding.UTF8.GetString(buf[..n]).TrimEnd('\n');
    }

    private static string Argv0Name(string dir)
    {
        var argv0 = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', 2)[0];
        return Path.GetFileName(argv0.Split(' ', 2)[0].TrimEnd(':'));
    }

    private static bool IsZombie(string dir)
    {
        var stat = File.ReadAllText(Path.Combine(dir, "stat"));
        var close = stat.LastIndexOf(')');
        return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
    }

    // ---- tcp -----------------------------------------------------------------------------------

    public static async Task<HealthCheckResult> TcpAsync(string address, ThresholdsConfig th, CancellationToken ct)
    {
        if (!ConfigChecks.TryParseHostPort(address, out var host, out var port))
            throw new Errors.OpsException(ErrorIds.ConfigInvalid, $"'address' must be host:port, not '{address}'.", address);
        var sw = Stopwatch.StartNew();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, ct).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return new HealthCheckResult { Status = HealthStatus.Critical, Threshold = "critical when unreachable", Message = $"Cannot connect to {address}: {e.SocketErrorCode}." };
        }
        var ms = sw.Elapsed.TotalMilliseconds;
        return Latency(ms, th, $"{address} accepts connections ({HealthProbe.F(ms)} ms).");
    }

    private static HealthCheckResult Latency(double ms, ThresholdsConfig th, string message) => new()
    {
        Status = HealthProbe.Judge(ms, th.LatencyWarnMs, null),
        Value = Math.Round(ms, 2), Unit = "ms",
        Threshold = HealthProbe.ThresholdText(th.LatencyWarnMs, null, " ms"), WarnAt = th.LatencyWarnMs,
        Message = message,
    };

    // ---- http ----------------------------------------------------------------------------------

    public static async Task<HealthCheckResult> HttpAsync(string url, int? expect, ThresholdsConfig th, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.ParseAdd("OpsRunbook-Health/1.0");
            response = await Net.OpsHttp.NoRedirects.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return new HealthCheckResult { Status = HealthStatus.Critical, Threshold = "critical when unreachable", Message = $"GET {url} failed: {HealthProbe.Describe(e)}" };
        }
        using (response)
        {
            var ms = sw.Elapsed.TotalMilliseconds;
            var code = (int)response.StatusCode;
            var ok = expect is { } e ? code == e : code is >= 200 and < 400;
            var want = expect is { } x ? $"status {x}" : "status 2xx/3xx";
            var r = Latency(ms, th, $"GET {url} -> {code} {response.ReasonPhrase} in {HealthProbe.F(ms)} ms.");
            r.AddDetail("status_code", code);
            if (!ok)
            {
                r.Status = HealthStatus.Critical;
                r.Threshold = $"critical unless {want}; " + r.Threshold;
                r.Message = $"GET {url} -> {code} {response.ReasonPhrase} (expected {want}).";
            }
            else r.Threshold = $"{want}; " + r.Threshold;
            return r;
        }
    }

    // ---- systemd -------------------------------------------------------------------------------

    /// <summary>Runs `systemctl show UNIT --property=LoadState,ActiveState,SubState` and judges the unit's state.</summary>
    public static async Task<HealthCheckResult> SystemdAsync(string systemctl, string unit, CancellationToken ct)
    {
        int exitCode;
        string output, error;
        try
        {
            (exitCode, output, error) = await Systems.ProcessRunner.RunAsync(systemctl, ["show", unit, "--property=LoadState,ActiveState,SubState", "--no-pager"], ct).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new HealthCheckResult { Status = HealthStatus.Unknown, Message = $"Cannot run {systemctl}: {e.Message}" };
        }
        error = error.Trim();
        if (exitCode != 0)
            return new HealthCheckResult { Status = HealthStatus.Unknown, Message = $"{systemctl} show {unit} failed (exit {exitCode}): {error.Split('\n')[0]}" };
        var props = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        props.TryGetValue("LoadState", out var load);
        props.TryGetValue("ActiveState", out var active);
        props.TryGetValue("SubState", out var sub);
        var status = load == "not-found" ? HealthStatus.Critical : active switch
        {
            "active" => HealthStatus.Healthy,
            "reloading" or "activating" or "deactivating" => HealthStatus.Warning,
            "inactive" or "failed" => HealthStatus.Critical,
            _ => HealthStatus.Unknown,
        };
        return new HealthCheckResult
        {
            Status = status, Value = active == "active" ? 1 : 0, Unit = "active",
            Threshold = "healthy when ActiveState=active",
            Message = load == "not-found" ? $"Unit {unit} is not loaded (LoadState=not-found)." : $"Unit {unit} is {active ?? "?"} ({sub ?? "?"}).",
        };
    }

    // ---- docker --------------------------------------------------------------------------------

    private static readonly ConcurrentDictionary<string, HttpClient> DockerClients = new();

    /// <summary>The Engine API version path used for requests.</summary>
    public const string DockerApiVersion = "v1.43";

    private static HttpClient DockerClient(string endpoint) =>
        DockerClients.GetOrAdd(endpoint, e => Systems.DockerEngine.CreateClient(e, DockerApiVersion, Timeout.InfiniteTimeSpan));

    /// <summary>GET /v1.43/containers/{name}/json on the Engine API and judges State.Status and State.Health.Status.</summary>
    public static async Task<HealthCheckResult> DockerAsync(string endpoint, string container, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await DockerClient(endpoint).GetAsync($"containers/{Uri.EscapeDataString(container)}/json", ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return new HealthCheckResult { Status = HealthStatus.Critical, Message = $"Cannot reach the Docker Engine API at {endpoint}: {HealthProbe.Describe(e)}" };
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return new HealthCheckResult { Status = HealthStatus.Critical, Value = 0, Unit = "running", Message = $"Docker has no container '{container}'." };
            if (!response.IsSuccessStatusCode)
                return new HealthCheckResult { Status = HealthStatus.Unknown, Message = $"Docker Engine API answered {(int)response.StatusCode}: {Truncate(body)}" };
            using var doc = JsonDocument.Parse(body);
            var state = doc.RootElement.GetProperty("State");
            var status = state.TryGetProperty("Status", out var s) ? s.GetString() : null;
            string? health = state.TryGetProperty("Health", out var h) && h.ValueKind == JsonValueKind.Object && h.TryGetProperty("Status", out var hs) ? hs.GetString() : null;
            var restarts = doc.RootElement.TryGetProperty("RestartCount", out var rc) && rc.ValueKind == JsonValueKind.Number ? rc.GetInt32() : 0;
            var verdict = (status, health) switch
            {
                ("running", null or "none" or "healthy") => HealthStatus.Healthy,
                ("running", "starting") => HealthStatus.Warning,
                ("restarting", _) => HealthStatus.Warning,
                _ => HealthStatus.Critical,
            };
            var r = new HealthCheckResult
            {
                Status = verdict, Value = status == "running" ? 1 : 0, Unit = "running",
                Threshold = "healthy when running and not unhealthy",
                Message = $"Container {container} is {status}" + (health is null or "none" ? "" : $", health {health}") + (restarts > 0 ? $", {restarts} restart(s)" : "") + ".",
            };
            r.AddDetail("restart_count", restarts);
            return r;
        }
    }

    private static string Truncate(string s) => s.Length <= 200 ? s.Trim() : s[..200].Trim() + "...";
}
