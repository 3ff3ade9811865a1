using System.Globalization;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Logs;
using OpsRunbook.Core.Metrics;
using OpsRunbook.Core.Payments;
using OpsRunbook.Core.Performance;
using OpsRunbook.Core.Postgres;
using OpsRunbook.Core.Text;

namespace OpsRunbook.Core.Reports;

/// <summary>Gathers a report's figures from the same cores the cmdlets use; a source that is missing or fails becomes a note, not an error.</summary>
public static class ReportBuilder
{
    private static string F(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);

    public static async Task<OpsReport> BuildAsync(ReportKind kind, EnvironmentConfig env, DateTimeOffset since, DateTimeOffset until, TimeSpan timeout, IOpsReporter reporter, CancellationToken ct)
    {
        var sections = kind switch
        {
            ReportKind.Kpi => await KpiSectionsAsync(env, since, until, timeout, reporter, ct).ConfigureAwait(false),
            ReportKind.WeeklyPerformance => await WeeklySectionsAsync(env, since, until, timeout, reporter, ct).ConfigureAwait(false),
            _ => await CostSectionsAsync(env, CostReport.LastCompleteMonth(until), ct).ConfigureAwait(false),
        };
        var title = kind switch { ReportKind.Kpi => "KPI report", ReportKind.WeeklyPerformance => "Weekly performance review", _ => "Monthly cost review" };
        return new OpsReport(kind, title, env.Name, until, since, sections);
    }

    public static ReportSection KpiSection(IReadOnlyList<KpiResult> kpis)
    {
        var withBudget = kpis.Where(k => k.ErrorBudgetRemaining is not null).ToList();
        var svg = withBudget.Count == 0 ? null : SvgChart.Bars("Error budget left (%)", withBudget.Select(k => (k.Name, Math.Max(0, Math.Round(k.ErrorBudgetRemaining!.Value * 100, 2)))).ToList(), "%");
        var rows = kpis.Select(k => new[]
        {
            k.Name, k.Value is { } v ? $"{F(v, "0.####")} {k.Unit}" : "", $"{F(k.Target, "0.####")} {k.Unit}", k.Status.ToString(),
            k.ErrorBudgetRemaining is { } b ? F(b * 100, "0.#") + " %" : "", k.BurnRate is { } br ? F(br) + "x" : "", k.Source,
        }).ToList();
        var unknown = kpis.Where(k => k.Status == KpiStatus.Unknown).Select(k => $"{k.Name}: {k.Source.Replace("missing: ", "", StringComparison.Ordinal)}").ToList();
        return new ReportSection("KPIs against their targets", svg, ["KPI", "Value", "Target", "Status", "Budget left", "Burn rate", "Source"], rows,
            unknown.Count > 0 ? "Unknown: " + string.Join("; ", unknown) : null);
    }

    private static async Task<List<ReportSection>> KpiSectionsAsync(EnvironmentConfig env, DateTimeOffset since, DateTimeOffset until, TimeSpan timeout, IOpsReporter reporter, CancellationToken ct)
        => [KpiSection(await KpiSources.MeasureAsync(env, since, until, timeout, reporter, ct).ConfigureAwait(false))];

    public static ReportSection LatencySection(IReadOnlyList<ApiMetric> rows, double targetMs, string? note = null)
    {
        var timed = rows.Where(r => r.P95Ms is not null).ToList();
        var svg = timed.Count == 0 ? null : SvgChart.Bars("p95 per endpoint (ms)", timed.Select(r => ($"{r.Method} {r.Route}", Math.Round(r.P95Ms!.Value, 1))).ToList(), "ms", targetMs);
        return new ReportSection("Latency per endpoint", svg, ["Endpoint", "Requests", "Error %", "p50 ms", "p95 ms", "p99 ms"],
            rows.Select(r => new[] { $"{r.Method} {r.Route}", F(r.Requests, "N0"), r.ErrorRate is { } e ? F(e * 100, "0.###") : "", Ms(r.P50Ms), Ms(r.P95Ms), Ms(r.P99Ms) }).ToList(),
            note ?? (rows.Count > 0 ? $"Source: {rows[0].Source}." : null));
        static string Ms(double? v) => v is { } x ? F(x, "0.#") : "";
    }

