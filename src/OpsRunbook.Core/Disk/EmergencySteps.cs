using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Disk;

/// <summary>
/// The runbook's optional emergency steps besides the file policies: the systemd journal
/// (journalctl --vacuum-time) and Docker prune through the Engine API socket. Each runs only when
/// configured (diskEmergency section) and present (journalctl on PATH, the socket exists).
/// </summary>
public static class EmergencySteps
{
    public const string Journal = "journal", Docker = "docker";

    /// <summary>The configured step names (journal, docker) in run order.</summary>
    public static IReadOnlyList<string> Configured(EnvironmentConfig env)
    {
        var list = new List<string>();
        if (env.DiskEmergency is { } d)
        {
            if (!string.IsNullOrEmpty(d.JournalVacuumTime)) list.Add(Journal);
            if (d.DockerPrune) list.Add(Docker);
        }
        return list;
    }

    /// <summary>Why a configured step cannot run here (journalctl missing, no Docker socket), or null.</summary>
    public static string? Unavailable(string step, DiskEmergencyConfig c) => step switch
    {
        Journal => FindOnPath("journalctl") is null ? "journalctl is not on PATH" : null,
        Docker => File.Exists(Systems.DockerEngine.SocketPath(c.DockerEndpoint)) ? null : $"the Docker socket {Systems.DockerEngine.SocketPath(c.DockerEndpoint)} does not exist",
        _ => $"unknown step {step}",
    };

    public static string Describe(string step, DiskEmergencyConfig c) => step == Journal
        ? $"journalctl --vacuum-time={c.JournalVacuumTime}"
        : $"Docker prune (stopped containers, unused images, networks, anonymous volumes, build cache) via {c.DockerEndpoint}";

    // ---- journal ----

    public static async Task<CleanupResult> JournalAsync(DiskEmergencyConfig c, bool whatIf, CancellationToken ct)
    {
        var exe = FindOnPath("journalctl") ?? throw new OpsException(ErrorIds.JournalctlNotFound, "journalctl is not on PATH.");
        var (usageCode, usage) = await RunAsync(exe, ["--disk-usage"], c, ct).ConfigureAwait(false);
        var m = Regex.Match(usage, @"take up (\S+)");
        if (usageCode != 0 || !m.Success)
            throw new OpsException(ErrorIds.JournalVacuumFailed, $"journalctl --disk-usage {(usageCode != 0 ? $"exited with {usageCode}" : "gave no size")}: {usage.Trim()}", Journal,
                "Run journalctl --disk-usage by hand to see what is wrong; nothing was vacuumed.");
        var total = ParseSize(m.Groups[1].Value);
        if (whatIf)
            return new CleanupResult { Policy = Journal, Path = exe, Action = $"vacuum-time={c.JournalVacuumTime}", WhatIf = true, BytesMatched = total, FreeBytesBefore = -1, FreeBytesAfter = -1 };
        var (code, output) = await RunAsync(exe, [$"--vacuum-time={c.JournalVacuumTime}"], c, ct).ConfigureAwait(false);
        var errors = new List<OpsException>();
        // A vacuum that failed has freed nothing anyone can vouch for: an error, never a result saying "freed 0 B".
        if (code != 0)
            throw new OpsException(ErrorIds.JournalVacuumFailed, $"journalctl --vacuum-time={c.JournalVacuumTime} exited with {code}: {output.Trim()}", Journal);
        var freed = Regex.Matches(output, @"freed (\S+)").Sum(x => ParseSize(x.Groups[1].Value));
        var removed = Regex.Matches(output, @"^Deleted archived journal", RegexOptions.Multiline).Count;
        return new CleanupResult
        {
            Policy = Journal, Path = exe, Action = $"vacuum-time={c.JournalVacuumTime}", BytesMatched = total,
            FilesRemoved = removed, BytesFreed = freed, Errors = errors.Count, ErrorDetails = errors, FreeBytesBefore = -1, FreeBytesAfter = -1,
        };
    }

    /// <summary>journalctl sizes: 0B, 24.0K, 512.0M, 1.2G (binary units).</summary>
    public static long ParseSize(string s)
    {
        var m = Regex.Match(s.Trim().TrimEnd('.', ','), @"^([\d.]+)\s*([KMGTP]?)i?B?$", RegexOptions.IgnoreCase);
        if (!m.Success) return 0;
        var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var exp = "KMGTP".IndexOf(char.ToUpperInvariant(m.Groups[2].Value.FirstOrDefault('\0'))) + 1;
        return (long)(v * Math.Pow(1024, exp));
    }

