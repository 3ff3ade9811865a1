using System.Diagnostics;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Net;

namespace OpsRunbook.Core.Tests.Net;

public class OpsHttpTests
{
    private static Func<HttpRequestMessage> Get(string url) => () => new HttpRequestMessage(HttpMethod.Get, url);

    [Fact]
    public async Task A_hung_endpoint_costs_the_bound_and_names_the_endpoint()
    {
        using var hang = new HangingListener();
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OpsException>(() => OpsHttp.SendAsync(Get($"http://127.0.0.1:{hang.Port}/x?token=secret"),
            new HttpCallOptions { Timeout = TimeSpan.FromSeconds(1), What = "test receiver" }, CancellationToken.None));
        Assert.InRange(sw.Elapsed.TotalSeconds, 0.9, 3);
        Assert.Equal("HttpTimeout", e.ErrorId);
        Assert.Contains($"127.0.0.1:{hang.Port}/x", e.Message);
        Assert.Contains("test receiver", e.Message);
        Assert.DoesNotContain("secret", e.Message);
    }

    [Fact]
    public async Task The_bound_holds_with_retries_and_a_caller_id()
    {
        using var server = new ScriptedHttpServer { Default = (503, "busy") };
        var id = new OpsErrorId("TestTimeout", OpsErrorCategory.OperationTimeout, "test");
        var sw = Stopwatch.StartNew();
        // Backoff 400 ms doubling: attempts at ~0, 0.4, 1.2 s; the bound is 1 s, so the third wait would not fit.
        var r = await OpsHttp.SendAsync(Get(server.Url), new HttpCallOptions { Timeout = TimeSpan.FromSeconds(1), MaxAttempts = 10, BaseDelay = TimeSpan.FromMilliseconds(400), TimeoutError = id }, CancellationToken.None);
        Assert.True(sw.Elapsed.TotalSeconds < 1.5, $"took {sw.Elapsed}");
        Assert.Equal(503, r.StatusCode);
        Assert.InRange(r.Attempts, 2, 3);
    }

