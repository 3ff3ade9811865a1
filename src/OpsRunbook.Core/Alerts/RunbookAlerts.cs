using System.Globalization;
using OpsRunbook.Core.Config;

namespace OpsRunbook.Core.Alerts;

/// <summary>One of the runbook's "Alert Response Procedures": threshold, how long, what to do, which cmdlet next.</summary>
public sealed record RunbookAlert(string Name, string Title, double Threshold, string Unit, TimeSpan For, string[] Steps, string NextCmdlet, string Severity)
{
    /// <summary>The response steps as one text, numbered as in the runbook, with the OpsRunbook cmdlet to run.</summary>
    public string RunbookText => string.Join("\n", Steps.Select((s, i) => $"{i + 1}. {s}")) + $"\nOpsRunbook: {NextCmdlet}";
}

/// <summary>The runbook's three alerts (CPU > 80% for 5 minutes, memory > 90%, queue depth > 1000), shared by Export-OpsAlertRule and Get-OpsAlert.</summary>
public static class RunbookAlerts
{
    public const string HighCpu = "HighCpuUsage";
    public const string HighMemory = "HighMemoryUsage";
    public const string QueueDepth = "QueueDepthHigh";

    public static IReadOnlyList<RunbookAlert> For(ThresholdsConfig? thresholds) =>
    [
        new(HighCpu, "High CPU", 80, "%", TimeSpan.FromMinutes(5),
            ["Identify the process: top -b -n 1 | head -20 (Get-OpsSystemInfo -Top 20).",
             "Check for runaway queries: SELECT * FROM pg_stat_activity WHERE state = 'active' (Get-OpsActiveOperation).",
             "Scale horizontally if needed: docker-compose scale worker=4."],
            "Get-OpsSystemInfo -Top 20; Get-OpsActiveOperation", "warning"),
        new(HighMemory, "High Memory", 90, "%", TimeSpan.FromMinutes(2),
            ["Check for memory leaks: ps aux --sort=-%mem | head ((Get-OpsSystemInfo).TopByMemory).",
             "Restart the affected service: docker restart [container].",
             "Analyze a heap dump if Node.js: node --inspect."],
            "(Get-OpsSystemInfo).TopByMemory", "warning"),
        new(QueueDepth, "Queue Depth", thresholds?.QueueDepthWarn ?? 1000, "jobs", TimeSpan.FromMinutes(5),
            ["Check worker status: docker logs worker-container.",
             "Scale workers: docker-compose scale worker=8.",
             "Check for failed jobs: curl http://localhost:3000/api/admin/queues/failed (Get-OpsHealth -Check Queue)."],
            "Get-OpsHealth -Check Queue", "warning"),
    ];

    public static string Number(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
