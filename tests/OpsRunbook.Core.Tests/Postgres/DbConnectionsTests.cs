using OpsRunbook.Core.Data;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Core.Tests.Postgres;

/// <summary>Against the sandbox's real PostgreSQL 15.</summary>
public class DbConnectionsTests
{
    [Fact]
    public async Task Stop_never_touches_its_own_session_and_goes_on_with_the_rest()
    {
        var pg = Sandbox.Environment().Postgres!;
        await using var victim = await PgConnector.OpenAsync(pg, new PgConnectOptions { ApplicationName = "opsrb-xunit-victim" }, CancellationToken.None);
        await using var conn = await PgConnector.OpenAsync(pg, DbConnections.EmergencyOptions(), CancellationToken.None);
        var results = new List<DbConnectionStopResult>();
        await DbConnections.StopOnAsync(conn, [conn.ProcessID, victim.ProcessID, 999999], false, TimeSpan.FromSeconds(5), results.Add, CancellationToken.None);

        Assert.Equal(3, results.Count);
        Assert.Equal(DbConnectionStopStatus.Failed, results[0].Status);
        Assert.Contains("own session", results[0].Message);
        Assert.Equal(DbConnectionStopStatus.Terminated, results[1].Status);
        Assert.Equal("opsrb-xunit-victim", results[1].Application);
        Assert.Equal(DbConnectionStopStatus.NotFound, results[2].Status);
        // Our own session is still usable.
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT 1";
        Assert.Equal(1, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Get_never_returns_its_own_session()
    {
        var pg = Sandbox.Environment().Postgres!;
        var rows = await DbConnections.GetAsync(pg, new DbConnectionFilter { Application = ["OpsRunbook connections"], IncludeBackground = true }, null, CancellationToken.None);
        Assert.Empty(rows);
    }
}
