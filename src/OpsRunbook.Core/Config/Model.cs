using System.Globalization;

namespace OpsRunbook.Core.Config;

// The config contract. Key names are the camelCase of these property names; later issues add
// keys and sections freely but never rename one. Every section class documents its keys.

/// <summary>The whole file: defaultEnvironment and environments.</summary>
public sealed class OpsConfigFile : IValidatableConfig
{
    public string? DefaultEnvironment { get; set; }
    public Dictionary<string, EnvironmentConfig> Environments { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public void Validate(ConfigValidationContext context)
    {
        if (Environments.Count == 0)
            context.Error("environments", "The file defines no environments. Add at least one under 'environments:'.", ConfigProblemKind.MissingKey);
        else if (DefaultEnvironment is not null && !Environments.ContainsKey(DefaultEnvironment))
            context.Error("defaultEnvironment", $"defaultEnvironment '{DefaultEnvironment}' is not one of the environments ({string.Join(", ", Environments.Keys)}).", ConfigProblemKind.BadValue);
    }
}

/// <summary>One environment (production, staging, ...): every section a cmdlet may need.</summary>
public sealed class EnvironmentConfig
{
    /// <summary>The environment's name: its key under environments.</summary>
    [ConfigIgnore] public string Name { get; internal set; } = "";

    /// <summary>The file this environment was read from.</summary>
    [ConfigIgnore] public string Source { get; internal set; } = "";

    public PostgresConfig? Postgres { get; set; }
    public RedisConfig? Redis { get; set; }
    public ApiConfig? Api { get; set; }
    public QueuesConfig? Queues { get; set; }
    public List<ServiceConfig> Services { get; set; } = new();
    public DiskConfig? Disk { get; set; }
    public LogsConfig? Logs { get; set; }
    public S3Config? S3 { get; set; }
    public BackupConfig Backup { get; set; } = new();
    public ThresholdsConfig Thresholds { get; set; } = new();
    public MaintenanceConfig Maintenance { get; set; } = new();
    /// <summary>cleanup: the policies Clear-DiskEmergency may run. Absent: the runbook's default (old logs in logs.directory).</summary>
    public List<CleanupPolicy>? Cleanup { get; set; }
    /// <summary>diskEmergency: Clear-DiskEmergency's optional steps (journal vacuum, Docker prune).</summary>
    public DiskEmergencyConfig? DiskEmergency { get; set; }

    /// <summary>The configured cleanup policies, or the default when the key is absent.</summary>
    public IReadOnlyList<CleanupPolicy> CleanupPolicies() => Cleanup ?? CleanupPolicy.Defaults(this);

    /// <summary>Returns the section, or throws ConfigSectionMissing naming the key to add.</summary>
    public T Require<T>(Func<EnvironmentConfig, T?> section, string key) where T : class
        => section(this) ?? throw new Errors.OpsException("ConfigSectionMissing", Errors.OpsErrorCategory.InvalidData,
            $"Environment '{Name}' in {Source} has no '{key}' section.", Name,
            $"Add a '{key}:' section under environments.{Name} (see examples/ops.yaml).");

    public override string ToString() => Name;
}

/// <summary>postgres: host, port, database, username, password, sslMode, connectTimeoutSeconds.</summary>
public sealed class PostgresConfig : IValidatableConfig
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 5432;
    public string Database { get; set; } = "";
    public string Username { get; set; } = "";
    public Secret Password { get; set; } = Secret.None;
    /// <summary>Npgsql SslMode name: Disable, Allow, Prefer, Require, VerifyCA, VerifyFull.</summary>
    public string SslMode { get; set; } = "Prefer";
    public int ConnectTimeoutSeconds { get; set; } = 5;

    public void Validate(ConfigValidationContext c)
    {
        c.Require("host", Host);
        c.Require("database", Database);
        c.Require("username", Username);
        if (Port is < 1 or > 65535) c.Error("port", $"'port' must be 1-65535, not {Port}.", ConfigProblemKind.BadValue);
        if (!Enum.TryParse<Npgsql.SslMode>(SslMode, true, out _))
            c.Error("sslMode", $"'sslMode' must be one of {string.Join(", ", Enum.GetNames<Npgsql.SslMode>())}, not '{SslMode}'.", ConfigProblemKind.BadValue);
        c.Positive("connectTimeoutSeconds", ConnectTimeoutSeconds);
    }

