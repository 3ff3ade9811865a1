using System.Diagnostics;
using System.Net;
using System.Net.Http;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Health.Probes;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Operations;

/// <summary>What Restart-OpsService did: the health before and after, how long the service took to pass its check.</summary>
public sealed class ServiceRestartResult
{
    /// <summary>The host this describes (its host name).</summary>
    public string ComputerName { get; init; } = Systems.HostIdentity.ComputerName;
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    /// <summary>How it was restarted: "systemctl restart nginx.service", "POST /containers/web/restart", the command.</summary>
    public string Method { get; init; } = "";
    public HealthStatus Before { get; init; }
    public HealthStatus After { get; init; }
    /// <summary>From the restart call until the health check passed (or the wait ended).</summary>
    public TimeSpan Duration { get; init; }
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 1);
    /// <summary>True when the service's health check passed within the timeout.</summary>
    public bool Healthy { get; init; }
    /// <summary>How many times the health check ran after the restart.</summary>
    public int Checks { get; init; }
    /// <summary>The last health check's message.</summary>
    public string Message { get; init; } = "";
    public DateTimeOffset Time { get; init; }
    public override string ToString() => $"{Name}: {Before} -> {After}";
}

/// <summary>
/// Restarts a configured service by its kind (systemctl restart, the Engine API's restart call, or restartCommand),
/// then runs the service's own health check (Get-OpsHealth's Service probe) until it passes or the timeout ends.
/// Every step is bounded: the restart call and each check by what is left of the timeout.
/// </summary>
public static class ServiceRestart
{
    /// <summary>How often the health check runs while waiting.</summary>
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>What the restart runs, for ShouldProcess and the result. Throws ServiceKindNotSupported when the service cannot be restarted.</summary>
    public static string Describe(ServiceConfig s) => s.RestartCommand is { Length: > 0 } cmd ? cmd : s.Kind switch
    {
        "systemd" => $"{s.SystemctlPath()} restart {s.UnitName()}",
        "docker" => $"POST /containers/{s.ContainerName()}/restart (Docker Engine API at {s.DockerEndpoint()})",
        _ => throw new OpsException(ErrorIds.ServiceKindNotSupported, $"Service '{s.Name}' is of kind {s.Kind}, which OpsRunbook cannot restart by itself.", s.Name,
            $"Give it a restartCommand (e.g. restartCommand: 'supervisorctl restart {s.Name}') in the config."),
    };


