using OpsRunbook.Core.Errors;
namespace OpsRunbook.Core.Config;

/// <summary>One environment (production, staging, ...): every section a cmdlet may need.</summary>
public sealed class EnvironmentConfig
{
    /// <summary>The environment's name: its key under environments.</summary>
    [ConfigIgnore] public string Name { get; internal set; } = "";

    /// <summary>The file this environment was read from.</summary>
    [ConfigIgnore] public string Source { get; internal set; } = "";

    /// <summary>Problems the file has in other environments: they do not block this one; cmdlets show them as warnings.</summary>
    [ConfigIgnore] public IReadOnlyList<string> Warnings { get; internal set; } = [];

    public PostgresConfig? Postgres { get; set; }
    public RedisConfig? Redis { get; set; }
    public ApiConfig? Api { get; set; }
    /// <summary>prometheus: the Prometheus server that scrapes the API and the hosts (Get-OpsApiMetric, Get-OpsKpi).</summary>
    public PrometheusConfig? Prometheus { get; set; }
    public QueuesConfig? Queues { get; set; }
    public List<ServiceConfig> Services { get; set; } = new();
    public DiskConfig? Disk { get; set; }
    public LogsConfig? Logs { get; set; }
    public S3Config? S3 { get; set; }
    /// <summary>stripe: the Stripe API, webhook endpoint and status page (Payments area).</summary>
    public StripeConfig? Stripe { get; set; }
    /// <summary>aws: Cost Explorer (Get-OpsAwsCost); its keys default to the s3 section's.</summary>
    public AwsConfig? Aws { get; set; }
    public BackupConfig Backup { get; set; } = new();
    public ThresholdsConfig Thresholds { get; set; } = new();
    public MaintenanceConfig Maintenance { get; set; } = new();
    /// <summary>kpi: targets of the runbook's Success Metrics (defaults: the runbook's).</summary>
    public KpiConfig Kpi { get; set; } = new();
    /// <summary>cleanup: the policies Clear-DiskEmergency may run. Absent: the runbook's default (old logs in logs.directory).</summary>
    public List<CleanupPolicy>? Cleanup { get; set; }
    /// <summary>diskEmergency: Clear-DiskEmergency's optional steps (journal vacuum, Docker prune).</summary>
    public DiskEmergencyConfig? DiskEmergency { get; set; }
    /// <summary>schedule: entries that override the runbook's seven cron jobs by name, drop one (enabled: false) or add one.</summary>
    public List<ScheduledJobConfig>? Schedule { get; set; }
    /// <summary>state: the state store (SQLite file or PostgreSQL schema) and health history retention.</summary>
    public StateConfig State { get; set; } = new();
    /// <summary>smokeTests: the HTTP requests Test-OpsSmoke (and Stop-OpsMaintenance) sends, each with the status it expects.</summary>
    public List<SmokeTestConfig> SmokeTests { get; set; } = new();
    /// <summary>notifications: the channels Send-OpsNotification posts to (webhook, http, email).</summary>
    public NotificationsConfig? Notifications { get; set; }
    /// <summary>statusPage: the platform's Atlassian Statuspage (Set-OpsStatusPage, Get-OpsStatusPage).</summary>
    public StatusPageConfig? StatusPage { get; set; }

    /// <summary>The configured cleanup policies, or the default when the key is absent.</summary>
    public IReadOnlyList<CleanupPolicy> CleanupPolicies() => Cleanup ?? CleanupPolicy.Defaults(this);

    /// <summary>Returns the section, or throws ConfigSectionMissing naming the key to add.</summary>
    public T Require<T>(Func<EnvironmentConfig, T?> section, string key) where T : class
        => section(this) ?? throw new Errors.OpsException(ErrorIds.ConfigSectionMissing, $"Environment '{Name}' in {Source} has no '{key}' section.", Name,
            $"Add a '{key}:' section under environments.{Name} (see examples/ops.yaml).");

    /// <summary>An environment made of one PostgreSQL server given on the command line (-Server), every other section at its default.</summary>
    public static EnvironmentConfig ForServer(PostgresConfig postgres)
        => new() { Name = $"{postgres.Host}:{postgres.Port}", Source = "-Server", Postgres = postgres };

    public override string ToString() => Name;
}
