using System.Diagnostics;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Tests.Data;

/// <summary>Against the sandbox's real PostgreSQL 15.</summary>
public class PgConnectorTests
{
    private static PostgresConfig Pg(Action<PostgresConfig>? change = null)
    {
        var real = Sandbox.Environment().Postgres!;
        var copy = new PostgresConfig
        {
            Host = real.Host, Port = real.Port, Database = real.Database, Username = real.Username,
            Password = real.Password, SslMode = real.SslMode, ConnectTimeoutSeconds = 2,
        };
        change?.Invoke(copy);
        return copy;
    }

    [Fact]
    public async Task Opens_a_connection_with_the_config_credentials()
    {
        await using var conn = await PgConnector.OpenAsync(Pg(), null, CancellationToken.None);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT current_user || '/' || current_database() || '/' || current_setting('application_name')";
        Assert.Equal("ops/app/OpsRunbook", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Options_override_database_and_credentials()
    {
        var opts = new PgConnectOptions { Database = "postgres", Username = "app", Password = Secret.FromCredential(Sandbox.Secrets["APP_DB_PASSWORD"]) };
        await using var conn = await PgConnector.OpenAsync(Pg(), opts, CancellationToken.None);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT current_user || '/' || current_database()";
        Assert.Equal("app/postgres", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_an_authentication_error_without_the_password()
    {
        const string canary = "Canary-Wrong-Pass-8841";
        var cfg = Pg(c => c.Password = Secret.FromCredential(canary));
        var e = await Assert.ThrowsAsync<OpsException>(() => PgConnector.OpenAsync(cfg, null, CancellationToken.None));
        Assert.Equal("DbAuthenticationFailed", e.ErrorId);
        Assert.DoesNotContain(canary, e.ToString());
        Assert.Contains("ops@127.0.0.1", e.Message);
    }

    [Fact]
    public async Task A_refused_port_fails_fast_with_a_clear_message()
    {
        var cfg = Pg(c => c.Port = HangingListener.FreePort());
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OpsException>(() => PgConnector.OpenAsync(cfg, null, CancellationToken.None));
        Assert.Equal("DbConnectFailed", e.ErrorId);
        Assert.Contains($"127.0.0.1:{cfg.Port}", e.Message);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), sw.Elapsed.ToString());
    }

    [Fact]
    public async Task A_server_that_never_answers_costs_at_most_the_timeout()
    {
        using var hang = new HangingListener();
        var cfg = Pg(c => { c.Port = hang.Port; c.ConnectTimeoutSeconds = 1; });
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OpsException>(() => PgConnector.OpenAsync(cfg, null, CancellationToken.None));
        Assert.Equal("DbConnectTimeout", e.ErrorId);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2.5), sw.Elapsed.ToString());
    }

    [Fact]
    public async Task Cancellation_stops_a_hanging_connect()
    {
        using var hang = new HangingListener();
        var cfg = Pg(c => { c.Port = hang.Port; c.ConnectTimeoutSeconds = 30; });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PgConnector.OpenAsync(cfg, null, cts.Token));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), sw.Elapsed.ToString());
    }

    [Fact]
    public void The_connection_string_carries_timeouts_and_no_pooling()
    {
        var b = PgConnector.ConnectionString(Pg(), new PgConnectOptions { CommandTimeoutSeconds = 0 });
        Assert.False(b.Pooling);
        Assert.Equal(2, b.Timeout);
        Assert.Equal(0, b.CommandTimeout);
        Assert.False(b.PersistSecurityInfo);
    }
}