    public override string ToString() => $"{Username}@{Host}:{Port}/{Database}";
}

/// <summary>redis: configuration (a StackExchange.Redis configuration string), password.</summary>
public sealed class RedisConfig : IValidatableConfig
{
    public string Configuration { get; set; } = "127.0.0.1:6379";
    public Secret Password { get; set; } = Secret.None;

    public void Validate(ConfigValidationContext c)
    {
        if (!c.Require("configuration", Configuration)) return;
        try { StackExchange.Redis.ConfigurationOptions.Parse(Configuration); }
        catch (ArgumentException e) { c.Error("configuration", $"'configuration' is not a valid Redis configuration string: {e.Message}", ConfigProblemKind.BadValue); }
        if (Configuration.Contains("password=", StringComparison.OrdinalIgnoreCase))
            c.Warning("configuration", "The Redis configuration string holds a password; put it in 'password: ${env:REDIS_PASSWORD}' instead.", ConfigProblemKind.SecretInFile);
    }

    public override string ToString() => Configuration;
}

/// <summary>api: baseUrl of the platform's API (admin endpoints live under it).</summary>
public sealed class ApiConfig : IValidatableConfig
{
    public string BaseUrl { get; set; } = "";
    public void Validate(ConfigValidationContext c)
    {
        if (c.Require("baseUrl", BaseUrl)) ConfigChecks.HttpUrl(c, "baseUrl", BaseUrl);
    }
    public override string ToString() => BaseUrl;
}

/// <summary>queues: source (bullmq or api), prefix (BullMQ key prefix), names.</summary>
public sealed class QueuesConfig : IValidatableConfig
{
    public string Source { get; set; } = "bullmq";
    public string Prefix { get; set; } = "bull";
    public List<string> Names { get; set; } = new();

    public void Validate(ConfigValidationContext c)
    {
        if (Source is not ("bullmq" or "api"))
            c.Error("source", $"'source' must be bullmq or api, not '{Source}'.", ConfigProblemKind.BadValue);
    }
    public override string ToString() => $"{Source}: {string.Join(", ", Names)}";
}

/// <summary>A service to check. kind: process, tcp, http, systemd or docker.</summary>
public sealed class ServiceConfig : IValidatableConfig
{
    public static readonly string[] Kinds = ["process", "tcp", "http", "systemd", "docker"];

    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    /// <summary>http: the URL to GET.</summary>
    public string? Url { get; set; }
    /// <summary>http: the status code expected (default: any 2xx or 3xx).</summary>
    public int? ExpectStatus { get; set; }
    /// <summary>tcp: host:port.</summary>
    public string? Address { get; set; }
    /// <summary>process: the process name when it differs from name.</summary>
    public string? Process { get; set; }
    /// <summary>systemd: the unit (default: name + .service).</summary>
    public string? Unit { get; set; }
    /// <summary>docker: the container name or id (default: name).</summary>
    public string? Container { get; set; }
    /// <summary>docker: the Engine API endpoint (default unix:///var/run/docker.sock).</summary>
    public string? Endpoint { get; set; }
    /// <summary>systemd: the systemctl to run (default systemctl on PATH); it is asked `show UNIT --property=ActiveState,SubState`.</summary>
    public string? Systemctl { get; set; }

    public void Validate(ConfigValidationContext c)
    {
        c.Require("name", Name);
        if (!c.Require("kind", Kind)) return;
        switch (Kind)
        {
            case "http":
                if (c.Require("url", Url)) ConfigChecks.HttpUrl(c, "url", Url!);
                break;
            case "tcp":
                if (c.Require("address", Address) && !ConfigChecks.TryParseHostPort(Address!, out _, out _))
                    c.Error("address", $"'address' must be host:port, not '{Address}'.", ConfigProblemKind.BadValue);
                break;
            case "process": case "systemd": case "docker":
                break;
            default:
                c.Error("kind", $"'kind' must be one of {string.Join(", ", Kinds)}, not '{Kind}'.", ConfigProblemKind.BadValue);
                break;
        }
    }
    public override string ToString() => $"{Name} ({Kind})";
}

