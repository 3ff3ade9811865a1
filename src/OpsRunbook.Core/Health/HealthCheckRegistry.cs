using System.Diagnostics;
using OpsRunbook.Core.Config;

namespace OpsRunbook.Core.Health;

/// <summary>
/// What every check family is: given an environment and a token that is cancelled when its time is up
/// (or on Ctrl+C), return one result per target. A family never throws for a dead dependency: it returns
/// a Critical or Unknown result saying what happened.
/// </summary>
public delegate Task<IReadOnlyList<HealthCheckResult>> HealthCheckFamily(EnvironmentConfig environment, CancellationToken cancellationToken);

/// <summary>
/// One registered family: its name (the -Check value), the probe, whether the environment configures it, a description
/// (listed in the help of -Check), and the runbook's next step when one of its results is not Healthy ({target} is
/// replaced by the result's target).
/// </summary>
public sealed record HealthCheckRegistration(string Name, HealthCheckFamily Probe, Func<EnvironmentConfig, bool> IsConfigured, string Description,
    string NextStep = "");

/// <summary>
/// The check families Get-OpsHealth knows, in display order. Adding a family is one line:
/// <c>registry.Add("Backup", BackupFreshness.CheckAsync, e => e.S3 is not null)</c>.
/// </summary>
public sealed class HealthCheckRegistry
{
    private readonly List<HealthCheckRegistration> _families = new();

    public IReadOnlyList<HealthCheckRegistration> Families => _families;

    public IEnumerable<string> Names => _families.Select(f => f.Name);

    public HealthCheckRegistry Add(string name, Func<EnvironmentConfig, CancellationToken, Task<IReadOnlyList<HealthCheckResult>>> probe,
        Func<EnvironmentConfig, bool>? isConfigured = null, string description = "", string nextStep = "")
    {
        if (_families.Any(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"A health check family named '{name}' is already registered.", nameof(name));
        _families.Add(new HealthCheckRegistration(name, new HealthCheckFamily(probe), isConfigured ?? (_ => true), description, nextStep));
        return this;
    }

    public HealthCheckRegistration? Find(string name)
        => _families.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The built-in families. Backup (issue 5) is wired in here by one more Add.</summary>
    public static HealthCheckRegistry CreateDefault() => new HealthCheckRegistry()
        .Add("Service", Probes.ServiceProbe.CheckAsync, e => e.Services.Count > 0, "services by kind: process, tcp, http, systemd, docker",
            "Complete Service Outage: is {target} running (systemctl status {target}, docker ps)? Read its last 100 log lines (journalctl -u {target} -n 100, docker logs {target} --tail 100), check disk and memory (Get-OpsDiskSpace, Get-OpsSystemInfo), then restart it (systemctl restart {target}, docker restart {target}).")
        .Add("Disk", Probes.DiskProbe.CheckAsync, e => e.Disk is not null, "used %, free bytes and inodes of each disk path",
            "Disk Space Emergency: examples/runbooks/DiskSpaceEmergency.ps1 -WhatIf shows the largest files, deleted files still held open and what the cleanup policies would free on {target}.")
        .Add("Database", Probes.DatabaseProbe.CheckAsync, e => e.Postgres is not null, "PostgreSQL latency, connections, idle in transaction, long queries",
            "Database Connection Exhaustion: Get-OpsDbConnection | Group-Object User, Application shows who holds the slots; Get-OpsDbConnection -State idle -IdleLongerThan 5m | Stop-OpsDbConnection frees them.")
        .Add("Redis", Probes.RedisProbe.CheckAsync, e => e.Redis is not null, "Redis ping, ops/s, memory, clients",
            "Redis issue: redis-cli -h <host> INFO memory and INFO clients; if it does not answer, restart it (docker restart redis) and watch the queues (Get-OpsHealth -Check Queue).")
        .Add("Queue", Probes.QueueProbe.CheckAsync, e => e.Queues is not null, "BullMQ or API queue depths",
            "Queue Depth Alert: check the workers of {target} (docker logs worker-container), scale them (docker-compose scale worker=8), and look at the failed jobs.")
        .Add("Errors", Probes.ErrorLogProbe.CheckAsync, e => e.Logs is not null, "ERROR lines in the API logs over the last 24 h",
            "Read the recent errors: Select-String ERROR in {target} under logs.directory (the last 100 lines first) and find what changed.")
        .Add("Backup", Probes.BackupFreshness.FamilyAsync, e => e.S3 is not null, "age and size of the newest PostgreSQL backup in S3 (backup.maximumAge); S3 access logging on the backup bucket (s3.checkAccessLogging)",
            "Take a backup now (Backup-OpsDatabase), then find why the 6-hourly run stopped (the log of examples/runbooks/BackupEvery6Hours.ps1).")
        .Add("Payments", Payments.StripeStatusReader.CheckAsync, e => e.Stripe is not null && !string.IsNullOrEmpty(e.Stripe.StatusUrl), "Stripe's status page (stripe.statusUrl): indicator and components not operational",
            "Payment Processing Failure: Get-OpsStripeStatus for what Stripe reports; once it is back, replay the failed webhooks: Get-OpsStripeEvent -Since (Get-Date).AddDays(-1) -DeliveryFailed | Invoke-OpsWebhookReplay -Via Direct -WhatIf.")
        .Add("Maintenance", Operations.Maintenance.CheckAsync, e => e.Maintenance.FlagPath is not null || e.Maintenance.Workers.Count > 0,
            "open maintenance windows (Start-OpsMaintenance); a window past its duration warns",
            "Planned Maintenance: a window is open past its planned end. Get-OpsMaintenance shows who opened it and why; close it with Stop-OpsMaintenance once the change is done (it runs the smoke tests, starts the workers, removes the flag).");

    /// <summary>The shared default registry used by Get-OpsHealth.</summary>
    public static HealthCheckRegistry Default { get; } = CreateDefault();
}

/// <summary>Runs families in parallel, each bounded by a timeout, and fills in Environment and Timestamp.</summary>
public static class HealthRunner
{
    /// <summary>Extra time a family gets to turn its own cancellation into results before the runner gives up on it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(250);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double> LastDuration = new(StringComparer.OrdinalIgnoreCase);

