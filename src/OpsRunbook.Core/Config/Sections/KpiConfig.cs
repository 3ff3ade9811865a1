namespace OpsRunbook.Core.Config;

/// <summary>
/// kpi: the targets of the runbook's Success Metrics (Get-OpsKpi, Export-OpsAlertRule). Defaults are the runbook's:
/// uptime 99.9%, p95 under 500 ms, 95% of jobs done within 5 minutes, errors under 0.1%, cost per active user under $0.10.
/// </summary>
public sealed class KpiConfig : IValidatableConfig
{
    public double UptimePercent { get; set; } = 99.9;
    public double P95Ms { get; set; } = 500;
    /// <summary>The share of requests that must be faster than p95Ms for the latency SLO (95 = the p95 target).</summary>
    public double LatencyPercent { get; set; } = 95;
    public double QueueSlaPercent { get; set; } = 95;
    public double QueueSlaSeconds { get; set; } = 300;
    public double ErrorRatePercent { get; set; } = 0.1;
    public decimal CostPerUser { get; set; } = 0.10m;
    /// <summary>The API's request-duration histogram (Prometheus).</summary>
    public string Metric { get; set; } = "http_request_duration_seconds";

    public void Validate(ConfigValidationContext c)
    {
        void Percent(string key, double v)
        {
            if (v is <= 0 or > 100) c.Error(key, $"'{key}' must be above 0 and at most 100, not {v}.", ConfigProblemKind.BadValue);
        }
        Percent("uptimePercent", UptimePercent);
        Percent("latencyPercent", LatencyPercent);
        Percent("queueSlaPercent", QueueSlaPercent);
        Percent("errorRatePercent", ErrorRatePercent);
        if (P95Ms <= 0) c.Error("p95Ms", "'p95Ms' must be above 0.", ConfigProblemKind.BadValue);
        if (QueueSlaSeconds <= 0) c.Error("queueSlaSeconds", "'queueSlaSeconds' must be above 0.", ConfigProblemKind.BadValue);
        if (CostPerUser < 0) c.Error("costPerUser", "'costPerUser' must not be negative.", ConfigProblemKind.BadValue);
    }
    public override string ToString() => $"uptime {UptimePercent}%, p95 {P95Ms} ms, queue {QueueSlaPercent}% in {QueueSlaSeconds} s, errors {ErrorRatePercent}%, cost/user {CostPerUser}";
}
