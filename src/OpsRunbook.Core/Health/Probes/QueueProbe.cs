using System.Net.Http;
using System.Text.Json;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;
using StackExchange.Redis;

namespace OpsRunbook.Core.Health.Probes;

/// <summary>Job counts of one queue, by state, as BullMQ's getJobCounts names them (Waiting excludes Prioritized).</summary>
public sealed record QueueCounts(string Queue, long Waiting, long Active, long Delayed, long Failed, long Completed, long Prioritized, long Paused, bool IsPaused);

/// <summary>
/// The Queue family: waiting, active, delayed and failed counts per queue, straight from BullMQ's Redis keys
/// (source: bullmq) or from the API's GET /api/admin/queues/stats (source: api).
/// </summary>
public static class QueueProbe
{
    public const string Check = "Queue";

    public static Task<IReadOnlyList<HealthCheckResult>> CheckAsync(EnvironmentConfig env, CancellationToken ct)
    {
        var q = env.Require(e => e.Queues, "queues");
        if (q.Source == "api")
        {
            var api = env.Require(e => e.Api, "api");
            return HealthProbe.ManyAsync(Check, "api", async t => Judge(await FromApiAsync(api, q.Names, t).ConfigureAwait(false), env.Thresholds), ct);
        }
        var redis = env.Require(e => e.Redis, "redis");
        if (q.Names.Count == 0)
            throw new OpsException(ErrorIds.ConfigInvalid, $"Environment '{env.Name}': queues.names is empty; list the BullMQ queues to check.", env.Name,
                "Add the queue names under queues.names.");
        return HealthProbe.ManyAsync(Check, string.Join(",", q.Names), async t => Judge(await FromBullMqAsync(redis, q.Prefix, q.Names, t).ConfigureAwait(false), env.Thresholds), ct);
    }

    public static IReadOnlyList<HealthCheckResult> Judge(IReadOnlyList<QueueCounts> counts, ThresholdsConfig th) => counts.Select(c =>
    {
        var depth = c.Waiting + c.Prioritized; // every job ready to run
        var status = HealthProbe.Judge(depth, th.QueueDepthWarn, th.QueueDepthCritical);
        if (status == HealthStatus.Healthy && c.Failed >= th.QueueFailedWarn) status = HealthStatus.Warning;
        if (status == HealthStatus.Healthy && c.IsPaused && depth > 0) status = HealthStatus.Warning;
        var r = new HealthCheckResult
        {
            Target = c.Queue, Status = status, Value = depth, Unit = "jobs waiting",
            Threshold = HealthProbe.ThresholdText(th.QueueDepthWarn, th.QueueDepthCritical, "") + $" waiting (incl. prioritized); warn >= {th.QueueFailedWarn} failed",
            WarnAt = th.QueueDepthWarn, CriticalAt = th.QueueDepthCritical,
            Message = $"{c.Waiting} waiting" + (c.Prioritized > 0 ? $" + {c.Prioritized} prioritized" : "") + $", {c.Active} active, {c.Delayed} delayed, {c.Failed} failed, {c.Completed} completed" + (c.IsPaused ? " (queue paused)." : "."),
        };
        r.AddDetail("waiting", c.Waiting).AddDetail("active", c.Active).AddDetail("delayed", c.Delayed).AddDetail("failed", c.Failed)
         .AddDetail("completed", c.Completed).AddDetail("prioritized", c.Prioritized).AddDetail("paused", c.IsPaused ? 1 : 0);
        return r;
    }).ToList();

    /// <summary>
    /// Reads BullMQ's keys: {prefix}:{queue}:wait and :paused (lists; a trailing "0:" marker entry from
    /// BullMQ 4 is not a job), :active (list), :prioritized, :delayed, :failed, :completed (sorted sets),
    /// :meta (hash; paused=1 when the queue is paused). Waiting = wait + paused lists, as BullMQ's getJobCounts counts it.
    /// </summary>
    public static async Task<IReadOnlyList<QueueCounts>> FromBullMqAsync(RedisConfig cfg, string prefix, IReadOnlyList<string> names, CancellationToken ct)
    {
        return await HealthRunScope.WithRedisAsync(cfg, mux => CountAsync(mux, prefix, names, ct), ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<QueueCounts>> CountAsync(ConnectionMultiplexer mux, string prefix, IReadOnlyList<string> names, CancellationToken ct)
    {
        var db = mux.GetDatabase();
        var batch = db.CreateBatch();
        var pending = names.Select(n =>
        {
            RedisKey K(string s) => $"{prefix}:{n}:{s}";
            return (Name: n,
                Wait: batch.ListLengthAsync(K("wait")), WaitLast: batch.ListGetByIndexAsync(K("wait"), -1),
                Paused: batch.ListLengthAsync(K("paused")), PausedLast: batch.ListGetByIndexAsync(K("paused"), -1),
                Active: batch.ListLengthAsync(K("active")),
                Prioritized: batch.SortedSetLengthAsync(K("prioritized")),
                Delayed: batch.SortedSetLengthAsync(K("delayed")),
                Failed: batch.SortedSetLengthAsync(K("failed")),
                Completed: batch.SortedSetLengthAsync(K("completed")),
                MetaPaused: batch.HashGetAsync(K("meta"), "paused"));
        }).ToList();
        batch.Execute();
        var all = pending.SelectMany(p => new Task[] { p.Wait, p.WaitLast, p.Paused, p.PausedLast, p.Active, p.Prioritized, p.Delayed, p.Failed, p.Completed, p.MetaPaused });
        await Task.WhenAll(all).WaitAsync(ct).ConfigureAwait(false);
        return pending.Select(p =>
        {
            static long Jobs(long len, RedisValue last) => len > 0 && last.HasValue && ((string?)last)!.StartsWith("0:", StringComparison.Ordinal) ? len - 1 : len;
            var wait = Jobs(p.Wait.Result, p.WaitLast.Result);
            var paused = Jobs(p.Paused.Result, p.PausedLast.Result);
            var isPaused = p.MetaPaused.Result == "1" || paused > 0;
            return new QueueCounts(p.Name, wait + paused, p.Active.Result, p.Delayed.Result, p.Failed.Result, p.Completed.Result,
                p.Prioritized.Result, paused, isPaused);
        }).ToList();
    }

    /// <summary>GET {api.baseUrl}/api/admin/queues/stats: {"queue": {"waiting":n,"active":n,"delayed":n,"failed":n,...}}.</summary>
    public static async Task<IReadOnlyList<QueueCounts>> FromApiAsync(ApiConfig api, IReadOnlyList<string> names, CancellationToken ct)
    {
        var url = api.BaseUrl.TrimEnd('/') + "/api/admin/queues/stats";
        using var response = await Net.OpsHttp.Shared.GetAsync(url, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new OpsException(ErrorIds.QueueStatsFailed, $"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}.", url);
        using var doc = JsonDocument.Parse(body);
        var list = new List<QueueCounts>();
        foreach (var q in doc.RootElement.EnumerateObject())
        {
            if (names.Count > 0 && !names.Contains(q.Name, StringComparer.Ordinal)) continue;
            long N(string k) => q.Value.TryGetProperty(k, out var v) && v.TryGetInt64(out var n) ? n : 0;
            list.Add(new QueueCounts(q.Name, N("waiting") + N("paused"), N("active"), N("delayed"), N("failed"), N("completed"), N("prioritized"), N("paused"), N("paused") > 0));
        }
        foreach (var missing in names.Where(n => list.All(c => c.Queue != n)))
            throw new OpsException(ErrorIds.QueueNotFound, $"GET {url} does not list queue '{missing}'.", missing);
        return list;
    }
}
