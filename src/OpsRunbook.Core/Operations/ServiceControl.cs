using System.Net;
using System.Net.Http;
using System.Text.Json;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health.Probes;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Operations;

/// <summary>Stops, starts and asks about a systemd or docker service (the workers of a maintenance window). Every call is bounded by the token.</summary>
public static class ServiceControl
{
    public static string Describe(ServiceConfig s, string verb) => s.Kind switch
    {
        "systemd" => $"{s.SystemctlPath()} {verb} {s.UnitName()}",
        "docker" => $"POST /containers/{s.ContainerName()}/{verb}",
        _ => throw new OpsException(ErrorIds.ServiceKindNotSupported, $"Worker '{s.Name}' is of kind {s.Kind}; maintenance workers are systemd or docker services.", s.Name,
            "List only systemd or docker services under maintenance.workers."),
    };


    /// <summary>True when the unit is active (or activating) / the container is running.</summary>
    public static async Task<bool> IsRunningAsync(ServiceConfig s, CancellationToken ct)
    {
        Describe(s, "show");
        if (s.Kind == "systemd")
        {
            var (exit, stdout, stderr) = await RunAsync(s, ["show", s.UnitName(), "--property=ActiveState", "--no-pager"], ct).ConfigureAwait(false);
            if (exit != 0) throw Failed(s, "show", $"exit {exit}: {stderr.Trim()}");
            var state = stdout.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("ActiveState=", StringComparison.Ordinal))?["ActiveState=".Length..] ?? "";
            return state is "active" or "activating" or "reloading";
        }
        using var client = DockerEngine.CreateClient(s.DockerEndpoint(), ServiceProbe.DockerApiVersion, Timeout.InfiniteTimeSpan);
        try
        {
            using var r = await client.GetAsync($"containers/{Uri.EscapeDataString(s.ContainerName())}/json", ct).ConfigureAwait(false);
            var body = await r.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!r.IsSuccessStatusCode) throw Failed(s, "inspect", $"the Engine API answered {(int)r.StatusCode}: {body.Trim()}");
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.GetProperty("State").TryGetProperty("Running", out var running) && running.ValueKind == JsonValueKind.True;
        }
        catch (HttpRequestException e) { throw Failed(s, "inspect", $"cannot reach the Docker Engine API at {s.DockerEndpoint()}: {e.Message}"); }
    }

    public static Task StopAsync(ServiceConfig s, CancellationToken ct) => ControlAsync(s, "stop", ct);
    public static Task StartAsync(ServiceConfig s, CancellationToken ct) => ControlAsync(s, "start", ct);

    private static async Task ControlAsync(ServiceConfig s, string verb, CancellationToken ct)
    {
        Describe(s, verb);
        if (s.Kind == "systemd")
        {
            var (exit, _, stderr) = await RunAsync(s, [verb, s.UnitName(), "--no-ask-password"], ct).ConfigureAwait(false);
            if (exit != 0) throw Failed(s, verb, $"exit {exit}: {stderr.Trim().Split('\n')[0]}");
            return;
        }
        using var client = DockerEngine.CreateClient(s.DockerEndpoint(), ServiceProbe.DockerApiVersion, Timeout.InfiniteTimeSpan);
        try
        {
            var url = $"containers/{Uri.EscapeDataString(s.ContainerName())}/{verb}" + (verb == "stop" ? "?t=10" : "");
            using var r = await client.PostAsync(url, null, ct).ConfigureAwait(false);
            // 304: already stopped / already started.
            if (r.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified or HttpStatusCode.OK) return;
            var body = await r.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw Failed(s, verb, $"the Engine API answered {(int)r.StatusCode}: {body.Trim()}");
        }
        catch (HttpRequestException e) { throw Failed(s, verb, $"cannot reach the Docker Engine API at {s.DockerEndpoint()}: {e.Message}"); }
    }

    private static async Task<(int, string, string)> RunAsync(ServiceConfig s, string[] args, CancellationToken ct)
    {
        var systemctl = s.SystemctlPath();
        try { return await ProcessRunner.RunAsync(systemctl, args, ct).ConfigureAwait(false); }
        catch (System.ComponentModel.Win32Exception e) { throw Failed(s, args[0], $"cannot run {systemctl}: {e.Message}"); }
    }

    private static OpsException Failed(ServiceConfig s, string verb, string why) =>
        new(ErrorIds.ServiceControlFailed, $"{verb} {s.Name} failed: {why}", s.Name, $"Check {s.Name} by hand (systemctl status / docker ps -a).");
}
