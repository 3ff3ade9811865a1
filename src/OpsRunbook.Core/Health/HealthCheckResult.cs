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
    /// <summary>The host the check ran on (its host name); null for results read back from the history, which does not record it.</summary>
    public string? ComputerName { get; set; } = Systems.HostIdentity.ComputerName;
    /// <summary>The check family: Service, Disk, Database, Redis, Queue, Errors, Backup.</summary>
    public string Check { get; set; } = "";
    public string Target { get; set; } = "";
    public HealthStatus Status { get; set; }
    public double? Value { get; set; }
    public string? Unit { get; set; }
    public string? Threshold { get; set; }
    /// <summary>The Value from which the result is a Warning, as a number (Nagios perfdata's warn); null when not a simple bound.</summary>
    public double? WarnAt { get; set; }
    /// <summary>The Value from which the result is Critical, as a number (perfdata's crit).</summary>
    public double? CriticalAt { get; set; }
    public string Message { get; set; } = "";
    /// <summary>When the result is not Healthy: the runbook's next step for it (from the family's registration).</summary>
    public string? NextStep { get; set; }
    public TimeSpan Duration { get; set; }
    /// <summary>Duration as a number, for CSV and spreadsheets.</summary>
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>
    /// Value with its unit, as the table shows it: "91.2 %", "3.1 ms"; a value in seconds (Unit "s") reads as the
    /// messages do: "5 min", "3.5 h". A method, not a property, so Export-Csv keeps the raw Value and Unit.
    /// </summary>
    public string FormatValue() => FormatValue(Value, Unit);

    /// <summary>The same text from a value and unit: the format views call this, so a result deserialised from a
    /// remote session (which has no methods) shows as a local one does.</summary>
    public static string FormatValue(double? value, string? unit) => value is not { } v ? ""
        : unit == "s" ? Text.Duration.Humanize(TimeSpan.FromSeconds(v))
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{v:0.##} {unit}").TrimEnd();

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
