using OpsRunbook.Core.Config;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Health.Probes;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Alerts;

public enum AlertState { Ok, Firing, Unknown }

/// <summary>One of the runbook's alerts evaluated on this host: firing or not, the figure, and what to do.</summary>
public sealed record LocalAlert
{
    public string Name { get; init; } = "";
    public string Title { get; init; } = "";
    public AlertState State { get; init; }
    /// <summary>CPU: % busy averaged over the sampling; memory: % used; queue: the deepest queue's waiting jobs.</summary>
    public double? Value { get; init; }
    public double Threshold { get; init; }
    public string Unit { get; init; } = "";
    /// <summary>How long the condition was sampled (CPU) or must hold (the rule's for).</summary>
    public TimeSpan Duration { get; init; }
    public double DurationMs => Duration.TotalMilliseconds;
    public string Message { get; init; } = "";
    /// <summary>The runbook's response steps.</summary>
    public string Runbook { get; init; } = "";
    /// <summary>The OpsRunbook cmdlet to run next.</summary>
    public string Next { get; init; } = "";
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary>Evaluates the runbook's three alerts without Prometheus: CPU from /proc/stat over a duration, memory from /proc/meminfo, queue depth from the queue health family.</summary>
public static class LocalAlertEvaluator
{
    /// <summary>CPU busy % between consecutive samples of (total, idle) jiffies.</summary>
    public static IReadOnlyList<double> CpuPercents(IReadOnlyList<(long Total, long Idle)> samples)
    {
        var list = new List<double>();
        for (var i = 1; i < samples.Count; i++)
        {
            var dt = samples[i].Total - samples[i - 1].Total;
            var di = samples[i].Idle - samples[i - 1].Idle;
            if (dt > 0) list.Add(Math.Clamp(100.0 * (dt - di) / dt, 0, 100));
        }
        return list;
    }

    /// <summary>Fires when every interval of the sampling was above the threshold (the rule's "for"); Value is the average over the whole duration.</summary>
    public static LocalAlert JudgeCpu(RunbookAlert a, IReadOnlyList<(long Total, long Idle)> samples, TimeSpan duration, DateTimeOffset now)
    {
        var parts = CpuPercents(samples);
        if (parts.Count == 0) return Make(a, AlertState.Unknown, null, duration, "No CPU time passed between the samples.", now);
        var dt = samples[^1].Total - samples[0].Total;
        var avg = dt > 0 ? 100.0 * (dt - (samples[^1].Idle - samples[0].Idle)) / dt : parts.Average();
        var firing = parts.All(p => p > a.Threshold);
        return Make(a, firing ? AlertState.Firing : AlertState.Ok, Math.Round(avg, 2), duration,
            $"CPU {avg:0.#}% busy on average over {Describe(duration)} (lowest interval {parts.Min():0.#}%); fires above {a.Threshold:0.#}% throughout.", now);
    }

    /// <summary>Memory used = 1 - MemAvailable / MemTotal.</summary>
    public static LocalAlert JudgeMemory(RunbookAlert a, IReadOnlyDictionary<string, long> memInfoKb, DateTimeOffset now)
    {
        if (!memInfoKb.TryGetValue("MemTotal", out var total) || total <= 0 || !memInfoKb.TryGetValue("MemAvailable", out var avail))
            return Make(a, AlertState.Unknown, null, TimeSpan.Zero, "/proc/meminfo has no MemTotal or MemAvailable.", now);
        var used = 100.0 * (total - avail) / total;
        return Make(a, used > a.Threshold ? AlertState.Firing : AlertState.Ok, Math.Round(used, 2), TimeSpan.Zero,
            $"Memory {used:0.#}% used ({(total - avail) / 1024:N0} MiB of {total / 1024:N0} MiB); fires above {a.Threshold:0.#}%.", now);
    }

