using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Health.Probes;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Operations;

/// <summary>One replica of a scaled service: a Compose container or a systemd template instance.</summary>
public sealed class WorkerInstance
{
    /// <summary>The container name or unit (worker@3.service).</summary>
    public string Name { get; init; } = "";
    /// <summary>com.docker.compose.container-number, or the template instance number.</summary>
    public int Number { get; init; }
    /// <summary>running, exited, created...; active, inactive, failed.</summary>
    public string State { get; init; } = "";
    /// <summary>healthy, starting, unhealthy, or null when there is no health check.</summary>
    public string? Health { get; init; }
    public string? Id { get; init; }
    public bool Running => State is "running" or "active";
    public override string ToString() => $"{Name} ({State})";
}

/// <summary>A service's replicas: how many run, and (Set-OpsWorkerScale) what was created and removed.</summary>
public sealed class WorkerScaleResult
{
    public string Service { get; init; } = "";
    public string Kind { get; init; } = "";
    /// <summary>Replicas running now.</summary>
    public int Replicas { get; init; }
    /// <summary>Set-OpsWorkerScale: replicas running before.</summary>
    public int? Previous { get; init; }
    public IReadOnlyList<WorkerInstance> Instances { get; init; } = [];
    public IReadOnlyList<string> Started { get; init; } = [];
    public IReadOnlyList<string> Stopped { get; init; } = [];
    public TimeSpan Duration { get; init; }
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 1);
    public DateTimeOffset Timestamp { get; init; }
    public override string ToString() => $"{Service}: {Replicas} replica(s)";
}

/// <summary>
/// `docker compose up --scale service=N` through the Engine API, and the same for systemd template units (worker@1..N):
/// find the replicas, create (clone the first container's config with the next container-number) or start the missing
/// ones and wait for each one's health check (as Restart-OpsService does), stop and remove the newest first when scaling down.
/// </summary>
public static class WorkerScale
{
    public const string ProjectLabel = "com.docker.compose.project";
    public const string ServiceLabel = "com.docker.compose.service";
    public const string NumberLabel = "com.docker.compose.container-number";
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>What scaling the service does, for ShouldProcess; throws WorkerScaleNotSupported when it cannot be scaled.</summary>
    public static string Describe(ServiceConfig s) => s.Kind switch
    {
        "docker" when s.ComposeProject is { Length: > 0 } => $"Compose service {s.ComposeProject}/{ComposeService(s)} (Docker Engine API at {s.DockerEndpoint()})",
        "systemd" when IsTemplate(s) => $"systemd template {s.Unit} ({s.SystemctlPath()})",
        _ => throw new OpsException(ErrorIds.WorkerScaleNotSupported,
            $"Service '{s.Name}' ({s.Kind}) cannot be scaled: it needs kind docker with composeProject (its containers' {ProjectLabel} label), or kind systemd with a template unit (unit: {s.Name}@.service).",
            s.Name, $"Add composeProject: <project> (and composeService when the Compose service is not '{s.Name}'), or unit: {s.Name}@.service, to the service in the config."),
    };

    private static bool IsTemplate(ServiceConfig s) => s.Unit is { } u && u.EndsWith("@.service", StringComparison.Ordinal);
    private static string ComposeService(ServiceConfig s) => s.ComposeService ?? s.Name;

    public static async Task<WorkerScaleResult> GetAsync(EnvironmentConfig env, ServiceConfig s, CancellationToken ct)
    {
        Describe(s);
        var sw = Stopwatch.StartNew();
        var instances = s.Kind == "docker" ? await DockerListAsync(s, ct).ConfigureAwait(false) : await SystemdListAsync(s, ct).ConfigureAwait(false);
        return new WorkerScaleResult
        {
            Service = s.Name, Kind = s.Kind, Replicas = instances.Count(i => i.Running), Instances = instances, Duration = sw.Elapsed, Timestamp = DateTimeOffset.UtcNow,
        };
    }