    private static async Task<(int Code, string Output)> RunAsync(string exe, string[] args, DiskEmergencyConfig c, CancellationToken ct)
    {
        var (code, stdout, stderr) = await Systems.ProcessRunner.RunAsync(exe, args, c.StepTimeout, "diskEmergency.stepTimeoutSeconds", ct).ConfigureAwait(false);
        return (code, stdout + stderr);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(File.Exists);

    // ---- Docker Engine API over the unix socket ----

    private static HttpClient DockerClient(DiskEmergencyConfig c) => Systems.DockerEngine.CreateClient(c.DockerEndpoint, "v1.41", c.StepTimeout);

    private static readonly string[] PruneCalls =
    [
        "containers/prune",
        "images/prune?filters=" + Uri.EscapeDataString("{\"dangling\":[\"false\"]}"),
        "networks/prune",
        "volumes/prune",
        "build/prune?all=true",
    ];

    public static async Task<CleanupResult> DockerAsync(DiskEmergencyConfig c, bool whatIf, CancellationToken ct)
    {
        using var http = DockerClient(c);
        long reclaimable;
        try { reclaimable = Reclaimable(await GetJsonAsync(http, "system/df", ct).ConfigureAwait(false)); }
        catch (HttpRequestException e) { throw DockerError("system/df", e); }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested) { throw DockerTimeout("system/df", c, e); }
        if (whatIf)
            return new CleanupResult { Policy = Docker, Path = c.DockerEndpoint, Action = "prune", WhatIf = true, BytesMatched = reclaimable, FreeBytesBefore = -1, FreeBytesAfter = -1 };
        var errors = new List<OpsException>();
        long freed = 0; var removed = 0; var succeeded = 0;
        foreach (var call in PruneCalls)
        {
            try
            {
                using var resp = await http.PostAsync(call, null, ct).ConfigureAwait(false);
                var body = await resp.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (!resp.IsSuccessStatusCode)
                {
                    errors.Add(new OpsException(ErrorIds.DockerPruneFailed, $"Docker {call.Split('?')[0]} returned {(int)resp.StatusCode}: {body.Trim()}", call));
                    continue;
                }
                using var doc = JsonDocument.Parse(body);
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.NameEquals("SpaceReclaimed") && p.Value.ValueKind == JsonValueKind.Number) freed += p.Value.GetInt64();
                    else if (p.Value.ValueKind == JsonValueKind.Array) removed += p.Value.GetArrayLength();
                }
            }
            catch (HttpRequestException e) { errors.Add(DockerError(call, e)); continue; }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                // A daemon that stopped answering will not answer the next call either.
                errors.Add(DockerTimeout(call, c, e));
                break;
            }
            succeeded++;
        }
        // No prune call went through: nothing was freed that anyone can vouch for, so the step failed (never "freed 0 B").
        if (succeeded == 0) throw errors[0];
        return new CleanupResult
        {
            Policy = Docker, Path = c.DockerEndpoint, Action = "prune", BytesMatched = reclaimable,
            FilesRemoved = removed, BytesFreed = freed, Errors = errors.Count, ErrorDetails = errors, FreeBytesBefore = -1, FreeBytesAfter = -1,
        };
    }

    private static OpsException DockerError(string call, Exception e) =>
        new(ErrorIds.DockerUnavailable, $"Docker Engine API {call.Split('?')[0]} failed: {e.Message}", call,
            "Check that the Docker daemon runs and the socket in diskEmergency.dockerEndpoint is right.", e);

    private static OpsException DockerTimeout(string call, DiskEmergencyConfig c, Exception e) =>
        new(ErrorIds.DockerTimeout, $"Docker Engine API {call.Split('?')[0]} at {c.DockerEndpoint} did not answer within {c.StepTimeoutSeconds} s (diskEmergency.stepTimeoutSeconds).", call,
            "Check the Docker daemon (it accepts connections but does not answer); raise diskEmergency.stepTimeoutSeconds only if it is slow but working.", e);

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var resp = await http.GetAsync(path, ct).ConfigureAwait(false);
        resp.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
    }

    /// <summary>From /system/df: unused images, stopped containers' layers, unreferenced volumes and unused build cache.</summary>
    public static long Reclaimable(JsonDocument df)
    {
        long sum = 0;
        var r = df.RootElement;
        static long L(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        if (r.TryGetProperty("Images", out var imgs) && imgs.ValueKind == JsonValueKind.Array)
            foreach (var i in imgs.EnumerateArray()) if (L(i, "Containers") == 0) sum += L(i, "Size");
        if (r.TryGetProperty("Containers", out var cs) && cs.ValueKind == JsonValueKind.Array)
            foreach (var c in cs.EnumerateArray()) if (!(c.TryGetProperty("State", out var s) && s.GetString() == "running")) sum += L(c, "SizeRw");
        if (r.TryGetProperty("Volumes", out var vs) && vs.ValueKind == JsonValueKind.Array)
            foreach (var v in vs.EnumerateArray())
                if (v.TryGetProperty("UsageData", out var u) && L(u, "RefCount") == 0 && L(u, "Size") > 0) sum += L(u, "Size");
        if (r.TryGetProperty("BuildCache", out var bc) && bc.ValueKind == JsonValueKind.Array)
            foreach (var b in bc.EnumerateArray()) if (!(b.TryGetProperty("InUse", out var iu) && iu.ValueKind == JsonValueKind.True)) sum += L(b, "Size");
        df.Dispose();
        return sum;
    }
}
