using Npgsql;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Core.Tests.Postgres;

public class PgSqlTests
{
    [Theory]
    [InlineData("users", "\"users\"")]
    [InlineData("Mixed Case", "\"Mixed Case\"")]
    [InlineData("we\"ird; DROP TABLE x", "\"we\"\"ird; DROP TABLE x\"")]
    [InlineData("'; --", "\"'; --\"")]
    public void QuoteIdentifier_always_quotes_and_doubles_quotes(string name, string quoted)
        => Assert.Equal(quoted, PgSql.QuoteIdentifier(name));

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    public void QuoteIdentifier_refuses_empty_and_nul(string name)
        => Assert.Throws<ArgumentException>(() => PgSql.QuoteIdentifier(name));

    [Theory]
    [InlineData("media_items", "media_items")]
    [InlineData("Media", "\"Media\"")]
    [InlineData("1abc", "\"1abc\"")]
    public void QuoteIfNeeded_quotes_only_what_needs_it(string name, string shown)
        => Assert.Equal(shown, PgSql.QuoteIfNeeded(name));

    [Fact]
    public void Statements_use_the_quoted_catalog_name()
    {
        var t = new PgTableName(1, "public", "a\"b");
        Assert.Equal("REINDEX TABLE CONCURRENTLY \"public\".\"a\"\"b\"", DbMaintenance.StatementFor(t, DbMaintenanceOperation.Reindex, true));
        Assert.Equal("REINDEX TABLE \"public\".\"a\"\"b\"", DbMaintenance.StatementFor(t, DbMaintenanceOperation.Reindex, false));
        Assert.Equal("VACUUM (ANALYZE) \"public\".\"a\"\"b\"", DbMaintenance.StatementFor(t, DbMaintenanceOperation.Vacuum, true));
        Assert.Equal("ANALYZE \"public\".\"a\"\"b\"", DbMaintenance.StatementFor(t, DbMaintenanceOperation.Analyze, true));
        Assert.Equal("public.\"a\"\"b\"", t.Display);
    }

    [Theory]
    [InlineData("x; DROP TABLE users")]
    [InlineData("users; DROP TABLE users")]
    [InlineData("users\"; DROP TABLE users; --")]
    [InlineData("' OR 1=1 --")]
    [InlineData("pg_sleep(10)")]
    [InlineData("a.b.c.d")]
    [InlineData("users\0")]
    [InlineData("   ")]
    [InlineData("no_such_table")]
    public async Task ResolveTable_turns_hostile_or_missing_names_into_DbTableNotFound(string name)
    {
        await using var conn = await PgConnector.OpenAsync(Sandbox.Environment().Postgres!, null, CancellationToken.None);
        var e = await Assert.ThrowsAsync<OpsException>(() => PgSql.ResolveTableAsync(conn, name, CancellationToken.None));
        Assert.Equal("DbTableNotFound", e.ErrorId);
        Assert.Equal(name, e.Target);
        await using var cmd = new NpgsqlCommand("SELECT to_regclass('public.users') IS NOT NULL", conn);
        Assert.True((bool)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task ResolveTable_finds_schema_qualified_and_plain_names()
    {
        await using var conn = await PgConnector.OpenAsync(Sandbox.Environment().Postgres!, null, CancellationToken.None);
        var a = await PgSql.ResolveTableAsync(conn, "media_items", CancellationToken.None);
        var b = await PgSql.ResolveTableAsync(conn, "public.media_items", CancellationToken.None);
        Assert.Equal(a, b);
        Assert.Equal("public", a.Schema);
        var view = await Assert.ThrowsAsync<OpsException>(() => PgSql.ResolveTableAsync(conn, "active_operations", CancellationToken.None));
        Assert.Equal("DbNotATable", view.ErrorId);
    }

    [Fact]
    public async Task Maintenance_reports_a_missing_table_and_goes_on()
    {
        var errors = new List<OpsException>();
        var results = new List<DbMaintenanceResult>();
        await DbMaintenance.RunAsync(Sandbox.Environment().Postgres!, ["no_such_table", "users"], [DbMaintenanceOperation.Analyze],
            new DbMaintenanceOptions(), NullReporter.Allow, results.Add, errors.Add, CancellationToken.None);
        Assert.Equal("DbTableNotFound", Assert.Single(errors).ErrorId);
        var r = Assert.Single(results);
        Assert.Equal("public.users", r.Table);
        Assert.Equal(DbMaintenanceStatus.Succeeded, r.Status);
    }

    [Fact]
    public async Task Maintenance_under_deny_runs_nothing()
    {
        var results = new List<DbMaintenanceResult>();
        await DbMaintenance.RunAsync(Sandbox.Environment().Postgres!, ["users"], DbMaintenance.DefaultOperations,
            new DbMaintenanceOptions(), NullReporter.Deny, results.Add, e => throw e, CancellationToken.None);
        Assert.Empty(results);
    }

    [Fact]
    public void Maintenance_config_defaults_and_validation()
    {
        var doc = ConfigLoader.Parse("environments:\n  production:\n    postgres: { host: h, database: d, username: u }\n", "/cfg/ops.yaml", _ => null);
        var m = doc.GetEnvironment(null).Maintenance;
        Assert.Equal(["media_items", "embeddings", "search_history"], m.Tables);
        Assert.True(m.ReindexConcurrently);
        Assert.Equal(TimeSpan.FromSeconds(10), DbMaintenanceOptions.From(m).LockTimeout);

        var bad = ConfigLoader.Parse("environments:\n  production:\n    maintenance: { tables: [a, ''], lockTimeoutSeconds: -1, statementTimeoutSeconds: -5 }\n", "/cfg/ops.yaml", _ => null);
        var paths = bad.Problems.Where(p => p.Severity == ConfigSeverity.Error).Select(p => p.Path).ToList();
        Assert.Contains("environments.production.maintenance.tables", paths);
        Assert.Contains("environments.production.maintenance.lockTimeoutSeconds", paths);
        Assert.Contains("environments.production.maintenance.statementTimeoutSeconds", paths);
    }
}