/// <summary>disk: paths whose filesystems are checked.</summary>
public sealed class DiskConfig : IValidatableConfig
{
    public List<string> Paths { get; set; } = new() { "/" };
    public void Validate(ConfigValidationContext c)
    {
        foreach (var p in Paths)
            if (!System.IO.Path.IsPathFullyQualified(p)) c.Error("paths", $"Disk path '{p}' must be absolute.", ConfigProblemKind.BadValue);
    }
    public override string ToString() => string.Join(", ", Paths);
}

/// <summary>logs: directory, api (file name pattern with {date:FORMAT}), access.</summary>
public sealed class LogsConfig : IValidatableConfig
{
    public string Directory { get; set; } = "";
    public string Api { get; set; } = "api-{date:yyyy-MM-dd}.log";
    public string Access { get; set; } = "access.log";

    public void Validate(ConfigValidationContext c)
    {
        if (c.Require("directory", Directory) && !System.IO.Path.IsPathFullyQualified(Directory))
            c.Error("directory", $"'directory' must be an absolute path, not '{Directory}'.", ConfigProblemKind.BadValue);
    }

    /// <summary>The api log file name for a day: 'api-{date:yyyy-MM-dd}.log' gives api-2026-11-29.log.</summary>
    public string ApiFileFor(DateOnly day) => System.Text.RegularExpressions.Regex.Replace(Api, @"\{date:([^}]+)\}",
        m => day.ToString(m.Groups[1].Value, CultureInfo.InvariantCulture));

    public override string ToString() => Directory;
}

/// <summary>s3: bucket, region, serviceUrl ('' for AWS), accessKey, secretKey, postgresPrefix, mediaPrefix, forcePathStyle.</summary>
public sealed class S3Config : IValidatableConfig
{
    public string Bucket { get; set; } = "";
    public string Region { get; set; } = "us-east-1";
    public string ServiceUrl { get; set; } = "";
    public Secret AccessKey { get; set; } = Secret.None;
    public Secret SecretKey { get; set; } = Secret.None;
    public string PostgresPrefix { get; set; } = "postgres/";
    public string MediaPrefix { get; set; } = "media/";
    /// <summary>Path-style addressing; default true when serviceUrl is set (MinIO, s3rver), false for AWS.</summary>
    public bool? ForcePathStyle { get; set; }
    public int TimeoutSeconds { get; set; } = 30;

    public void Validate(ConfigValidationContext c)
    {
        c.Require("bucket", Bucket);
        c.Require("region", Region);
        if (!string.IsNullOrEmpty(ServiceUrl)) ConfigChecks.HttpUrl(c, "serviceUrl", ServiceUrl);
        if (AccessKey.IsSet != SecretKey.IsSet)
            c.Error(AccessKey.IsSet ? "secretKey" : "accessKey", "Set both accessKey and secretKey, or neither (to use the AWS default credential chain).", ConfigProblemKind.MissingKey);
        c.Positive("timeoutSeconds", TimeoutSeconds);
    }
    public override string ToString() => string.IsNullOrEmpty(ServiceUrl) ? $"s3://{Bucket} ({Region})" : $"s3://{Bucket} at {ServiceUrl}";
}

/// <summary>
/// backup: maximumAge, warningAge, minimumSizeBytes (freshness, after Barman's last_backup_maximum_age and
/// last_backup_minimum_size), databases (default: postgres.database), pgBinDirectory (where pg_dump and
/// pg_restore live; default: $OPSRUNBOOK_PG_BIN, the newest /usr/lib/postgresql/*/bin, then PATH),
/// restoreJobs (pg_restore -j), scratchPrefix (scratch database names for restore tests), partSizeMB.
/// </summary>
public sealed class BackupConfig : IValidatableConfig
{
    /// <summary>The newest backup older than this is Critical (Barman: last_backup_maximum_age).</summary>
    public TimeSpan MaximumAge { get; set; } = TimeSpan.FromHours(26);
    /// <summary>The newest backup older than this is a Warning; default: three quarters of maximumAge.</summary>
    public TimeSpan? WarningAge { get; set; }
    /// <summary>The newest backup smaller than this is a Warning (Barman: last_backup_minimum_size).</summary>
    public long MinimumSizeBytes { get; set; } = 1024;
    /// <summary>Databases whose backups are checked; default: the postgres section's database.</summary>
    public List<string> Databases { get; set; } = new();
    public string PgBinDirectory { get; set; } = "";
    public int RestoreJobs { get; set; } = 2;
    public string ScratchPrefix { get; set; } = "opsrunbook_restore_";
    /// <summary>Multipart upload part size in MiB (S3 needs at least 5).</summary>
    public int PartSizeMB { get; set; } = 16;

