using System.Diagnostics;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Tests.Data;

/// <summary>Against the sandbox's real Redis (which requires a password).</summary>
public class RedisConnectorTests
{
    private static RedisConfig Redis(string? configuration = null, Secret? password = null)
    {
        var real = Sandbox.Environment().Redis!;
        return new RedisConfig { Configuration = configuration ?? real.Configuration, Password = password ?? real.Password };
    }

    [Fact]
    public async Task Connects_with_admin_rights()
    {
        await using var mux = await RedisConnector.ConnectAsync(Redis(), TimeSpan.FromSeconds(2), CancellationToken.None);
        var server = mux.GetServer(mux.GetEndPoints()[0]);
        var info = await server.InfoAsync("stats");
        Assert.Contains(info.SelectMany(g => g), kv => kv.Key == "instantaneous_ops_per_sec");
    }

    [Fact]
    public async Task A_wrong_password_is_an_authentication_error_without_the_password()
    {
        const string canary = "Canary-Redis-Pass-5512";
        var e = await Assert.ThrowsAsync<OpsException>(() => RedisConnector.ConnectAsync(Redis(password: Secret.FromCredential(canary)), TimeSpan.FromSeconds(2), CancellationToken.None));
        Assert.Equal("RedisAuthenticationFailed", e.ErrorId);
        Assert.DoesNotContain(canary, e.Message);
    }

    [Fact]
    public async Task A_refused_port_is_a_connect_failure()
    {
        var e = await Assert.ThrowsAsync<OpsException>(() => RedisConnector.ConnectAsync(Redis($"127.0.0.1:{HangingListener.FreePort()}"), TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal("RedisConnectFailed", e.ErrorId);
    }

    [Fact]
    public async Task A_refused_port_fails_at_once_not_after_the_connect_timeout()
    {
        var port = HangingListener.FreePort();
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<OpsException>(() => RedisConnector.ConnectAsync(Redis($"127.0.0.1:{port},localhost:{port}"), TimeSpan.FromSeconds(10), CancellationToken.None));
            Assert.Equal("RedisConnectFailed", e.ErrorId);
            Assert.Contains("refused", e.Message);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"attempt {i}: {sw.Elapsed}");
        }
    }

    [Fact]
    public async Task A_server_that_never_answers_costs_at_most_the_timeout()
    {
        using var hang = new HangingListener();
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OpsException>(() => RedisConnector.ConnectAsync(Redis($"127.0.0.1:{hang.Port}"), TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.True(e.ErrorId is "RedisConnectFailed" or "RedisConnectTimeout", e.ErrorId);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2.5), sw.Elapsed.ToString());
    }
}
