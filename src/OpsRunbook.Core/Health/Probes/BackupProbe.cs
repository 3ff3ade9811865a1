using System.Diagnostics;
using System.Globalization;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Backup;
using OpsRunbook.Core.Hosting;

namespace OpsRunbook.Core.Health.Probes;

/// <summary>
/// The backup freshness check (after Barman's last_backup_maximum_age and last_backup_minimum_size):
/// one HealthCheckResult per database in backup.databases (default postgres.database). Value is the
/// newest backup's age in seconds (Unit "s"; the table shows it as the message does: 5 min, 3.5 h). Critical: no backup, or older than backup.maximumAge, or S3 unreachable.
/// Warning: older than backup.warningAge, smaller than backup.minimumSizeBytes, or without a manifest.
/// </summary>
public static class BackupFreshness
{
    public static Task<IReadOnlyList<HealthCheckResult>> CheckAsync(EnvironmentConfig env, CancellationToken ct)
        => CheckAsync(env, DateTimeOffset.UtcNow, ct);

    public static async Task<IReadOnlyList<HealthCheckResult>> CheckAsync(EnvironmentConfig env, DateTimeOffset now, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var cfg = env.Backup;
        var databases = cfg.Databases.Count > 0 ? cfg.Databases : env.Postgres is { } pg ? [pg.Database] : [];
        var threshold = string.Create(CultureInfo.InvariantCulture,
            $"warn age > {cfg.EffectiveWarningAge.TotalHours:0.#} h, critical age > {cfg.MaximumAge.TotalHours:0.#} h, warn size < {Text.ByteSize.Format(cfg.MinimumSizeBytes)}");
        var results = new List<HealthCheckResult>();
        HealthCheckResult Make(string target, HealthStatus status, double? value, string message) => new()
        {
            Environment = env.Name, Check = "Backup", Target = target, Status = status, Value = value, Unit = "s",
            Threshold = threshold, Message = message, Duration = sw.Elapsed, Timestamp = now,
            WarnAt = Math.Round(cfg.EffectiveWarningAge.TotalSeconds, 3), CriticalAt = Math.Round(cfg.MaximumAge.TotalSeconds, 3),
        };
        if (env.S3 is null)
        {
            results.Add(Make(env.Name, HealthStatus.Unknown, null, $"Environment '{env.Name}' has no 's3' section: backups cannot be checked."));
            return results;
        }
        if (databases.Count == 0)
        {
            results.Add(Make(env.Name, HealthStatus.Unknown, null, "No database to check: set backup.databases or postgres.database."));
            return results;
        }
        foreach (var db in databases)
        {
            var target = $"{env.S3.Bucket}/{env.S3.PostgresPrefix}{db}";
            IReadOnlyList<BackupInfo> latest;
            try
            {
                latest = await BackupCatalog.ListAsync(env, new BackupListOptions { Database = db, Latest = 1, Now = now }, NullReporter.Allow, ct).ConfigureAwait(false);
            }
            catch (OpsException e)
            {
                results.Add(Make(target, HealthStatus.Critical, null, $"Cannot list backups: {e.Message}"));
                continue;
            }
            if (latest.Count == 0)
            {
                results.Add(Make(target, HealthStatus.Critical, null, $"No backup of {db} under s3://{target}/."));
                continue;
            }
            var b = latest[0];
            var seconds = Math.Round(b.Age.TotalSeconds, 3);
            var age = FormatAge(b.Age);
            var (status, message) =
                b.Age > cfg.MaximumAge ? (HealthStatus.Critical, $"The newest backup of {db} is {age} old (maximum {FormatAge(cfg.MaximumAge)}): {b.Key}")
                : b.SizeBytes < cfg.MinimumSizeBytes ? (HealthStatus.Warning, $"The newest backup of {db} is only {Text.ByteSize.Format(b.SizeBytes)} (minimum {Text.ByteSize.Format(cfg.MinimumSizeBytes)}): {b.Key}")
                : b.Manifest is null ? (HealthStatus.Warning, $"The newest backup of {db} has no readable manifest: {b.Key}")
                : b.Age > cfg.EffectiveWarningAge ? (HealthStatus.Warning, $"The newest backup of {db} is {age} old (warning after {FormatAge(cfg.EffectiveWarningAge)}): {b.Key}")
                : (HealthStatus.Healthy, $"The newest backup of {db} is {age} old, {Text.ByteSize.Format(b.SizeBytes)}: {b.Key}");
            results.Add(Make(target, status, seconds, message));
        }
        return results;
    }

    /// <summary>Get-OpsHealth's Backup family: the freshness of each database's backup and (s3.checkAccessLogging) the bucket's access logging.</summary>
    public static async Task<IReadOnlyList<HealthCheckResult>> FamilyAsync(EnvironmentConfig env, CancellationToken ct)
    {
        var logging = Storage.BucketLogging.CheckAsync(env, ct);
        var results = new List<HealthCheckResult>(await CheckAsync(env, ct).ConfigureAwait(false));
        if (await logging.ConfigureAwait(false) is { } row) results.Add(row);
        return results;
    }

    private static string FormatAge(TimeSpan t) => Text.Duration.Humanize(t < TimeSpan.Zero ? TimeSpan.Zero : t);
}