    public TimeSpan EffectiveWarningAge => WarningAge ?? TimeSpan.FromTicks(MaximumAge.Ticks * 3 / 4);

    public void Validate(ConfigValidationContext c)
    {
        if (MaximumAge <= TimeSpan.Zero) c.Error("maximumAge", "'maximumAge' must be a positive duration such as 26h.", ConfigProblemKind.BadValue);
        if (WarningAge is { } w && w > MaximumAge) c.Error("warningAge", $"'warningAge' ({w}) is above maximumAge ({MaximumAge}).", ConfigProblemKind.BadValue);
        if (MinimumSizeBytes < 0) c.Error("minimumSizeBytes", "'minimumSizeBytes' must not be negative.", ConfigProblemKind.BadValue);
        c.Positive("restoreJobs", RestoreJobs);
        if (PartSizeMB is < 5 or > 5120) c.Error("partSizeMB", $"'partSizeMB' must be 5-5120, not {PartSizeMB}.", ConfigProblemKind.BadValue);
        if (!System.Text.RegularExpressions.Regex.IsMatch(ScratchPrefix, "^[a-z_][a-z0-9_]{0,29}$"))
            c.Error("scratchPrefix", $"'scratchPrefix' must be a lower-case identifier of at most 30 characters, not '{ScratchPrefix}'.", ConfigProblemKind.BadValue);
        if (PgBinDirectory.Length > 0 && !System.IO.Path.IsPathFullyQualified(PgBinDirectory))
            c.Error("pgBinDirectory", $"'pgBinDirectory' must be an absolute path, not '{PgBinDirectory}'.", ConfigProblemKind.BadValue);
    }

    public override string ToString() => $"maximum age {MaximumAge}, minimum size {MinimumSizeBytes} bytes";
}

/// <summary>thresholds: the numbers statuses are judged by.</summary>
public sealed class ThresholdsConfig : IValidatableConfig
{
    public double DiskWarnPercent { get; set; } = 80;
    public double DiskCriticalPercent { get; set; } = 90;
    public double DbConnectionsWarnPercent { get; set; } = 80;
    public double DbConnectionsCriticalPercent { get; set; } = 95;
    public long QueueDepthWarn { get; set; } = 1000;
    public long ErrorCountWarn { get; set; } = 100;
    /// <summary>Waiting jobs in one queue from which it is Critical.</summary>
    public long QueueDepthCritical { get; set; } = 10000;
    /// <summary>Failed jobs kept in one queue from which it is a Warning.</summary>
    public long QueueFailedWarn { get; set; } = 100;
    /// <summary>ERROR lines in 24 h from which the Errors check is Critical.</summary>
    public long ErrorCountCritical { get; set; } = 1000;
    /// <summary>Round trip (tcp connect, http, database, redis ping) in ms from which a check is a Warning.</summary>
    public double LatencyWarnMs { get; set; } = 1000;
    /// <summary>Sessions idle in transaction from which the Database check is a Warning.</summary>
    public long DbIdleInTransactionWarn { get; set; } = 5;
    /// <summary>A query active longer than this many seconds counts as long-running (any one is a Warning).</summary>
    public double DbLongQuerySeconds { get; set; } = 300;
    public double RedisMemoryWarnPercent { get; set; } = 80;
    public double RedisMemoryCriticalPercent { get; set; } = 95;

