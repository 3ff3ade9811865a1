using System.Text.Json;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;
using StackExchange.Redis;

namespace OpsRunbook.Core.Operations;

/// <summary>A BullMQ job in a queue's failed set.</summary>
public sealed record FailedJob
{
    public string Environment { get; init; } = "";
    public string Queue { get; init; } = "";
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? FailedReason { get; init; }
    public int AttemptsMade { get; init; }
    /// <summary>When the job was added (BullMQ's timestamp).</summary>
    public DateTimeOffset? Timestamp { get; init; }
    public DateTimeOffset? ProcessedOn { get; init; }
    /// <summary>When it failed (BullMQ's finishedOn).</summary>
    public DateTimeOffset? FinishedOn { get; init; }
    /// <summary>Where it was read: bullmq (Redis) or api.</summary>
    public string Source { get; init; } = "";
}

/// <summary>What Restart-OpsFailedJob did with one job.</summary>
public sealed record FailedJobRetry(string Queue, string Id, string Name, string Result, string Message);

/// <summary>
/// Failed BullMQ jobs: read from Redis ({prefix}:{queue}:failed, a sorted set by finishedOn, and each job's hash) or from
/// the admin API's GET /api/admin/queues/failed; retried with BullMQ's own reprocessJob script, as job.retry() does.
/// </summary>
public static class FailedJobs
{
    public static async Task<IReadOnlyList<FailedJob>> ListAsync(EnvironmentConfig env, IReadOnlyList<string>? queues, int first, TimeSpan timeout, CancellationToken ct)
    {
        var q = env.Require(e => e.Queues, "queues");
        var names = Names(env, q, queues);
        if (q.Source == "api") return await FromApiAsync(env, names, first, timeout, ct).ConfigureAwait(false);
        var redis = env.Require(e => e.Redis, "redis");
        // One bound for the whole listing: connect and every command share it, so a Redis that answers slowly costs -Timeout, not -Timeout per call.
        var left = Budget(timeout);
        await using var mux = await RedisConnector.ConnectAsync(redis, left(), ct).ConfigureAwait(false);
        var db = mux.GetDatabase();
        var jobs = new List<FailedJob>();
        foreach (var name in names)
        {
            var ids = await RedisConnector.Bounded(db.SortedSetRangeByRankAsync($"{q.Prefix}:{name}:failed", 0, first - 1, Order.Descending), left(), RedisConnector.Describe(redis), ct).ConfigureAwait(false);
            foreach (var id in ids)
            {
                var hash = await RedisConnector.Bounded(db.HashGetAllAsync($"{q.Prefix}:{name}:{id}"), left(), RedisConnector.Describe(redis), ct).ConfigureAwait(false);
                var f = hash.ToDictionary(h => (string)h.Name!, h => (string?)h.Value, StringComparer.Ordinal);
                jobs.Add(new FailedJob
                {
                    Environment = env.Name, Queue = name, Id = id!, Name = f.GetValueOrDefault("name") ?? "", FailedReason = f.GetValueOrDefault("failedReason"),
                    AttemptsMade = int.TryParse(f.GetValueOrDefault("atm") ?? f.GetValueOrDefault("attemptsMade"), out var a) ? a : 0,
                    Timestamp = Ms(f.GetValueOrDefault("timestamp")), ProcessedOn = Ms(f.GetValueOrDefault("processedOn")), FinishedOn = Ms(f.GetValueOrDefault("finishedOn")),
                    Source = "bullmq",
                });
            }
        }
        return jobs;
    }