    public static ReportSection RequestsSection(IReadOnlyList<AccessLogSummary> hours, string source)
    {
        var points = new List<(DateTimeOffset, double)>();
        foreach (var h in hours)
            if (DateTimeOffset.TryParse(h.Key, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) points.Add((t, h.Requests));
        return new ReportSection("Requests per hour", points.Count == 0 ? null : SvgChart.Line("Requests per hour", points, "requests"), [], [],
            points.Count == 0 ? $"Unknown: no requests in {source} in the window." : $"Source: {source}, {points.Count} hours, {points.Sum(p => p.Item2):N0} requests.");
    }

    private static ReportSection Missing(string title, string why) => new(title, null, [], [], "Unknown: " + why);

    private static async Task<List<ReportSection>> WeeklySectionsAsync(EnvironmentConfig env, DateTimeOffset since, DateTimeOffset until, TimeSpan timeout, IOpsReporter reporter, CancellationToken ct)
    {
        var s = new List<ReportSection>();
        // p95 per endpoint: Prometheus over the window, else the API's /metrics.
        try
        {
            IReadOnlyList<ApiMetric> m = env.Prometheus is { Url.Length: > 0 } p
                ? await ApiMetricReader.FromPrometheusAsync(p.Url, env.Kpi.Metric, until - since, timeout, ct, until).ConfigureAwait(false)
                : env.Api is { } api ? await ApiMetricReader.FromUrlAsync(api.MetricsEndpoint(), env.Kpi.Metric, timeout, ct).ConfigureAwait(false)
                : throw new OpsException(ErrorIds.ConfigMetricsUrlMissing, "neither prometheus.url nor api: in the config.");
            s.Add(LatencySection(m, env.Kpi.P95Ms));
        }
        catch (OpsException e) { s.Add(Missing("Latency per endpoint", e.Message)); }

        // Requests per hour: the access log through the one log reader.
        if (env.Logs is { } logs)
        {
            try
            {
                var r = AccessLogAnalyzer.Measure(new AccessLogOptions
                {
                    Read = new LogReadOptions { Paths = [logs.AccessPath], Since = since, Until = until }, GroupBy = AccessLogGroupBy.Hour,
                    Format = string.IsNullOrEmpty(logs.AccessFormat) ? null : logs.AccessFormat, EndpointRules = logs.EndpointRules,
                }, reporter, _ => { }, ct);
                s.Add(RequestsSection(r.Summaries, $"access log {logs.AccessPath}"));
            }
            catch (OpsException e) { s.Add(Missing("Requests per hour", e.Message)); }
        }
        else s.Add(Missing("Requests per hour", "no logs: section in the config."));

        // Slow queries and table sizes (pg_stat_statements, pg_class).
        if (env.Postgres is { } pg)
        {
            try
            {
                var q = await DbStatements.GetSlowQueriesAsync(pg, 0, 10, false, ct).ConfigureAwait(false);
                s.Add(new ReportSection("Slowest queries (mean time)", null, ["Query", "Calls", "Mean ms", "Max ms", "Total ms"],
                    q.Select(x => new[] { x.Query.Length > 120 ? x.Query[..117] + "..." : x.Query, F(x.Calls, "N0"), F(x.MeanTimeMs, "0.##"), F(x.MaxTimeMs, "0.##"), F(x.TotalTimeMs, "0.#") }).ToList(),
                    q.Count == 0 ? "No statements recorded by pg_stat_statements." : null));
            }
            catch (OpsException e) { s.Add(Missing("Slowest queries (mean time)", e.Message)); }
            try
            {
                var t = (await DbTables.GetTablesAsync(pg, null, ct).ConfigureAwait(false)).OrderByDescending(x => x.SizeBytes).Take(10).ToList();
                s.Add(new ReportSection("Largest tables", null, ["Table", "Total", "Table", "Indexes", "Live rows", "Dead %"],
                    t.Select(x => new[] { x.Table, ByteSize.Format(x.SizeBytes), ByteSize.Format(x.TableBytes), ByteSize.Format(x.IndexBytes), F(x.LiveTuples, "N0"), F(x.DeadRatio * 100, "0.#") }).ToList()));
            }
            catch (OpsException e) { s.Add(Missing("Largest tables", e.Message)); }
        }
        else
        {
            s.Add(Missing("Slowest queries (mean time)", "no postgres: section in the config."));
            s.Add(Missing("Largest tables", "no postgres: section in the config."));
        }

        // Redis hit ratio.
        if (env.Redis is { } redis)
        {
            try
            {
                var i = await RedisInfoReader.ReadAsync(redis, ["stats", "memory", "clients"], timeout, ct).ConfigureAwait(false);
                s.Add(new ReportSection("Redis", null, ["Hit ratio", "Hits", "Misses", "Evicted", "Used memory", "Fragmentation", "Clients"],
                    [[i.HitRatio is { } h ? F(h * 100, "0.##") + " %" : "", F(i.KeyspaceHits ?? 0, "N0"), F(i.KeyspaceMisses ?? 0, "N0"), F(i.EvictedKeys ?? 0, "N0"),
                      i.UsedMemoryBytes is { } u ? ByteSize.Format(u) : "", i.FragmentationRatio is { } fr ? F(fr) : "", F(i.ConnectedClients ?? 0, "N0")]]));
            }
            catch (OpsException e) { s.Add(Missing("Redis", e.Message)); }
        }
        else s.Add(Missing("Redis", "no redis: section in the config."));
        return s;
    }

    /// <summary>
    /// The monthly cost review: cost per service and per tier as bars, and cost per active user (overall and per tier)
    /// against kpi.costPerUser, all from Get-OpsCostReport's core for the last complete month.
    /// </summary>
    private static async Task<List<ReportSection>> CostSectionsAsync(EnvironmentConfig env, DateOnly month, CancellationToken ct)
    {
        var m = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        if (env.Postgres is not { } pg)
            return [Missing("Cost per service", "no postgres: section in the config (Get-OpsCostReport reads cost_tracking there).")];
        List<ServiceCost> services; List<TierCost> tiers;
        try
        {
            services = (await CostReport.GetAsync(pg, month, CostReportGrouping.Service, ct).ConfigureAwait(false)).Cast<ServiceCost>().ToList();
            tiers = (await CostReport.GetAsync(pg, month, CostReportGrouping.Tier, ct).ConfigureAwait(false)).Cast<TierCost>().ToList();
        }
        catch (OpsException e) { return [Missing("Cost per service", $"Get-OpsCostReport -Month {m}: {e.Message}")]; }
        if (services.Count == 0)
            return [Missing("Cost per service", $"Get-OpsCostReport -Month {m}: no cost_tracking rows in that month.")];
        return CostSections(m, services, tiers, (double)env.Kpi.CostPerUser);
    }

    public static List<ReportSection> CostSections(string month, IReadOnlyList<ServiceCost> services, IReadOnlyList<TierCost> tiers, double targetPerUser)
    {
        static string D(decimal v) => "$" + v.ToString("0.00##", CultureInfo.InvariantCulture);
        var total = services.Sum(x => x.TotalCost);
        var active = services.Count > 0 ? services[0].ActiveUsers : 0;
        var perUser = CostReport.PerUser(total, active);
        var s = new List<ReportSection>
        {
            new("Cost per service", SvgChart.Bars($"Cost per service, {month} ($)", services.Select(x => (x.Service, (double)Math.Round(x.TotalCost, 2))).ToList(), "$"),
                ["Service", "API calls", "Total", "Average per call", "Share"],
                services.Select(x => new[] { x.Service, F(x.ApiCalls, "N0"), D(x.TotalCost), D(x.AvgCost), total == 0 ? "" : F((double)(x.TotalCost / total) * 100, "0.#") + " %" }).ToList(),
                $"Source: Get-OpsCostReport -Month {month} -By Service (cost_tracking). Total {D(total)}."),
            new("Cost per tier", tiers.Count == 0 ? null : SvgChart.Bars($"Cost per tier, {month} ($)", tiers.Select(x => (x.Tier, (double)Math.Round(x.TotalCost, 2))).ToList(), "$"),
                ["Tier", "Users with cost", "API calls", "Total", "Per user"],
                tiers.Select(x => new[] { x.Tier, F(x.Users, "N0"), F(x.ApiCalls, "N0"), D(x.TotalCost), D(x.AvgCostPerUser) }).ToList(),
                tiers.Count == 0 ? "No cost_tracking row of that month belongs to a user." : $"Source: Get-OpsCostReport -Month {month} -By Tier."),
        };
        var bars = new List<(string, double)> { ("All active users", (double)perUser) };
        bars.AddRange(tiers.Select(x => (x.Tier, (double)x.AvgCostPerUser)));
        s.Add(new ReportSection("Cost per active user against the target",
            SvgChart.Bars($"Cost per user, {month} ($, target {targetPerUser.ToString("0.##", CultureInfo.InvariantCulture)})", bars, "$", targetPerUser),
            ["Active users", "Total", "Cost per active user", "Target", "Status"],
            [[F(active, "N0"), D(total), D(perUser), "$" + targetPerUser.ToString("0.00##", CultureInfo.InvariantCulture), active == 0 ? "Unknown" : (double)perUser < targetPerUser ? "Met" : "Missed"]],
            active == 0 ? "Unknown: no active users (user_activity) in that month." : $"Active users: distinct user_activity.user_id in {month}; the dashed line is kpi.costPerUser. AWS's own figures: Get-OpsAwsCost."));
        return s;
    }
}
