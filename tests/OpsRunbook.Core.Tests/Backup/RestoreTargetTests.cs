using OpsRunbook.Core.Backup;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Tests.Backup;

/// <summary>Test-BackupRestore's choice of server, now in the core (it was in the cmdlet).</summary>
public class RestoreTargetTests
{
    private static EnvironmentConfig Env(string name) => ConfigLoader.Parse($$"""
        environments:
          {{name}}:
            postgres: { host: db1, port: 5433, database: app, username: ops, sslMode: Require, connectTimeoutSeconds: 7, lockTimeoutSeconds: 3, statementTimeoutSeconds: 9 }
        """, "t.yaml", _ => null).GetEnvironment(name);

    [Theory]
    [InlineData("production")]
    [InlineData("prod-eu")]
    [InlineData("live")]
    public void A_production_environments_own_server_is_refused_without_AllowProduction(string name)
    {
        Assert.Same(ErrorIds.RestoreProductionRefused, Assert.Throws<OpsException>(() => RestoreTest.ResolveTestServer(Env(name), null, false)).Id);
        Assert.Same(ErrorIds.RestoreProductionRefused, Assert.Throws<OpsException>(() => RestoreTest.ResolveTestServer(Env(name), "DB1:5433", false)).Id);
        Assert.Equal("db1", RestoreTest.ResolveTestServer(Env(name), null, true).Host);
    }

    [Fact]
    public void A_test_server_keeps_every_key_of_the_section_but_host_and_port()
    {
        var s = RestoreTest.ResolveTestServer(Env("production"), "[::1]:6543", false);
        Assert.Equal(("::1", 6543), (s.Host, s.Port));
        Assert.Equal(("app", "ops", "Require", 7, 3, 9), (s.Database, s.Username, s.SslMode, s.ConnectTimeoutSeconds, s.LockTimeoutSeconds, s.StatementTimeoutSeconds));
        Assert.Equal(5433, RestoreTest.ResolveTestServer(Env("staging"), "scratch-db", false).Port);
        Assert.Same(ErrorIds.PgServerInvalid, Assert.Throws<OpsException>(() => RestoreTest.ResolveTestServer(Env("staging"), "db1:notaport", false)).Id);
    }

    [Fact]
    public void Staging_uses_its_own_server()
        => Assert.Equal("db1", RestoreTest.ResolveTestServer(Env("staging"), null, false).Host);
}
