using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using Xunit;

namespace OpsRunbook.Core.Tests.Config;

public class PostgresServerTests
{
    [Theory]
    [InlineData("db1", "db1", null)]
    [InlineData("db1.internal:6432", "db1.internal", 6432)]
    [InlineData(" 10.0.0.5:5433 ", "10.0.0.5", 5433)]
    [InlineData("[::1]:5432", "::1", 5432)]
    [InlineData("[fe80::1]", "fe80::1", null)]
    [InlineData("::1", "::1", null)]
    public void Parses_host_and_optional_port(string server, string host, int? port)
    {
        var (h, p) = PostgresConfig.ParseServer(server);
        Assert.Equal(host, h);
        Assert.Equal(port, p);
    }

    [Theory]
    [InlineData("")]
    [InlineData("db1:")]
    [InlineData("db1:99999")]
    [InlineData("db1:54x")]
    [InlineData(":5432")]
    [InlineData("[::1")]
    [InlineData("[::1]5432")]
    [InlineData("db 1:5432")]
    public void Refuses_what_is_not_a_server_address(string server)
    {
        var e = Assert.Throws<OpsException>(() => PostgresConfig.ParseServer(server));
        Assert.Equal(ErrorIds.PgServerInvalid, e.Id);
    }

    [Fact]
    public void Without_a_credential_logs_in_as_libpq_does_from_PGUSER_and_PGPASSWORD()
    {
        var env = new Dictionary<string, string?> { ["PGUSER"] = "reporter", ["PGPASSWORD"] = "s3cret-from-env" };
        var pg = PostgresConfig.ForServer("db1:6432", null, null, null, n => env.GetValueOrDefault(n));
        Assert.Equal(("db1", 6432, "postgres", "reporter"), (pg.Host, pg.Port, pg.Database, pg.Username));
        Assert.Equal("env:PGPASSWORD", pg.Password.Source);
        Assert.DoesNotContain("s3cret-from-env", pg.Password.ToString());

        var none = PostgresConfig.ForServer("db1", "app", null, null, _ => null);
        Assert.Equal((5432, "app", System.Environment.UserName), (none.Port, none.Database, none.Username));
        Assert.False(none.Password.IsSet);
    }

    [Fact]
    public void A_credential_wins_over_the_environment_and_an_ad_hoc_environment_has_only_postgres()
    {
        var pg = PostgresConfig.ForServer("db1", "app", "admin", Secret.FromCredential("pw"), _ => "ignored");
        Assert.Equal(("admin", "credential"), (pg.Username, pg.Password.Source));
        var env = EnvironmentConfig.ForServer(pg);
        Assert.Equal("db1:5432", env.Name);
        Assert.Same(pg, env.Postgres);
        Assert.Null(env.S3);
        Assert.Empty(env.Services);
    }
}