    public static async Task<WorkerScaleResult> SetAsync(EnvironmentConfig env, ServiceConfig s, int replicas, TimeSpan healthTimeout, IOpsReporter reporter, CancellationToken ct)
    {
        Describe(s);
        var sw = Stopwatch.StartNew();
        var started = new List<string>();
        var stopped = new List<string>();
        var before = s.Kind == "docker" ? await DockerListAsync(s, ct).ConfigureAwait(false) : await SystemdListAsync(s, ct).ConfigureAwait(false);
        var previous = before.Count(i => i.Running);
        if (s.Kind == "docker") await DockerScaleAsync(s, before, replicas, healthTimeout, started, stopped, reporter, ct).ConfigureAwait(false);
        else await SystemdScaleAsync(s, before, replicas, healthTimeout, started, stopped, reporter, ct).ConfigureAwait(false);
        var after = s.Kind == "docker" ? await DockerListAsync(s, ct).ConfigureAwait(false) : await SystemdListAsync(s, ct).ConfigureAwait(false);
        return new WorkerScaleResult
        {
            Service = s.Name, Kind = s.Kind, Replicas = after.Count(i => i.Running), Previous = previous, Instances = after,
            Started = started, Stopped = stopped, Duration = sw.Elapsed, Timestamp = DateTimeOffset.UtcNow,
        };
    }

    // ---- docker --------------------------------------------------------------------------------

    private static async Task<(HttpStatusCode Status, string Body)> DockerAsync(ServiceConfig s, HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var client = DockerEngine.CreateClient(s.DockerEndpoint(), ServiceProbe.DockerApiVersion, Timeout.InfiniteTimeSpan);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        try
        {
            using var response = await client.SendAsync(request, ct).ConfigureAwait(false);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        }
        catch (HttpRequestException e)
        {
            throw Failed(s, $"cannot reach the Docker Engine API at {s.DockerEndpoint()}: {e.Message}");
        }
    }

    private static OpsException Failed(ServiceConfig s, string why) => new(ErrorIds.WorkerScaleFailed, $"Scaling {s.Name} failed: {why}", s.Name,
        "Get-OpsWorkerScale shows the replicas as they are now; look at the Engine API's or systemd's log, fix the cause and run Set-OpsWorkerScale again.");

    private static string Message(string body)
    {
        try { return JsonNode.Parse(body)?["message"]?.ToString() ?? body.Trim(); } catch (JsonException) { return body.Trim(); }
    }

