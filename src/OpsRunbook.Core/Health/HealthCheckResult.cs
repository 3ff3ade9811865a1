namespace OpsRunbook.Core.Health;

/// <summary>Worst first when sorted descending: Critical > Warning > Unknown > Healthy.</summary>
public enum HealthStatus
{
    Healthy = 0,
    Unknown = 1,
    Warning = 2,
    Critical = 3,
}

/// <summary>
/// One health check against one target. Value, Unit and Threshold together say why the status is
/// what it is ("91.2 %" against "warn >= 80, critical >= 90").
/// </summary>
public sealed class HealthCheckResult
{
    public string Environment { get; set; } = "";
    /// <summary>The check family: Service, Disk, Database, Redis, Queue, Errors, Backup.</summary>
    public string Check { get; set; } = "";
    public string Target { get; set; } = "";
    public HealthStatus Status { get; set; }
    public double? Value { get; set; }
    public string? Unit { get; set; }
    public string? Threshold { get; set; }
    public string Message { get; set; } = "";
    public TimeSpan Duration { get; set; }
    public DateTimeOffset Timestamp { get; set; }

    private List<KeyValuePair<string, double>>? _details;

    /// <summary>
    /// The numbers behind the result (a queue's counts by state, connections by state...), exported to
    /// Prometheus as opsrunbook_health_detail. A method, not a property, so Export-Csv keeps clean columns.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, double>> GetDetails() => (IReadOnlyList<KeyValuePair<string, double>>?)_details ?? [];

    /// <summary>Adds (or replaces) one named number behind the result; returns the result.</summary>
    public HealthCheckResult AddDetail(string name, double value)
    {
        _details ??= new();
        _details.RemoveAll(d => d.Key == name);
        _details.Add(new(name, value));
        return this;
    }

    public override string ToString() => $"{Check}/{Target}: {Status} {Message}";
}