    public void Validate(ConfigValidationContext c)
    {
        c.Percent("diskWarnPercent", DiskWarnPercent);
        c.Percent("diskCriticalPercent", DiskCriticalPercent);
        c.Percent("dbConnectionsWarnPercent", DbConnectionsWarnPercent);
        c.Percent("dbConnectionsCriticalPercent", DbConnectionsCriticalPercent);
        if (DiskWarnPercent > DiskCriticalPercent)
            c.Error("diskWarnPercent", $"diskWarnPercent ({DiskWarnPercent}) is above diskCriticalPercent ({DiskCriticalPercent}).");
        if (DbConnectionsWarnPercent > DbConnectionsCriticalPercent)
            c.Error("dbConnectionsWarnPercent", $"dbConnectionsWarnPercent ({DbConnectionsWarnPercent}) is above dbConnectionsCriticalPercent ({DbConnectionsCriticalPercent}).");
        c.Positive("queueDepthWarn", QueueDepthWarn);
        c.Positive("errorCountWarn", ErrorCountWarn);
        c.Positive("queueDepthCritical", QueueDepthCritical);
        c.Positive("queueFailedWarn", QueueFailedWarn);
        c.Positive("errorCountCritical", ErrorCountCritical);
        c.Positive("latencyWarnMs", LatencyWarnMs);
        c.Positive("dbIdleInTransactionWarn", DbIdleInTransactionWarn);
        c.Positive("dbLongQuerySeconds", DbLongQuerySeconds);
        c.Percent("redisMemoryWarnPercent", RedisMemoryWarnPercent);
        c.Percent("redisMemoryCriticalPercent", RedisMemoryCriticalPercent);
        if (QueueDepthWarn > QueueDepthCritical)
            c.Error("queueDepthWarn", $"queueDepthWarn ({QueueDepthWarn}) is above queueDepthCritical ({QueueDepthCritical}).");
        if (ErrorCountWarn > ErrorCountCritical)
            c.Error("errorCountWarn", $"errorCountWarn ({ErrorCountWarn}) is above errorCountCritical ({ErrorCountCritical}).");
        if (RedisMemoryWarnPercent > RedisMemoryCriticalPercent)
            c.Error("redisMemoryWarnPercent", $"redisMemoryWarnPercent ({RedisMemoryWarnPercent}) is above redisMemoryCriticalPercent ({RedisMemoryCriticalPercent}).");
    }
    public override string ToString() => $"disk {DiskWarnPercent}/{DiskCriticalPercent}%, db connections {DbConnectionsWarnPercent}/{DbConnectionsCriticalPercent}%, queue {QueueDepthWarn}, errors {ErrorCountWarn}";
}

/// <summary>
/// maintenance: tables (Invoke-DbMaintenance's default tables), lockTimeoutSeconds and
/// statementTimeoutSeconds (0 = no limit), reindexConcurrently.
/// </summary>
public sealed class MaintenanceConfig : IValidatableConfig
{
    public List<string> Tables { get; set; } = new() { "media_items", "embeddings", "search_history" };
    /// <summary>lock_timeout for maintenance statements: they give up rather than queue behind a lock.</summary>
    public int LockTimeoutSeconds { get; set; } = 10;
    /// <summary>statement_timeout for maintenance statements; 0 means none.</summary>
    public int StatementTimeoutSeconds { get; set; } = 3600;
    /// <summary>REINDEX TABLE CONCURRENTLY (writes never blocked) unless false.</summary>
    public bool ReindexConcurrently { get; set; } = true;

    public void Validate(ConfigValidationContext c)
    {
        if (Tables.Count == 0) c.Error("tables", "'tables' lists no tables; list the tables to maintain or leave the key out for the default.", ConfigProblemKind.BadValue);
        foreach (var t in Tables)
            if (string.IsNullOrWhiteSpace(t)) c.Error("tables", "'tables' has an empty entry.", ConfigProblemKind.BadValue);
        if (LockTimeoutSeconds < 0) c.Error("lockTimeoutSeconds", $"'lockTimeoutSeconds' must be 0 or more, not {LockTimeoutSeconds}.", ConfigProblemKind.BadValue);
        if (StatementTimeoutSeconds < 0) c.Error("statementTimeoutSeconds", $"'statementTimeoutSeconds' must be 0 or more, not {StatementTimeoutSeconds}.", ConfigProblemKind.BadValue);
        if (LockTimeoutSeconds == 0) c.Warning("lockTimeoutSeconds", "'lockTimeoutSeconds' is 0: maintenance may queue behind a lock forever and block writers queued behind it.", ConfigProblemKind.BadValue);
    }
    public override string ToString() => $"{string.Join(", ", Tables)} (lock {LockTimeoutSeconds}s, statement {StatementTimeoutSeconds}s)";
}

/// <summary>
/// One entry of cleanup: name, path (the root; never / or a system path), pattern (file name glob,
/// * and ?), olderThanDays (by modification time), action (delete, or truncate for live logs).
/// </summary>
public sealed class CleanupPolicy : IValidatableConfig
{
    public static readonly string[] Actions = ["delete", "truncate"];