    private static async Task<IReadOnlyList<WorkerInstance>> DockerListAsync(ServiceConfig s, CancellationToken ct)
    {
        var filters = JsonSerializer.Serialize(new Dictionary<string, string[]> { ["label"] = [$"{ProjectLabel}={s.ComposeProject}", $"{ServiceLabel}={ComposeService(s)}"] });
        var (status, body) = await DockerAsync(s, HttpMethod.Get, $"containers/json?all=1&filters={Uri.EscapeDataString(filters)}", null, ct).ConfigureAwait(false);
        if (status != HttpStatusCode.OK) throw Failed(s, $"listing the containers answered {(int)status}: {Message(body)}");
        var list = new List<WorkerInstance>();
        foreach (var c in JsonNode.Parse(body) as JsonArray ?? [])
        {
            if (c is null) continue;
            var labels = c["Labels"] as JsonObject;
            var number = int.TryParse(labels?[NumberLabel]?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
            var name = ((c["Names"] as JsonArray)?.FirstOrDefault()?.ToString() ?? "").TrimStart('/');
            var statusText = c["Status"]?.ToString() ?? "";
            string? health = statusText.Contains("(healthy)", StringComparison.Ordinal) ? "healthy" : statusText.Contains("(unhealthy)", StringComparison.Ordinal) ? "unhealthy"
                : statusText.Contains("(health: starting)", StringComparison.Ordinal) ? "starting" : null;
            list.Add(new WorkerInstance { Name = name, Number = number, State = c["State"]?.ToString() ?? "", Health = health, Id = c["Id"]?.ToString() });
        }
        return list.OrderBy(i => i.Number).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    private static async Task DockerScaleAsync(ServiceConfig s, IReadOnlyList<WorkerInstance> current, int replicas, TimeSpan healthTimeout,
        List<string> started, List<string> stopped, IOpsReporter reporter, CancellationToken ct)
    {
        // Scale down: the newest (highest container-number) first, stop then remove; as compose, every number above N goes.
        foreach (var c in current.Where(i => i.Number > replicas).OrderByDescending(i => i.Number))
        {
            var (st, body) = await DockerAsync(s, HttpMethod.Post, $"containers/{Uri.EscapeDataString(c.Id ?? c.Name)}/stop?t=10", null, ct).ConfigureAwait(false);
            if (st is not (HttpStatusCode.NoContent or HttpStatusCode.NotModified or HttpStatusCode.OK)) throw Failed(s, $"stopping {c.Name} answered {(int)st}: {Message(body)}");
            (st, body) = await DockerAsync(s, HttpMethod.Delete, $"containers/{Uri.EscapeDataString(c.Id ?? c.Name)}", null, ct).ConfigureAwait(false);
            if (st is not (HttpStatusCode.NoContent or HttpStatusCode.OK)) throw Failed(s, $"removing {c.Name} answered {(int)st}: {Message(body)}");
            reporter.Verbose($"{s.Name}: stopped and removed {c.Name}.");
            stopped.Add(c.Name);
        }
        // Existing replicas numbered 1..N that are not running are started.
        foreach (var c in current.Where(i => i.Number <= replicas && !i.Running))
        {
            var (st, body) = await DockerAsync(s, HttpMethod.Post, $"containers/{Uri.EscapeDataString(c.Id ?? c.Name)}/start", null, ct).ConfigureAwait(false);
            if (st is not (HttpStatusCode.NoContent or HttpStatusCode.NotModified or HttpStatusCode.OK)) throw Failed(s, $"starting {c.Name} answered {(int)st}: {Message(body)}");
            await WaitHealthyAsync(s, c.Name, healthTimeout, reporter, ct).ConfigureAwait(false);
            started.Add(c.Name);
        }
        var kept = current.Where(i => i.Number <= replicas).ToList();
        var missing = replicas - kept.Count;
        if (missing <= 0) return;
        var template = current.OrderBy(i => i.Number).FirstOrDefault()
            ?? throw Failed(s, $"there is no container of {s.ComposeProject}/{ComposeService(s)} to clone (start the service with docker compose up first).");
        var (ist, ibody) = await DockerAsync(s, HttpMethod.Get, $"containers/{Uri.EscapeDataString(template.Id ?? template.Name)}/json", null, ct).ConfigureAwait(false);
        if (ist != HttpStatusCode.OK) throw Failed(s, $"inspecting {template.Name} answered {(int)ist}: {Message(ibody)}");
        var inspect = JsonNode.Parse(ibody)!;
        var numbers = Enumerable.Range(1, replicas).Where(n => kept.All(k => k.Number != n)).ToList();
        foreach (var number in numbers)
        {
            var name = $"{s.ComposeProject}-{ComposeService(s)}-{number}";
            var config = inspect["Config"]?.DeepClone() as JsonObject ?? new JsonObject();
            config.Remove("Hostname");   // each replica gets its own (the container id), as compose does
            var labels = config["Labels"] as JsonObject ?? new JsonObject();
            labels[NumberLabel] = number.ToString(CultureInfo.InvariantCulture);
            config["Labels"] = labels;
            config["HostConfig"] = inspect["HostConfig"]?.DeepClone();
            var endpoints = new JsonObject();
            if (inspect["NetworkSettings"]?["Networks"] is JsonObject nets)
                foreach (var (net, ep) in nets)
                    endpoints[net] = new JsonObject { ["Aliases"] = ep?["Aliases"]?.DeepClone() ?? new JsonArray(ComposeService(s)) };
            config["NetworkingConfig"] = new JsonObject { ["EndpointsConfig"] = endpoints };
            var (st, body) = await DockerAsync(s, HttpMethod.Post, $"containers/create?name={Uri.EscapeDataString(name)}", config, ct).ConfigureAwait(false);
            if (st != HttpStatusCode.Created) throw Failed(s, $"creating {name} answered {(int)st}: {Message(body)}");
            var id = JsonNode.Parse(body)?["Id"]?.ToString() ?? name;
            (st, body) = await DockerAsync(s, HttpMethod.Post, $"containers/{Uri.EscapeDataString(id)}/start", null, ct).ConfigureAwait(false);
            if (st is not (HttpStatusCode.NoContent or HttpStatusCode.NotModified)) throw Failed(s, $"starting {name} answered {(int)st}: {Message(body)}");
            reporter.Verbose($"{s.Name}: created {name} from {template.Name} and started it; waiting for its health check.");
            await WaitHealthyAsync(s, name, healthTimeout, reporter, ct).ConfigureAwait(false);
            started.Add(name);
        }
    }

    /// <summary>The new replica's own health check (Get-OpsHealth's Service probe), until Healthy or the timeout: as Restart-OpsService waits.</summary>
    private static async Task WaitHealthyAsync(ServiceConfig s, string instance, TimeSpan timeout, IOpsReporter reporter, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        HealthCheckResult last;
        while (true)
        {
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                cts.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, (timeout - sw.Elapsed).TotalSeconds)));
                try
                {
                    last = s.Kind == "docker"
                        ? await ServiceProbe.DockerAsync(s.DockerEndpoint(), instance, cts.Token).ConfigureAwait(false)
                        : await ServiceProbe.SystemdAsync(s.SystemctlPath(), instance, cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    last = new HealthCheckResult { Status = HealthStatus.Critical, Message = "The health check did not answer in time." };
                }
            }
            reporter.Progress(new OpsProgress(1, $"Scale {s.Name}", $"{instance}: {last.Status}", (int)Math.Min(99, 100 * sw.Elapsed / timeout)));
            if (last.Status == HealthStatus.Healthy) return;
            if (sw.Elapsed + PollInterval >= timeout)
                throw new OpsException(ErrorIds.WorkerDidNotBecomeHealthy,
                    $"{instance} was started but its health check did not pass within {timeout.TotalSeconds:0.#} s: {last.Status} - {last.Message}", instance,
                    $"Look at its log (docker logs {instance}, journalctl -u {instance}); Get-OpsWorkerScale -Service {s.Name} shows the replicas as they are.");
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }

