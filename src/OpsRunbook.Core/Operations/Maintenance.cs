using System.Diagnostics;
using System.Text.Json;
using OpsRunbook.Core.Backup;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.State;

namespace OpsRunbook.Core.Operations;

public enum MaintenanceStepStatus { Done, Skipped, Failed, Undone, UndoFailed, NotRun }

/// <summary>One step of Start- or Stop-OpsMaintenance, in the order it ran.</summary>
public sealed class MaintenanceStep
{
    public int Order { get; init; }
    /// <summary>Flag, StopWorker, Backup, Record; SmokeTests, StartWorker, RemoveFlag, Close.</summary>
    public string Name { get; init; } = "";
    public string Target { get; init; } = "";
    public MaintenanceStepStatus Status { get; set; }
    public string Message { get; set; } = "";
    public TimeSpan Duration { get; set; }
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 1);
    public override string ToString() => $"{Order}. {Name} {Target}: {Status}";
}

/// <summary>A maintenance window as the state store keeps it; any session or host sees the same.</summary>
public sealed class MaintenanceWindow
{
    public long Id { get; init; }
    public string Environment { get; init; } = "";
    public string Reason { get; init; } = "";
    /// <summary>user@host that opened it.</summary>
    public string OpenedBy { get; init; } = "";
    public string Host { get; init; } = "";
    public int ProcessId { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    /// <summary>The planned length (-Duration).</summary>
    public TimeSpan Duration { get; init; }
    public double DurationMs => Duration.TotalMilliseconds;
    public DateTimeOffset EndsAt => OpenedAt + Duration;
    /// <summary>Time left of the planned length (zero once past it; see Overdue).</summary>
    public TimeSpan Remaining => IsOpen && EndsAt > DateTimeOffset.UtcNow ? EndsAt - DateTimeOffset.UtcNow : TimeSpan.Zero;
    public double RemainingMs => Math.Round(Remaining.TotalMilliseconds);
    /// <summary>Open and past its planned length.</summary>
    public bool Overdue => IsOpen && DateTimeOffset.UtcNow > EndsAt;
    public bool IsOpen => ClosedAt is null;
    /// <summary>Open or Closed.</summary>
    public string Status => IsOpen ? "Open" : "Closed";
    /// <summary>The workers this window stopped (Stop starts exactly these).</summary>
    public IReadOnlyList<string> Workers { get; init; } = [];
    /// <summary>Whether this window wrote the flag (Stop removes it either way).</summary>
    public bool FlagWritten { get; init; }
    public string? BackupLocation { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public string? ClosedBy { get; init; }
    public override string ToString() => $"#{Id} {Environment}: {Reason} ({Status})";
}

/// <summary>What Start- or Stop-OpsMaintenance did, step by step.</summary>
public sealed class MaintenanceResult
{
    /// <summary>Start or Stop.</summary>
    public string Action { get; init; } = "";
    public bool Succeeded { get; set; }
    /// <summary>The step that failed, if any.</summary>
    public string? FailedStep { get; set; }
    public List<MaintenanceStep> Steps { get; } = new();
    /// <summary>The steps undone after a failure, in the order they were undone.</summary>
    public IReadOnlyList<string> Undone => Steps.Where(s => s.Status == MaintenanceStepStatus.Undone).Reverse().Select(s => $"{s.Name} {s.Target}".Trim()).ToList();
    public MaintenanceWindow? Window { get; set; }
    public string Message { get; set; } = "";
    public override string ToString() => $"{Action}: {(Succeeded ? "succeeded" : "failed at " + FailedStep)}";
}

/// <summary>Options of a maintenance run; the hook lets tests fail a step on purpose.</summary>
public sealed class MaintenanceOptions
{
    public string Reason { get; init; } = "";
    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Stop: resume even when a smoke test fails (Invoke-OpsMaintenance's finally, -Force).</summary>
    public bool Force { get; init; }
    /// <summary>Called before each step with its name and target; an exception there fails the step.</summary>
    public Action<string, string>? BeforeStep { get; init; }
    public string? User { get; init; }
}

/// <summary>The maintenance windows' table in the state store.</summary>
public sealed class MaintenanceStateArea : IStateArea
{
    public const string WindowsTable = "maintenance_windows";
    public string Name => "maintenance";
    public IReadOnlyList<string> Tables { get; } = [WindowsTable];
    public IReadOnlyList<StateMigration> Migrations { get; } =
    [
        new(1, "maintenance windows", """
            CREATE TABLE IF NOT EXISTS maintenance_windows (
                id {{identity}},
                environment TEXT NOT NULL,
                reason TEXT NOT NULL,
                opened_by TEXT NOT NULL,
                host TEXT NOT NULL,
                pid BIGINT NOT NULL,
                opened_at BIGINT NOT NULL,
                duration_ms DOUBLE PRECISION NOT NULL,
                workers TEXT NOT NULL DEFAULT '[]',
                flag_written BIGINT NOT NULL DEFAULT 0,
                backup_location TEXT,
                closed_at BIGINT,
                closed_by TEXT);
            CREATE INDEX IF NOT EXISTS maintenance_windows_open ON maintenance_windows (environment, closed_at);
            """),
    ];
}

/// <summary>
/// The Planned Maintenance Template as a transaction: Start writes the flag, stops the workers, takes a backup and records
/// the window; when a step fails, every step already done is undone in reverse order. Stop runs the smoke tests, starts
/// the workers the window stopped, removes the flag and closes the window.
/// </summary>
public static class Maintenance
{
    private const string Columns = "id, environment, reason, opened_by, host, pid, opened_at, duration_ms, workers, flag_written, backup_location, closed_at, closed_by";

    public static string Me(string? user = null) => $"{user ?? System.Environment.UserName}@{System.Environment.MachineName}";

    public static async Task<IReadOnlyList<MaintenanceWindow>> ListAsync(EnvironmentConfig env, bool all, int last, CancellationToken ct)
    {
        await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
        return await store.ReadAsync(tx => tx.QueryAsync(
            $"SELECT {Columns} FROM maintenance_windows WHERE environment = @env" + (all ? "" : " AND closed_at IS NULL") + " ORDER BY opened_at DESC, id DESC LIMIT @n",
            Read, ("env", env.Name), ("n", (long)last)), ct).ConfigureAwait(false);
    }

    private static MaintenanceWindow Read(System.Data.Common.DbDataReader r) => new()
    {
        Id = Convert.ToInt64(r.GetValue(0)), Environment = r.GetString(1), Reason = r.GetString(2), OpenedBy = r.GetString(3), Host = r.GetString(4),
        ProcessId = Convert.ToInt32(r.GetValue(5)), OpenedAt = StateTime.FromUnixMs(Convert.ToInt64(r.GetValue(6))),
        Duration = TimeSpan.FromMilliseconds(Convert.ToDouble(r.GetValue(7))),
        Workers = JsonSerializer.Deserialize<List<string>>(r.GetString(8)) ?? [], FlagWritten = Convert.ToInt64(r.GetValue(9)) != 0,
        BackupLocation = r.IsDBNull(10) ? null : r.GetString(10),
        ClosedAt = r.IsDBNull(11) ? null : StateTime.FromUnixMs(Convert.ToInt64(r.GetValue(11))), ClosedBy = r.IsDBNull(12) ? null : r.GetString(12),
    };

    private static MaintenanceWindow? OpenWindow(IReadOnlyList<MaintenanceWindow> windows) => windows.FirstOrDefault(w => w.IsOpen);

    private static OpsException AlreadyOpen(MaintenanceWindow w) => new(ErrorIds.MaintenanceAlreadyOpen,
        $"A maintenance window is already open for {w.Environment}: #{w.Id} '{w.Reason}', opened by {w.OpenedBy} at {w.OpenedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z" +
        (w.Overdue ? $", overdue since {w.EndsAt.UtcDateTime:HH:mm:ss}Z." : $", {Math.Ceiling(w.Remaining.TotalMinutes)} min left."),
        w.Environment, "Close it with Stop-OpsMaintenance (from any session), or wait for the person who opened it.");

    public static ServiceConfig Worker(EnvironmentConfig env, string name)
    {
        var s = env.FindService(name);
        ServiceControl.Describe(s, "stop");
        return s;
    }

    // ---- Start ---------------------------------------------------------------------------------

    public static async Task<MaintenanceResult> StartAsync(EnvironmentConfig env, MaintenanceOptions o, IOpsReporter reporter, CancellationToken ct)
    {
        var m = env.Maintenance;
        var workers = m.Workers.Select(w => Worker(env, w)).ToList(); // a misnamed worker fails before anything changes
        await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
        var existing = await store.ReadAsync(tx => tx.QueryAsync($"SELECT {Columns} FROM maintenance_windows WHERE environment = @env AND closed_at IS NULL", Read, ("env", env.Name)), ct).ConfigureAwait(false);
        if (OpenWindow(existing) is { } open) throw AlreadyOpen(open);

        var result = new MaintenanceResult { Action = "Start" };
        var stopped = new List<string>();
        var flagWritten = false;
        string? backupLocation = null;
        var order = 0;
        var now = DateTimeOffset.UtcNow;
        try
        {
            // 1. The maintenance flag.
            if (m.FlagPath is { Length: > 0 } flag)
            {
                await StepAsync(result, ++order, "Flag", flag, o, reporter, () =>
                {
                    if (File.Exists(flag)) return Task.FromResult((MaintenanceStepStatus.Skipped, "The flag was already there: left as it is."));
                    var tmp = flag + ".tmp-" + System.Environment.ProcessId;
                    File.WriteAllText(tmp, $"{o.Reason}\nopened by {Me(o.User)} at {now:O}\n");
                    File.Move(tmp, flag);
                    flagWritten = true;
                    return Task.FromResult((MaintenanceStepStatus.Done, "Maintenance flag written."));
                }).ConfigureAwait(false);
            }
            // 2. Stop the workers (only those running: the rest are left as they were).
            foreach (var w in workers)
            {
                await StepAsync(result, ++order, "StopWorker", w.Name, o, reporter, async () =>
                {
                    if (!await ServiceControl.IsRunningAsync(w, ct).ConfigureAwait(false)) return (MaintenanceStepStatus.Skipped, "Not running: left stopped.");
                    await ServiceControl.StopAsync(w, ct).ConfigureAwait(false);
                    stopped.Add(w.Name);
                    return (MaintenanceStepStatus.Done, ServiceControl.Describe(w, "stop"));
                }).ConfigureAwait(false);
            }
            // 3. The backup.
            if (m.Backup)
            {
                await StepAsync(result, ++order, "Backup", env.Postgres?.Database ?? "", o, reporter, async () =>
                {
                    var b = await DatabaseBackup.RunAsync(env, new BackupOptions(), reporter, ct).ConfigureAwait(false);
                    backupLocation = b.Location;
                    return (MaintenanceStepStatus.Done, $"Backup {b.Location} ({b.SizeBytes} bytes).");
                }).ConfigureAwait(false);
            }
            // 4. Record the window: refused if another opened one meanwhile (the write lock makes the check and insert one step).
            await StepAsync(result, ++order, "Record", store.Location, o, reporter, async () =>
            {
                var window = await store.WriteAsync(async tx =>
                {
                    await tx.LockAsync("maintenance:" + env.Name).ConfigureAwait(false);
                    var other = await tx.QueryAsync($"SELECT {Columns} FROM maintenance_windows WHERE environment = @env AND closed_at IS NULL", Read, ("env", env.Name)).ConfigureAwait(false);
                    if (OpenWindow(other) is { } o2) throw AlreadyOpen(o2);
                    await tx.ExecuteAsync("""
                        INSERT INTO maintenance_windows (environment, reason, opened_by, host, pid, opened_at, duration_ms, workers, flag_written, backup_location)
                        VALUES (@env, @reason, @by, @host, @pid, @at, @dur, @workers, @flag, @backup)
                        """, ("env", env.Name), ("reason", o.Reason), ("by", Me(o.User)), ("host", System.Environment.MachineName), ("pid", (long)System.Environment.ProcessId),
                        ("at", now), ("dur", o.Duration.TotalMilliseconds), ("workers", JsonSerializer.Serialize(stopped)), ("flag", flagWritten), ("backup", backupLocation)).ConfigureAwait(false);
                    var rows = await tx.QueryAsync($"SELECT {Columns} FROM maintenance_windows WHERE environment = @env AND closed_at IS NULL", Read, ("env", env.Name)).ConfigureAwait(false);
                    return rows[0];
                }, ct).ConfigureAwait(false);
                result.Window = window;
                return (MaintenanceStepStatus.Done, $"Window #{window.Id} recorded until {window.EndsAt.UtcDateTime:yyyy-MM-dd HH:mm}Z.");
            }).ConfigureAwait(false);
            result.Succeeded = true;
            result.Message = $"Maintenance window #{result.Window!.Id} open for {env.Name}: {o.Reason}.";
            return result;
        }
        catch (Exception e)
        {
            // Undo in reverse order with a token of its own: Ctrl+C during Start must still leave things as they were.
            using var undoCts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            foreach (var step in result.Steps.Where(s => s.Status == MaintenanceStepStatus.Done).Reverse())
            {
                var sw = Stopwatch.StartNew();
                try
                {
                    switch (step.Name)
                    {
                        case "StopWorker": await ServiceControl.StartAsync(Worker(env, step.Target), undoCts.Token).ConfigureAwait(false); break;
                        case "Flag": File.Delete(step.Target); break;
                        default: continue; // a backup stays; nothing else to undo
                    }
                    step.Status = MaintenanceStepStatus.Undone;
                    step.Message += " Undone.";
                    reporter.Verbose($"Undone: {step.Name} {step.Target}.");
                }
                catch (Exception u) when (u is OpsException or IOException or UnauthorizedAccessException or OperationCanceledException)
                {
                    step.Status = MaintenanceStepStatus.UndoFailed;
                    step.Message += $" UNDO FAILED: {u.Message}";
                }
                step.Duration += sw.Elapsed;
            }
            result.Succeeded = false;
            result.FailedStep ??= e is OperationCanceledException ? "Cancelled" : result.Steps.LastOrDefault()?.Name;
            var undone = result.Undone;
            result.Message = $"Start failed at {result.FailedStep}: {FailureText(e)} " +
                             (undone.Count > 0 ? $"Undone: {string.Join(", ", undone)}." : "Nothing needed undoing.") +
                             (result.Steps.Any(s => s.Status == MaintenanceStepStatus.UndoFailed) ? " SOME UNDO FAILED: see the steps." : "");
            if (e is OperationCanceledException) throw;
            return result;
        }
    }

    private static string FailureText(Exception e) => e is OpsException ? e.Message : $"{e.GetType().Name}: {e.Message}";

    /// <summary>Runs one step: records it, and on failure marks it Failed (with FailedStep) and rethrows.</summary>
    private static async Task StepAsync(MaintenanceResult result, int order, string name, string target, MaintenanceOptions o, IOpsReporter reporter,
        Func<Task<(MaintenanceStepStatus, string)>> body)
    {
        var step = new MaintenanceStep { Order = order, Name = name, Target = target, Status = MaintenanceStepStatus.NotRun };
        result.Steps.Add(step);
        reporter.Progress(new OpsProgress(61, $"Maintenance {result.Action}", $"{order}. {name} {target}"));
        var sw = Stopwatch.StartNew();
        try
        {
            o.BeforeStep?.Invoke(name, target);
            (step.Status, step.Message) = await body().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            step.Status = MaintenanceStepStatus.Failed;
            step.Message = FailureText(e);
            result.FailedStep = name + (target.Length > 0 ? " " + target : "");
            throw;
        }
        finally { step.Duration = sw.Elapsed; }
        reporter.Verbose($"{order}. {name} {target}: {step.Status} - {step.Message}");
    }

    // ---- Stop ----------------------------------------------------------------------------------

    /// <summary>
    /// Smoke tests, then start the workers the window stopped, remove the flag and close the window. A failed smoke test stops
    /// here (the site stays in maintenance) unless Force; a failed resume step does not stop the others.
    /// </summary>
    public static async Task<MaintenanceResult> StopAsync(EnvironmentConfig env, MaintenanceOptions o, IOpsReporter reporter, CancellationToken ct)
    {
        await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
        var window = OpenWindow(await store.ReadAsync(tx => tx.QueryAsync($"SELECT {Columns} FROM maintenance_windows WHERE environment = @env AND closed_at IS NULL", Read, ("env", env.Name)), ct).ConfigureAwait(false));
        if (window is null && !o.Force)
            throw new OpsException(ErrorIds.MaintenanceNotOpen, $"No maintenance window is open for {env.Name}.", env.Name,
                "Get-OpsMaintenance -All lists the recent windows. -Force resumes anyway: it starts every maintenance.workers service and removes the flag.");
        var result = new MaintenanceResult { Action = "Stop", Window = window };
        var order = 0;
        var failed = new List<string>();

        async Task Try(string name, string target, Func<Task<(MaintenanceStepStatus, string)>> body)
        {
            try { await StepAsync(result, ++order, name, target, o, reporter, body).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                failed.Add(name + (target.Length > 0 ? " " + target : ""));
            }
        }

        // 1. Smoke tests.
        if (env.SmokeTests.Count > 0)
        {
            await Try("SmokeTests", string.Join(", ", env.SmokeTests.Select(t => t.Name)), async () =>
            {
                var tests = await SmokeTests.RunAsync(env, env.SmokeTests, ct).ConfigureAwait(false);
                var bad = tests.Where(t => !t.Passed).ToList();
                var text = string.Join(" ", tests.Select(t => $"{t.Name}: {t.Message}"));
                if (bad.Count > 0) throw new OpsException(ErrorIds.SmokeTestFailed, $"{bad.Count} of {tests.Count} smoke test(s) failed: {text}", env.Name);
                return (MaintenanceStepStatus.Done, text);
            }).ConfigureAwait(false);
            if (failed.Count > 0 && !o.Force)
            {
                result.Succeeded = false;
                result.FailedStep = failed[0];
                result.Message = "Smoke tests failed: the site stays in maintenance mode with the workers stopped. Fix it and run Stop-OpsMaintenance again, or -Force to resume anyway.";
                return result;
            }
        }
        // 2. Start the workers this window stopped (all configured workers when forced without a window).
        var toStart = window?.Workers ?? env.Maintenance.Workers;
        foreach (var name in toStart)
        {
            await Try("StartWorker", name, async () =>
            {
                var w = Worker(env, name);
                await ServiceControl.StartAsync(w, ct).ConfigureAwait(false);
                return (MaintenanceStepStatus.Done, ServiceControl.Describe(w, "start"));
            }).ConfigureAwait(false);
        }
        // 3. Remove the flag.
        if (env.Maintenance.FlagPath is { Length: > 0 } flag)
        {
            await Try("RemoveFlag", flag, () =>
            {
                if (!File.Exists(flag)) return Task.FromResult((MaintenanceStepStatus.Skipped, "No flag to remove."));
                File.Delete(flag);
                return Task.FromResult((MaintenanceStepStatus.Done, "Maintenance flag removed."));
            }).ConfigureAwait(false);
        }
        // 4. Close the window.
        if (window is not null)
        {
            await Try("Close", $"#{window.Id}", async () =>
            {
                var closedAt = DateTimeOffset.UtcNow;
                await store.WriteAsync(tx => tx.ExecuteAsync("UPDATE maintenance_windows SET closed_at = @at, closed_by = @by WHERE id = @id AND closed_at IS NULL",
                    ("at", closedAt), ("by", Me(o.User)), ("id", window.Id)), ct).ConfigureAwait(false);
                result.Window = new MaintenanceWindow
                {
                    Id = window.Id, Environment = window.Environment, Reason = window.Reason, OpenedBy = window.OpenedBy, Host = window.Host, ProcessId = window.ProcessId,
                    OpenedAt = window.OpenedAt, Duration = window.Duration, Workers = window.Workers, FlagWritten = window.FlagWritten, BackupLocation = window.BackupLocation,
                    ClosedAt = closedAt, ClosedBy = Me(o.User),
                };
                return (MaintenanceStepStatus.Done, $"Window #{window.Id} closed after {(closedAt - window.OpenedAt).TotalMinutes:0.#} min.");
            }).ConfigureAwait(false);
        }
        result.Succeeded = failed.Count == 0 || (o.Force && failed.All(f => f.StartsWith("SmokeTests", StringComparison.Ordinal)));
        result.FailedStep = failed.FirstOrDefault();
        result.Message = failed.Count == 0 ? $"Maintenance over for {env.Name}: workers started, flag removed."
            : $"Resumed with problems: {string.Join("; ", result.Steps.Where(s => s.Status == MaintenanceStepStatus.Failed).Select(s => $"{s.Name} {s.Target}: {s.Message}"))}";
        return result;
    }

    // ---- Health --------------------------------------------------------------------------------

    /// <summary>The Maintenance family: an open window is Healthy while within its planned length, Warning once past it.</summary>
    public const string Check = "Maintenance";

    public static Task<IReadOnlyList<HealthCheckResult>> CheckAsync(EnvironmentConfig env, CancellationToken ct)
        => HealthProbe.ManyAsync(Check, env.Name, t => JudgeAsync(env, t), ct);

    private static async Task<IReadOnlyList<HealthCheckResult>> JudgeAsync(EnvironmentConfig env, CancellationToken ct)
    {
        IReadOnlyList<MaintenanceWindow> open;
        try { open = await ListAsync(env, all: false, last: 10, ct).ConfigureAwait(false); }
        catch (OpsException e) when (!e.IsConfigError)
        {
            return [new HealthCheckResult { Target = env.Name, Status = HealthStatus.Unknown, Message = $"Cannot read the maintenance windows: {e.Message}" }];
        }
        if (open.Count == 0)
            return [new HealthCheckResult { Target = env.Name, Status = HealthStatus.Healthy, Value = 0, Unit = "open windows", Threshold = "warn when a window is past its duration", Message = "No maintenance window is open." }];
        return open.Select(w => new HealthCheckResult
        {
            Target = $"#{w.Id}", Status = w.Overdue ? HealthStatus.Warning : HealthStatus.Healthy,
            Value = Math.Round((DateTimeOffset.UtcNow - w.OpenedAt).TotalMinutes, 1), Unit = "minutes open", Threshold = $"warn after {w.Duration.TotalMinutes:0.#} min (its duration)",
            Message = $"Maintenance window #{w.Id} '{w.Reason}' opened by {w.OpenedBy} at {w.OpenedAt.UtcDateTime:yyyy-MM-dd HH:mm}Z" +
                      (w.Overdue ? $" is {(DateTimeOffset.UtcNow - w.EndsAt).TotalMinutes:0} min past its planned end: close it (Stop-OpsMaintenance) or find out why not." : $", {Math.Ceiling(w.Remaining.TotalMinutes)} min left."),
        }).ToList();
    }
}