    /// <summary>
    /// Moves failed jobs back to wait with BullMQ's reprocessJob script (what job.retry('failed') runs). A job that is
    /// gone or no longer failed is reported, not an error. Only for source: bullmq (the admin API has no retry call).
    /// </summary>
    public static async Task<IReadOnlyList<FailedJobRetry>> RetryAsync(EnvironmentConfig env, IReadOnlyList<(string Queue, string Id)> jobs, bool resetAttempts,
        TimeSpan timeout, CancellationToken ct)
    {
        var q = env.Require(e => e.Queues, "queues");
        if (q.Source != "bullmq")
            throw new OpsException(ErrorIds.FailedJobRetryUnsupported, $"Environment '{env.Name}' reads its queues from the admin API (queues.source: api), which has no retry call.",
                env.Name, "Give the environment redis: and queues.source: bullmq (the prefix of the app's BullMQ), or retry from the app's admin UI.");
        var redis = env.Require(e => e.Redis, "redis");
        var left = Budget(timeout);
        await using var mux = await RedisConnector.ConnectAsync(redis, left(), ct).ConfigureAwait(false);
        var db = mux.GetDatabase();
        var results = new List<FailedJobRetry>();
        foreach (var (queue, id) in jobs)
        {
            RedisKey K(string s) => $"{q.Prefix}:{queue}:{s}";
            var hash = await RedisConnector.Bounded(db.HashGetAsync(K(id), ["name", "opts"]), left(), RedisConnector.Describe(redis), ct).ConfigureAwait(false);
            var name = (string?)hash[0] ?? "";
            var lifo = hash[1].HasValue && IsLifo((string)hash[1]!);
            RedisKey[] keys = [K(id), K("events"), K("failed"), K("wait"), K("meta"), K("active"), K("marker"), K("prioritized"), K("pc")];
            RedisValue[] args = [id, lifo ? "RPUSH" : "LPUSH", "failedReason", "failed", resetAttempts ? "1" : "0", "0"];
            var code = (int)await RedisConnector.Bounded(db.ScriptEvaluateAsync(BullMqScripts.ReprocessJob, keys, args), left(), RedisConnector.Describe(redis), ct).ConfigureAwait(false);
            results.Add(code switch
            {
                1 => new FailedJobRetry(queue, id, name, "Retried", "Moved back to wait; a worker will pick it up."),
                -1 => new FailedJobRetry(queue, id, name, "NotFound", "The job no longer exists (removed, or kept only removeOnFail jobs)."),
                _ => new FailedJobRetry(queue, id, name, "NotFailed", "The job is not in the failed set any more (already retried or running)."),
            });
        }
        return results;
    }

    /// <summary>What is left of <paramref name="timeout"/> since this call (at least 1 ms, so the next bounded call fails at once).</summary>
    private static Func<TimeSpan> Budget(TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return () => timeout - clock.Elapsed is var l && l > TimeSpan.Zero ? l : TimeSpan.FromMilliseconds(1);
    }

    private static bool IsLifo(string optsJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(optsJson);
            return doc.RootElement.TryGetProperty("lifo", out var l) && l.ValueKind == JsonValueKind.True;
        }
        catch (JsonException) { return false; }
    }

    private static IReadOnlyList<string> Names(EnvironmentConfig env, QueuesConfig q, IReadOnlyList<string>? asked)
    {
        if (asked is { Count: > 0 }) return asked;
        if (q.Names.Count == 0)
            throw new OpsException(ErrorIds.ConfigInvalid, $"Environment '{env.Name}': queues.names is empty; list the BullMQ queues, or give -Queue.", env.Name,
                "Add the queue names under queues.names.");
        return q.Names;
    }

    private static DateTimeOffset? Ms(string? v) => long.TryParse(v, out var ms) && ms > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>GET {api.baseUrl}/api/admin/queues/failed: {"queue": [{"id","name","failedReason","attemptsMade","timestamp"}]}.</summary>
    private static async Task<IReadOnlyList<FailedJob>> FromApiAsync(EnvironmentConfig env, IReadOnlyList<string> names, int first, TimeSpan timeout, CancellationToken ct)
    {
        var api = env.Require(e => e.Api, "api");
        var url = api.BaseUrl.TrimEnd('/') + "/api/admin/queues/failed";
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(timeout);
        string body;
        try
        {
            using var response = await Net.OpsHttp.Shared.GetAsync(url, bound.Token).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(bound.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new OpsException(ErrorIds.QueueStatsFailed, $"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}.", url);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new OpsException(ErrorIds.QueueStatsFailed, $"GET {url} did not answer within {timeout.TotalSeconds:0.#} s.", url, "Check the API, or raise -Timeout.");
        }
        catch (HttpRequestException e)
        {
            throw new OpsException(ErrorIds.QueueStatsFailed, $"GET {url} failed: {e.Message}", url, "Check that the API is up and api.baseUrl is right.", e);
        }
        var jobs = new List<FailedJob>();
        try
        {
            using var doc = JsonDocument.Parse(body);
            foreach (var name in names)
            {
                if (!doc.RootElement.TryGetProperty(name, out var list))
                    throw new OpsException(ErrorIds.QueueNotFound, $"GET {url} does not list queue '{name}'.", name);
                foreach (var j in list.EnumerateArray().Take(first))
                {
                    string? S(string k) => j.TryGetProperty(k, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : null;
                    jobs.Add(new FailedJob
                    {
                        Environment = env.Name, Queue = name, Id = S("id") ?? "", Name = S("name") ?? "", FailedReason = S("failedReason"),
                        AttemptsMade = int.TryParse(S("attemptsMade"), out var a) ? a : 0, Timestamp = Ms(S("timestamp")),
                        ProcessedOn = Ms(S("processedOn")), FinishedOn = Ms(S("finishedOn")), Source = "api",
                    });
                }
            }
        }
        catch (JsonException e)
        {
            throw new OpsException(ErrorIds.QueueStatsFailed, $"GET {url} did not answer JSON: {e.Message}", url);
        }
        return jobs;
    }
}