    // ---- systemd -------------------------------------------------------------------------------

    private static string Instance(ServiceConfig s, int n) => s.Unit![..^"@.service".Length] + "@" + n.ToString(CultureInfo.InvariantCulture) + ".service";

    private static async Task<IReadOnlyList<WorkerInstance>> SystemdListAsync(ServiceConfig s, CancellationToken ct)
    {
        var systemctl = s.SystemctlPath();
        var pattern = s.Unit![..^".service".Length] + "*.service";
        var (exit, stdout, stderr) = await RunAsync(s, systemctl, ["list-units", "--all", "--plain", "--no-legend", "--no-pager", "--type=service", pattern], ct).ConfigureAwait(false);
        if (exit != 0) throw Failed(s, $"{systemctl} list-units exited {exit}: {stderr.Trim()}");
        var prefix = s.Unit![..^".service".Length];
        var list = new List<WorkerInstance>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 4 || !cols[0].StartsWith(prefix, StringComparison.Ordinal)) continue;
            var num = cols[0][prefix.Length..^".service".Length];
            if (!int.TryParse(num, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) continue;
            list.Add(new WorkerInstance { Name = cols[0], Number = n, State = cols[2] });
        }
        return list.OrderBy(i => i.Number).ToList();
    }

    private static async Task SystemdScaleAsync(ServiceConfig s, IReadOnlyList<WorkerInstance> current, int replicas, TimeSpan healthTimeout,
        List<string> started, List<string> stopped, IOpsReporter reporter, CancellationToken ct)
    {
        var systemctl = s.SystemctlPath();
        foreach (var c in current.Where(i => i.Number > replicas && i.Running).OrderByDescending(i => i.Number))
        {
            var (exit, _, err) = await RunAsync(s, systemctl, ["stop", c.Name, "--no-ask-password"], ct).ConfigureAwait(false);
            if (exit != 0) throw Failed(s, $"{systemctl} stop {c.Name} exited {exit}: {err.Trim()}");
            stopped.Add(c.Name);
        }
        for (var n = 1; n <= replicas; n++)
        {
            var unit = Instance(s, n);
            if (current.Any(i => i.Name == unit && i.Running)) continue;
            var (exit, _, err) = await RunAsync(s, systemctl, ["start", unit, "--no-ask-password"], ct).ConfigureAwait(false);
            if (exit != 0) throw Failed(s, $"{systemctl} start {unit} exited {exit}: {err.Trim()}");
            await WaitHealthyAsync(s, unit, healthTimeout, reporter, ct).ConfigureAwait(false);
            started.Add(unit);
        }
    }

    private static async Task<(int, string, string)> RunAsync(ServiceConfig s, string file, string[] args, CancellationToken ct)
    {
        try { return await ProcessRunner.RunAsync(file, args, TimeSpan.FromSeconds(60), "60 s per systemctl call", ct).ConfigureAwait(false); }
        catch (System.ComponentModel.Win32Exception e) { throw Failed(s, $"cannot run {file}: {e.Message}"); }
    }
}