    /// <summary>
    /// Fires for a queue that is over the threshold in every reading of the window (the rule's "for": the first reading
    /// at the start of the sampling, the last at its end), so a burst that drained meanwhile does not page anybody.
    /// Value is the deepest queue in the last reading.
    /// </summary>
    public static LocalAlert JudgeQueue(RunbookAlert a, IReadOnlyList<IReadOnlyList<HealthCheckResult>>? readings, string? missing, TimeSpan duration, DateTimeOffset now)
    {
        if (readings is null || readings.Count == 0) return Make(a, AlertState.Unknown, null, TimeSpan.Zero, $"Queue depth unknown: {missing}", now);
        var last = readings[^1];
        var known = last.Where(q => q.Value is not null).ToList();
        if (known.Count == 0)
            return Make(a, AlertState.Unknown, null, TimeSpan.Zero, "Queue depth unknown: " + string.Join("; ", last.Select(q => q.Message)), now);
        var deepest = known.MaxBy(q => q.Value!.Value)!;
        double? Depth(IReadOnlyList<HealthCheckResult> r, string target) => r.FirstOrDefault(q => q.Target == target)?.Value;
        var over = known.Where(q => readings.All(r => Depth(r, q.Target) > a.Threshold)).Select(q => $"{q.Target} ({q.Value:N0})").ToList();
        var drained = known.Where(q => q.Value > a.Threshold && !readings.All(r => Depth(r, q.Target) > a.Threshold)).Select(q => q.Target).ToList();
        var window = readings.Count > 1 ? $" throughout {Describe(duration)}" : "";
        var message = over.Count > 0 ? $"Over {a.Threshold:N0} jobs waiting{window}: {string.Join(", ", over)}."
            : drained.Count > 0 ? $"Over {a.Threshold:N0} now but not throughout {Describe(duration)}: {string.Join(", ", drained)}; not firing yet."
            : $"Deepest queue {deepest.Target}: {deepest.Value:N0} waiting; fires above {a.Threshold:N0}{window}.";
        return Make(a, over.Count > 0 ? AlertState.Firing : AlertState.Ok, deepest.Value, readings.Count > 1 ? duration : TimeSpan.Zero, message, now);
    }

    private static LocalAlert Make(RunbookAlert a, AlertState state, double? value, TimeSpan duration, string message, DateTimeOffset now) => new()
    {
        Name = a.Name, Title = a.Title, State = state, Value = value, Threshold = a.Threshold, Unit = a.Unit, Duration = duration,
        Message = message, Runbook = a.RunbookText, Next = a.NextCmdlet, Timestamp = now,
    };

    private static string Describe(TimeSpan d) => d.TotalMinutes >= 1 ? $"{d.TotalMinutes:0.#} min" : $"{d.TotalSeconds:0.#} s";

    /// <summary>Samples /proc/stat across the duration (about 10 intervals, at least 0.1 s each), reads /proc/meminfo, and the queue family at the start and the end.</summary>
    public static async Task<IReadOnlyList<LocalAlert>> EvaluateAsync(EnvironmentConfig? env, string? envProblem, TimeSpan duration, IOpsReporter reporter, CancellationToken ct, string procRoot = "/proc")
    {
        var alerts = RunbookAlerts.For(env?.Thresholds).ToDictionary(a => a.Name);
        // The queue family is read as the CPU sampling starts, and again as it ends.
        Task<IReadOnlyList<HealthCheckResult>>? queueTask = null;
        string? missing = envProblem;
        if (env is not null)
        {
            if (env.Queues is null) missing = $"environment '{env.Name}' has no queues section.";
            else queueTask = QueueProbe.CheckAsync(env, ct);
        }
        var steps = Math.Max(1, Math.Min(10, (int)(duration.TotalMilliseconds / 100)));
        var interval = duration / steps;
        var samples = new List<(long, long)>();
        var first = SystemInfoReader.CpuTimes(procRoot);
        samples.Add((first.Total, first.Idle));
        for (var i = 1; i <= steps; i++)
        {
            reporter.Progress(new OpsProgress(1, "Sampling CPU from /proc/stat", $"{i}/{steps}", 100 * (i - 1) / steps));
            await Task.Delay(interval, ct).ConfigureAwait(false);
            var s = SystemInfoReader.CpuTimes(procRoot);
            samples.Add((s.Total, s.Idle));
        }
        reporter.Progress(new OpsProgress(1, "Sampling CPU from /proc/stat", "done", 100));
        var now = DateTimeOffset.UtcNow;
        List<IReadOnlyList<HealthCheckResult>>? queues = null;
        if (queueTask is not null)
        {
            try { queues = [await queueTask.ConfigureAwait(false), await QueueProbe.CheckAsync(env!, ct).ConfigureAwait(false)]; }
            catch (Errors.OpsException e) { missing = e.Message; queues = null; }
        }
        return
        [
            JudgeCpu(alerts[RunbookAlerts.HighCpu], samples, duration, now),
            JudgeMemory(alerts[RunbookAlerts.HighMemory], SystemInfoReader.MemInfo(procRoot), now),
            JudgeQueue(alerts[RunbookAlerts.QueueDepth], queues, missing, duration, now),
        ];
    }
}