    public static async Task<IReadOnlyList<HealthCheckResult>> RunAsync(EnvironmentConfig env, IEnumerable<HealthCheckRegistration> families,
        TimeSpan timeout, CancellationToken cancellationToken, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var started = clock.GetUtcNow();
        await using var scope = new HealthRunScope().Enter();
        // Start the family that took longest last time first (longest-processing-time-first), so the
        // quick ones fit into its waits; results keep the registry's order.
        var list = families.ToList();
        var tasks = new Task<IReadOnlyList<HealthCheckResult>>[list.Count];
        foreach (var i in Enumerable.Range(0, list.Count).OrderByDescending(i => LastDuration.GetValueOrDefault(list[i].Name)))
            tasks[i] = RunFamilyAsync(env, list[i], timeout, cancellationToken);
        var all = await Task.WhenAll(tasks).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var results = all.SelectMany(r => r).ToList();
        foreach (var (family, found) in list.Zip(all))
            foreach (var r in found)
            {
                if (string.IsNullOrEmpty(r.Environment)) r.Environment = env.Name;
                if (r.Timestamp == default) r.Timestamp = started;
                if (r.Status != HealthStatus.Healthy && r.NextStep is null && family.NextStep.Length > 0)
                    r.NextStep = family.NextStep.Replace("{target}", r.Target, StringComparison.Ordinal);
            }
        return results;
    }

    private static async Task<IReadOnlyList<HealthCheckResult>> RunFamilyAsync(EnvironmentConfig env, HealthCheckRegistration family,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        HealthProbe.CurrentTimeout = timeout;
        try
        {
            // The family's synchronous start runs on a thread of its own: a family that blocks there
            // holds up neither the others nor the pool threads the timers and async probes need.
            var work = Task.Factory.StartNew(() => family.Probe(env, cts.Token), cts.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            var results = await work.WaitAsync(timeout + Grace, cancellationToken).ConfigureAwait(false);
            LastDuration[family.Name] = sw.Elapsed.TotalMilliseconds;
            return results;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            LastDuration[family.Name] = sw.Elapsed.TotalMilliseconds;
            return [new HealthCheckResult
            {
                Check = family.Name, Target = "*", Status = HealthStatus.Unknown, Duration = sw.Elapsed,
                Threshold = $"timeout {timeout.TotalSeconds:0.###} s",
                Message = $"The {family.Name} checks did not finish within {timeout.TotalSeconds:0.###} s.",
            }];
        }
        catch (Errors.OpsException e) when (e.IsConfigError)
        {
            throw; // only a broken config is an error
        }
        catch (Exception e)
        {
            return [new HealthCheckResult
            {
                Check = family.Name, Target = "*", Status = HealthStatus.Unknown, Duration = sw.Elapsed,
                Message = $"The {family.Name} checks failed: {e.Message}",
            }];
        }
    }
}