    public string Name { get; set; } = "";
    public string Path { get; set; } = "";
    public string Pattern { get; set; } = "*";
    public double OlderThanDays { get; set; } = 7;
    public string Action { get; set; } = "delete";

    /// <summary>The runbook's defaults that need no extra keys: *.log older than 7 days in logs.directory.</summary>
    public static IReadOnlyList<CleanupPolicy> Defaults(EnvironmentConfig env) =>
        env.Logs is { Directory.Length: > 0 } logs
            ? [new CleanupPolicy { Name = "old-logs", Path = logs.Directory, Pattern = "*.log", OlderThanDays = 7, Action = "delete" }]
            : [];

    public void Validate(ConfigValidationContext c)
    {
        c.Require("name", Name);
        if (c.Require("path", Path))
        {
            if (!System.IO.Path.IsPathFullyQualified(Path))
                c.Error("path", $"Cleanup path '{Path}' must be absolute.", ConfigProblemKind.BadValue);
            else if (Disk.CleanupSafety.ForbiddenReason(Path) is { } why)
                c.Error("path", $"Cleanup path '{Path}' is not allowed: {why}.", ConfigProblemKind.BadValue);
        }
        if (c.Require("pattern", Pattern) && (Pattern.Contains('/') || Pattern is "." or ".."))
            c.Error("pattern", $"'pattern' is a file name pattern (* and ?) without '/', not '{Pattern}'.", ConfigProblemKind.BadValue);
        if (OlderThanDays < 0 || double.IsNaN(OlderThanDays))
            c.Error("olderThanDays", $"'olderThanDays' must be 0 or more, not {OlderThanDays}.", ConfigProblemKind.BadValue);
        if (!Actions.Contains(Action))
            c.Error("action", $"'action' must be one of {string.Join(", ", Actions)}, not '{Action}'.", ConfigProblemKind.BadValue);
    }

    public override string ToString() => $"{Name}: {Action} {Pattern} older than {OlderThanDays.ToString(CultureInfo.InvariantCulture)} days in {Path}";
}

/// <summary>
/// diskEmergency: optional steps of Clear-DiskEmergency. journalVacuumTime (journalctl --vacuum-time,
/// e.g. 2d; absent: no journal step), dockerPrune (true: prune through the Engine API), dockerEndpoint.
/// </summary>
public sealed class DiskEmergencyConfig : IValidatableConfig
{
    public string? JournalVacuumTime { get; set; }
    public bool DockerPrune { get; set; }
    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    public void Validate(ConfigValidationContext c)
    {
        if (!string.IsNullOrEmpty(JournalVacuumTime) && !System.Text.RegularExpressions.Regex.IsMatch(JournalVacuumTime, @"^\d+(s|m|h|d|w|min|months|weeks|days|years|y)?$"))
            c.Error("journalVacuumTime", $"'journalVacuumTime' must be a journalctl time span such as 2d or 12h, not '{JournalVacuumTime}'.", ConfigProblemKind.BadValue);
        if (!DockerEndpoint.StartsWith("unix:///", StringComparison.Ordinal))
            c.Error("dockerEndpoint", $"'dockerEndpoint' must be a unix socket such as unix:///var/run/docker.sock, not '{DockerEndpoint}'.", ConfigProblemKind.BadValue);
    }

    public override string ToString() => $"journal {(string.IsNullOrEmpty(JournalVacuumTime) ? "off" : JournalVacuumTime)}, docker prune {(DockerPrune ? "on" : "off")}";
}

/// <summary>Marks a property the binder must not read from the file.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigIgnoreAttribute : Attribute { }

internal static class ConfigChecks
{
    public static void HttpUrl(ConfigValidationContext c, string key, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps))
            c.Error(key, $"'{key}' must be an absolute http(s) URL, not '{value}'.", ConfigProblemKind.BadValue);
    }

    public static bool TryParseHostPort(string value, out string host, out int port)
    {
        host = ""; port = 0;
        var i = value.LastIndexOf(':');
        if (i <= 0 || !int.TryParse(value.AsSpan(i + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535) return false;
        host = value[..i].Trim('[', ']');
        return host.Length > 0;
    }
}