    public static async Task<ServiceRestartResult> RestartAsync(EnvironmentConfig env, ServiceConfig s, TimeSpan timeout, IOpsReporter reporter, CancellationToken ct)
    {
        var method = Describe(s);
        var before = await CheckAsync(s, env.Thresholds, TimeSpan.FromSeconds(Math.Min(10, timeout.TotalSeconds)), ct).ConfigureAwait(false);
        reporter.Verbose($"{s.Name} before the restart: {before.Status} - {before.Message}");
        var sw = Stopwatch.StartNew();
        using (var restartCts = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            restartCts.CancelAfter(timeout);
            try
            {
                await RestartCallAsync(s, restartCts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new OpsException(ErrorIds.ServiceRestartFailed, $"Restarting {s.Name} ({method}) did not finish within {timeout.TotalSeconds:0.#} s.", s.Name,
                    "Look at the service's own log (Get-OpsServiceLog) and restart it by hand.");
            }
        }
        reporter.Verbose($"{s.Name}: {method} done in {sw.Elapsed.TotalMilliseconds:0} ms; waiting for its health check.");
        var checks = 0;
        HealthCheckResult last;
        while (true)
        {
            var left = timeout - sw.Elapsed;
            last = await CheckAsync(s, env.Thresholds, left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            checks++;
            reporter.Progress(new OpsProgress(1, $"Restart {s.Name}", $"waiting for the health check: {last.Status}", (int)Math.Min(99, 100 * sw.Elapsed / timeout)));
            if (last.Status == HealthStatus.Healthy || sw.Elapsed + PollInterval >= timeout) break;
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
        var result = new ServiceRestartResult
        {
            Name = s.Name, Kind = s.Kind, Method = method, Before = before.Status, After = last.Status, Duration = sw.Elapsed,
            Healthy = last.Status == HealthStatus.Healthy, Checks = checks, Message = last.Message ?? "", Time = DateTimeOffset.UtcNow,
        };
        if (!result.Healthy)
            throw new ServiceDidNotRecoverException(result, timeout);
        return result;
    }

    /// <summary>The service's health check, bounded; a check that times out is Critical, not an exception.</summary>
    private static async Task<HealthCheckResult> CheckAsync(ServiceConfig s, ThresholdsConfig th, TimeSpan bound, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(bound);
        try
        {
            return await ServiceProbe.CheckOneAsync(s, th, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new HealthCheckResult { Status = HealthStatus.Critical, Message = $"The health check did not answer within {bound.TotalSeconds:0.#} s." };
        }
    }

    private static async Task RestartCallAsync(ServiceConfig s, CancellationToken ct)
    {
        if (s.RestartCommand is { Length: > 0 } cmd)
        {
            var (exit, _, err) = await RunAsync("/bin/sh", ["-c", cmd], s, ct).ConfigureAwait(false);
            if (exit != 0) throw Failed(s, $"'{cmd}' exited {exit}: {FirstLine(err)}");
            return;
        }
        switch (s.Kind)
        {
            case "systemd":
            {
                var systemctl = s.SystemctlPath();
                var (exit, _, err) = await RunAsync(systemctl, ["restart", s.UnitName(), "--no-ask-password"], s, ct).ConfigureAwait(false);
                if (exit != 0) throw Failed(s, $"{systemctl} restart {s.UnitName()} exited {exit}: {FirstLine(err)}");
                return;
            }
            case "docker":
            {
                using var client = DockerEngine.CreateClient(s.DockerEndpoint(), ServiceProbe.DockerApiVersion, Timeout.InfiniteTimeSpan);
                HttpResponseMessage response;
                try
                {
                    response = await client.PostAsync($"containers/{Uri.EscapeDataString(s.ContainerName())}/restart?t=10", null, ct).ConfigureAwait(false);
                }
                catch (HttpRequestException e)
                {
                    throw Failed(s, $"cannot reach the Docker Engine API at {s.DockerEndpoint()}: {e.Message}");
                }
                using (response)
                {
                    if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.OK) return;
                    var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                    throw Failed(s, $"the Engine API answered {(int)response.StatusCode}: {FirstLine(body)}");
                }
            }
            default:
                Describe(s);
                return;
        }
    }

    private static async Task<(int, string, string)> RunAsync(string file, string[] args, ServiceConfig s, CancellationToken ct)
    {
        try { return await ProcessRunner.RunAsync(file, args, ct).ConfigureAwait(false); }
        catch (System.ComponentModel.Win32Exception e) { throw Failed(s, $"cannot run {file}: {e.Message}"); }
    }

    private static OpsException Failed(ServiceConfig s, string why) =>
        new(ErrorIds.ServiceRestartFailed, $"Restarting {s.Name} failed: {why}", s.Name, "Look at the service's own log (Get-OpsServiceLog) and its status, then restart it by hand.");

    private static string FirstLine(string s) => s.Trim().Split('\n')[0].Trim();
}

/// <summary>ServiceDidNotRecover, carrying the restart result (After, Checks, the last health message).</summary>
public sealed class ServiceDidNotRecoverException : OpsException
{
    public ServiceDidNotRecoverException(ServiceRestartResult result, TimeSpan timeout)
        : base(ErrorIds.ServiceDidNotRecover,
               $"{result.Name} was restarted ({result.Method}) but its health check did not pass within {timeout.TotalSeconds:0.#} s: {result.After} - {result.Message}",
               result.Name, $"Look at Get-OpsServiceLog -Name {result.Name}, fix the cause and restart it again; Get-OpsHealth -Check Service shows its state.")
        => Result = result;

    public ServiceRestartResult Result { get; }
}
