using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Operations;
using StackExchange.Redis;

namespace OpsRunbook.Core.Tests.Operations;

/// <summary>
/// Failed jobs laid out in the sandbox Redis as BullMQ 6 writes them (a job hash, the failed sorted set scored by
/// finishedOn), under a prefix of their own. The real bullmq package is exercised by the Pester test; this one pins the
/// key layout and what BullMQ's reprocessJob script does with it.
/// </summary>
public sealed class FailedJobsTests : IAsyncLifetime
{
    private readonly string _prefix = $"fj{Guid.NewGuid():N}"[..12];
    private EnvironmentConfig _env = null!;
    private ConnectionMultiplexer _mux = null!;

    public async Task InitializeAsync()
    {
        _env = Sandbox.Environment();
        _env.Queues = new QueuesConfig { Source = "bullmq", Prefix = _prefix, Names = ["media"] };
        _mux = await RedisConnector.ConnectAsync(_env.Redis!, TimeSpan.FromSeconds(5), CancellationToken.None);
        var db = _mux.GetDatabase();
        for (var id = 1; id <= 3; id++)
        {
            await db.HashSetAsync($"{_prefix}:media:{id}", [
                new("name", "resize"), new("data", "{\"secret\":\"x\"}"), new("opts", id == 3 ? "{\"lifo\":true}" : "{\"attempts\":1}"),
                new("timestamp", 1_764_000_000_000 + id), new("processedOn", 1_764_000_001_000 + id), new("finishedOn", 1_764_000_002_000 + id),
                new("failedReason", $"boom {id}"), new("atm", 1)]);
            await db.SortedSetAddAsync($"{_prefix}:media:failed", id.ToString(), 1_764_000_002_000 + id);
        }
        await db.ListRightPushAsync($"{_prefix}:media:wait", "9");
    }

    public async Task DisposeAsync()
    {
        var server = _mux.GetServers()[0];
        var db = _mux.GetDatabase();
        await foreach (var key in server.KeysAsync(pattern: $"{_prefix}:*")) await db.KeyDeleteAsync(key);
        await _mux.DisposeAsync();
    }

    [Fact]
    public async Task Lists_newest_failure_first_with_reason_attempts_and_times_and_never_the_data()
    {
        var jobs = await FailedJobs.ListAsync(_env, null, 2, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(["3", "2"], jobs.Select(j => j.Id));
        Assert.Equal("boom 3", jobs[0].FailedReason);
        Assert.Equal(1, jobs[0].AttemptsMade);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_002_003), jobs[0].FinishedOn);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_003), jobs[0].Timestamp);
        Assert.DoesNotContain(typeof(FailedJob).GetProperties(), p => p.Name.Contains("Data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_moves_the_job_to_wait_clears_the_failure_and_honours_lifo_and_reports_what_it_could_not_retry()
    {
        var r = await FailedJobs.RetryAsync(_env, [("media", "1"), ("media", "3"), ("media", "1"), ("media", "42")], resetAttempts: true,
            TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(["Retried", "Retried", "NotFailed", "NotFound"], r.Select(x => x.Result));
        var db = _mux.GetDatabase();
        Assert.Equal(["2"], (await db.SortedSetRangeByRankAsync($"{_prefix}:media:failed")).Select(v => (string)v!));
        // BullMQ takes jobs from the right of wait: LPUSH puts job 1 behind the waiting job 9, RPUSH (lifo) puts job 3 in front.
        Assert.Equal(["1", "9", "3"], (await db.ListRangeAsync($"{_prefix}:media:wait")).Select(v => (string)v!));
        var h = (await db.HashGetAllAsync($"{_prefix}:media:1")).ToDictionary(e => (string)e.Name!, e => (string)e.Value!);
        Assert.False(h.ContainsKey("failedReason"));
        Assert.False(h.ContainsKey("finishedOn"));
        Assert.False(h.ContainsKey("atm"));
        Assert.Equal("resize", h["name"]);
        var events = await db.StreamRangeAsync($"{_prefix}:media:events");
        Assert.Equal(2, events.Count(e => e["event"] == "waiting" && e["prev"] == "failed"));
    }

    [Fact]
    public async Task A_Redis_or_an_API_that_accepts_and_never_answers_costs_the_timeout_once()
    {
        using var hang = new HangingListener();
        var env = Sandbox.Environment();
        env.Queues = new QueuesConfig { Source = "bullmq", Prefix = _prefix, Names = ["media", "mail"] };
        env.Redis = new RedisConfig { Configuration = $"127.0.0.1:{hang.Port}", Password = env.Redis!.Password };
        var timeout = TimeSpan.FromSeconds(1.5);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OpsRunbook.Core.Errors.OpsException>(() => FailedJobs.ListAsync(env, null, 50, timeout, CancellationToken.None));
        Assert.True(e.ErrorId is "RedisConnectTimeout" or "RedisConnectFailed" or "RedisCommandTimeout", e.ErrorId);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3.5), $"listing took {sw.Elapsed}");
        sw.Restart();
        e = await Assert.ThrowsAsync<OpsRunbook.Core.Errors.OpsException>(() => FailedJobs.RetryAsync(env, [("media", "1"), ("media", "2")], false, timeout, CancellationToken.None));
        Assert.True(e.ErrorId is "RedisConnectTimeout" or "RedisConnectFailed" or "RedisCommandTimeout", e.ErrorId);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3.5), $"retry took {sw.Elapsed}");

        // source: api, the admin API hung.
        env.Queues = new QueuesConfig { Source = "api", Names = ["media"] };
        env.Api = new ApiConfig { BaseUrl = $"http://127.0.0.1:{hang.Port}" };
        sw.Restart();
        e = await Assert.ThrowsAsync<OpsRunbook.Core.Errors.OpsException>(() => FailedJobs.ListAsync(env, null, 50, timeout, CancellationToken.None));
        Assert.Equal("QueueStatsFailed", e.ErrorId);
        Assert.Contains("did not answer within 1.5 s", e.Message);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3.5), $"API listing took {sw.Elapsed}");
    }
}