    [Fact]
    public async Task Retry_After_is_honoured_then_the_answer_is_returned()
    {
        using var server = new ScriptedHttpServer();
        server.Then(429, "slow down", new() { ["Retry-After"] = "1" }).Then(200, "done");
        var sw = Stopwatch.StartNew();
        using var r = await OpsHttp.SendAsync(Get(server.Url), new HttpCallOptions { Timeout = TimeSpan.FromSeconds(5) }, CancellationToken.None);
        Assert.Equal(200, r.StatusCode);
        Assert.Equal("done", r.Body);
        Assert.Equal(2, r.Attempts);
        Assert.True(sw.Elapsed.TotalSeconds >= 0.95, $"Retry-After: 1 was not waited ({sw.Elapsed})");
        Assert.True((server.Received[1].At - server.Received[0].At).TotalSeconds >= 0.95);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_bound_returns_the_429_at_once()
    {
        using var server = new ScriptedHttpServer();
        server.Then(429, "later", new() { ["Retry-After"] = "30" });
        var sw = Stopwatch.StartNew();
        using var r = await OpsHttp.SendAsync(Get(server.Url), new HttpCallOptions { Timeout = TimeSpan.FromSeconds(3) }, CancellationToken.None);
        Assert.Equal(429, r.StatusCode);
        Assert.True(sw.Elapsed.TotalSeconds < 1, $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task A_500_is_retried_only_when_asked_and_then_reported()
    {
        using var server = new ScriptedHttpServer { Default = (500, "boom") };
        using (var once = await OpsHttp.SendAsync(Get(server.Url), new HttpCallOptions(), CancellationToken.None)) Assert.Equal(1, once.Attempts);
        using var r = await OpsHttp.SendAsync(Get(server.Url), new HttpCallOptions { RetryOn500 = true, MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(10) }, CancellationToken.None);
        Assert.Equal(500, r.StatusCode);
        Assert.Equal(3, r.Attempts);
        Assert.Equal(4, server.Received.Count);
    }

    [Fact]
    public async Task A_refused_port_is_unreachable_within_the_bound()
    {
        var port = HangingListener.FreePort();
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OpsException>(() => OpsHttp.SendAsync(Get($"http://127.0.0.1:{port}/"),
            new HttpCallOptions { Timeout = TimeSpan.FromSeconds(5), BaseDelay = TimeSpan.FromMilliseconds(10) }, CancellationToken.None));
        Assert.Equal("HttpUnreachable", e.ErrorId);
        Assert.True(sw.Elapsed.TotalSeconds < 2);
    }

    [Fact]
    public async Task Ctrl_C_is_a_cancellation_not_a_timeout()
    {
        using var hang = new HangingListener();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OpsHttp.SendAsync(Get($"http://127.0.0.1:{hang.Port}/"),
            new HttpCallOptions { Timeout = TimeSpan.FromSeconds(10) }, cts.Token));
    }

    private static readonly HttpAnswerErrors TestAnswers = new()
    {
        Refused = new OpsErrorId("TestRefused", OpsErrorCategory.AuthenticationError, "test"), RefusedFix = "fix the key",
        NotFound = new OpsErrorId("TestNotFound", OpsErrorCategory.ObjectNotFound, "test"), NotFoundFix = "fix the id",
        Failed = new OpsErrorId("TestFailed", OpsErrorCategory.InvalidResult, "test"), FailedFix = "try later",
    };

    [Theory]
    [InlineData(401, "TestRefused", "refused the credentials (401)", "fix the key")]
    [InlineData(403, "TestRefused", "refused the credentials (403)", "fix the key")]
    [InlineData(404, "TestNotFound", "answered 404 for GET", "fix the id")]
    [InlineData(400, "TestFailed", "answered HTTP 400 for GET", "try later")]
    [InlineData(500, "TestFailed", "answered HTTP 500 for GET", "try later")]
    public async Task SendForSuccess_names_each_failed_answer_with_the_callers_id(int status, string id, string says, string fix)
    {
        using var server = new ScriptedHttpServer { Default = (status, "{\"error\":\"the reason\"}") };
        var e = await Assert.ThrowsAsync<OpsException>(() => OpsHttp.SendForSuccessAsync(Get(server.Url + "x?token=secret"),
            new HttpCallOptions { What = "test service", MaxAttempts = 1 }, TestAnswers with { Detail = r => r.Body.Contains("the reason") ? "the reason" : r.Body }, CancellationToken.None));
        Assert.Equal(id, e.ErrorId);
        Assert.StartsWith("Test service ", e.Message);
        Assert.Contains(says, e.Message);
        Assert.Contains($"127.0.0.1:{server.Port}/x", e.Message);
        if (status is not (401 or 403)) Assert.Contains("the reason", e.Message);
        Assert.DoesNotContain("secret", e.Message);
        Assert.Equal(fix, e.RecommendedAction);
    }

    [Fact]
    public async Task SendForSuccess_returns_a_2xx_and_falls_back_to_Failed_and_the_body()
    {
        using (var server = new ScriptedHttpServer { Default = (201, "made") })
        using (var ok = await OpsHttp.SendForSuccessAsync(Get(server.Url), new HttpCallOptions(), TestAnswers, CancellationToken.None))
            Assert.Equal("made", ok.Body);
        using var refused = new ScriptedHttpServer { Default = (403, "no entry") };
        var e = await Assert.ThrowsAsync<OpsException>(() => OpsHttp.SendForSuccessAsync(Get(refused.Url), new HttpCallOptions { MaxAttempts = 1 },
            new HttpAnswerErrors { Failed = TestAnswers.Failed, Target = "page-1", FixFor = r => $"status {r.StatusCode}" }, CancellationToken.None));
        Assert.Equal("TestFailed", e.ErrorId);
        Assert.Contains("answered HTTP 403", e.Message);
        Assert.Contains("no entry", e.Message);
        Assert.Equal("page-1", e.Target);
        Assert.Equal("status 403", e.RecommendedAction);
    }
}
