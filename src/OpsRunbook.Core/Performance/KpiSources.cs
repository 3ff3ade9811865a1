using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;

namespace OpsRunbook.Core.Performance;

/// <summary>Asks each KPI's source; every failure or gap becomes an Unknown row naming what is missing.</summary>
public static class KpiSources
{
    public static async Task<IReadOnlyList<KpiResult>> MeasureAsync(EnvironmentConfig env, DateTimeOffset since, DateTimeOffset until, TimeSpan timeout, IOpsReporter reporter, CancellationToken ct)
    {
        var k = env.Kpi;
        var rows = new List<KpiResult>();

        // Uptime: the health history (the state store's Measure-OpsAvailability, issue 11).
        rows.Add(KpiReport.Unknown(KpiReport.Uptime, k.UptimePercent, "%",
            "the health history (Measure-OpsAvailability, issue 11) is not in this build", since, until));

        // p95 and error rate: Prometheus when configured, else the access logs.
        (KpiResult P95, KpiResult Errors) latency;
        if (env.Prometheus is { Url.Length: > 0 } prom)
        {
            try { latency = await KpiReport.FromPrometheusAsync(prom.Url, k, since, until, timeout, ct).ConfigureAwait(false); }
            catch (OpsException e)
            {
                var why = $"prometheus.url {prom.Url}: {e.Message}";
                latency = (KpiReport.Unknown(KpiReport.P95, k.P95Ms, "ms", why, since, until), KpiReport.Unknown(KpiReport.ErrorRate, k.ErrorRatePercent, "%", why, since, until));
            }
        }
        else if (env.Logs is { } logs)
        {
            try { latency = KpiReport.FromAccessLog(logs, k, since, until, reporter, ct); }
            catch (OpsException e)
            {
                var why = $"access log {logs.AccessPath}: {e.Message}";
                latency = (KpiReport.Unknown(KpiReport.P95, k.P95Ms, "ms", why, since, until), KpiReport.Unknown(KpiReport.ErrorRate, k.ErrorRatePercent, "%", why, since, until));
            }
        }
        else
        {
            const string why = "neither prometheus.url nor logs: in the config";
            latency = (KpiReport.Unknown(KpiReport.P95, k.P95Ms, "ms", why, since, until), KpiReport.Unknown(KpiReport.ErrorRate, k.ErrorRatePercent, "%", why, since, until));
        }
        rows.Add(latency.P95);

        // Queue SLA: BullMQ's completed and failed sets in Redis.
        if (env.Queues is not { Names.Count: > 0 } queues || queues.Source != "bullmq")
            rows.Add(KpiReport.Unknown(KpiReport.QueueSlaName, k.QueueSlaPercent, "%", "queues: with source bullmq and names in the config", since, until));
        else if (env.Redis is not { } redis)
            rows.Add(KpiReport.Unknown(KpiReport.QueueSlaName, k.QueueSlaPercent, "%", "redis: in the config (BullMQ keeps its jobs there)", since, until));
        else
        {
            var source = $"bullmq {RedisInfoReaderDescribe(redis)} {queues.Prefix}:{{{string.Join(",", queues.Names)}}}";
            try
            {
                var q = await QueueSla.MeasureAsync(redis, queues, TimeSpan.FromSeconds(k.QueueSlaSeconds), since, timeout, ct).ConfigureAwait(false);
                rows.Add(KpiReport.FromQueueSla(q, k, source, since, until));
            }
            catch (OpsException e) { rows.Add(KpiReport.Unknown(KpiReport.QueueSlaName, k.QueueSlaPercent, "%", $"{source}: {e.Message}", since, until)); }
        }

        rows.Add(latency.Errors);

        // Cost per active user: the payments issue's Get-OpsCostReport (issue 13).
        rows.Add(KpiReport.Unknown(KpiReport.CostPerUser, (double)k.CostPerUser, "$", "the cost report (Get-OpsCostReport, issue 13) is not in this build", since, until));
        return rows;
    }

    private static string RedisInfoReaderDescribe(RedisConfig cfg) => Data.RedisConnector.Describe(cfg);
}
