using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Health.Probes;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.State;

namespace OpsRunbook.Core.Performance;

/// <summary>Asks each KPI's source; every failure or gap becomes an Unknown row naming what is missing.</summary>
public static class KpiSources
{
    public static async Task<IReadOnlyList<KpiResult>> MeasureAsync(EnvironmentConfig env, DateTimeOffset since, DateTimeOffset until, TimeSpan timeout, IOpsReporter reporter, CancellationToken ct)
    {
        var k = env.Kpi;
        var rows = new List<KpiResult>();

        // Uptime: the health history in the state store, as Measure-OpsAvailability computes it (issue 11).
        rows.Add(await UptimeAsync(env, k, since, until, ct).ConfigureAwait(false));

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
        rows.Add(await CostPerUserAsync(env, k, until, ct).ConfigureAwait(false));
        return rows;
    }

    /// <summary>Cost per active user of the last complete month before <paramref name="until"/>, as Get-OpsCostReport -By Service sums it.</summary>
    public static async Task<KpiResult> CostPerUserAsync(EnvironmentConfig env, KpiConfig k, DateTimeOffset until, CancellationToken ct)
    {
        var first = Payments.CostReport.LastCompleteMonth(until);
        var since = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = since.AddMonths(1);
        var target = (double)k.CostPerUser;
        if (env.Postgres is not { } pg)
            return KpiReport.Unknown(KpiReport.CostPerUser, target, "$", "postgres: in the config (Get-OpsCostReport reads cost_tracking there)", since, end);
        List<Payments.CostReportRow> rows;
        try { rows = await Payments.CostReport.GetAsync(pg, first, Payments.CostReportGrouping.Service, ct).ConfigureAwait(false); }
        catch (OpsException e) { return KpiReport.Unknown(KpiReport.CostPerUser, target, "$", $"Get-OpsCostReport {first:yyyy-MM}: {e.Message}", since, end); }
        if (rows.Count == 0 || rows[0].ActiveUsers == 0)
            return KpiReport.Unknown(KpiReport.CostPerUser, target, "$", $"Get-OpsCostReport {first:yyyy-MM}: no cost_tracking rows or no active users in that month", since, end);
        var perUser = (double)Payments.CostReport.PerUser(rows.Sum(r => r.TotalCost), rows[0].ActiveUsers);
        return KpiReport.Row(KpiReport.CostPerUser, perUser, target, "$", perUser < target, null, null,
            $"Get-OpsCostReport {first:yyyy-MM} (cost_tracking, {rows[0].ActiveUsers} active users)",
            $"${rows.Sum(r => r.TotalCost):0.00} over {rows[0].ActiveUsers} active users in {first:yyyy-MM}", since, end);
    }

    /// <summary>The lowest time-weighted availability of the Service checks recorded by Get-OpsHealth -Record: the platform is up when every service is.</summary>
    public static async Task<KpiResult> UptimeAsync(EnvironmentConfig env, KpiConfig k, DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        List<AvailabilityResult> series;
        try
        {
            await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
            series = await AvailabilityCalculator.MeasureAsync(store, new HealthHistoryQuery { Environment = env.Name, Check = [ServiceProbe.Check], Since = since, Until = until }, null, ct).ConfigureAwait(false);
        }
        catch (OpsException e) { return KpiReport.Unknown(KpiReport.Uptime, k.UptimePercent, "%", $"the health history (state store): {e.Message}", since, until); }
        var known = series.Where(s => s.Availability is not null).ToList();
        if (known.Count == 0)
            return KpiReport.Unknown(KpiReport.Uptime, k.UptimePercent, "%",
                $"no Service results of '{env.Name}' in the health history for the window (record them with Get-OpsHealth -Record)", since, until);
        var worst = known.MinBy(s => s.Availability!.Value)!;
        return KpiReport.FromGoodShare(KpiReport.Uptime, worst.Availability!.Value, k.UptimePercent,
            $"health history (Measure-OpsAvailability, Service/{worst.Target})",
            $"lowest service availability {worst.AvailabilityPercent}% ({worst.Target}, {worst.DowntimeMinutes:0.#} min down); " +
            string.Join(", ", known.Select(s => $"{s.Target} {s.AvailabilityPercent}%")), since, until);
    }

    private static string RedisInfoReaderDescribe(RedisConfig cfg) => Data.RedisConnector.Describe(cfg);
}
