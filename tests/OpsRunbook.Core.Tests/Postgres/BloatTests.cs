using Npgsql;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Core.Tests.Postgres;

/// <summary>
/// The bloat estimate against pgstattuple (the oracle) on tables of known shape, in a database of its own: a clean
/// table whose columns leave alignment padding (like media_items), a table and btree index half emptied by a DELETE,
/// text-heavy rows in TOAST, and a clean table laid out without padding. IsReliable must mean "within 5 points".
/// </summary>
public sealed class BloatTests : IAsyncLifetime
{
    private readonly string _db = $"opsrb_bloat_{Guid.NewGuid():N}"[..24];
    private PostgresConfig _pg = null!;

    public async Task InitializeAsync()
    {
        _pg = await Sandbox.CreateScratchDatabaseAsync(_db);
        await using var conn = await PgConnector.OpenAsync(_pg, new PgConnectOptions { CommandTimeoutSeconds = 300 }, CancellationToken.None);
        foreach (var sql in new[]
        {
            """
            CREATE TABLE padded (id bigint PRIMARY KEY, user_id bigint NOT NULL, file_name text NOT NULL, file_size bigint NOT NULL,
                                 mime_type text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO padded SELECT g, g % 97, 'f' || g || '.jpg', g * 13, 'image/jpeg', 'done', now() FROM generate_series(1, 30000) g;
            """,
            """
            CREATE TABLE packed (id bigint PRIMARY KEY, a bigint NOT NULL, b bigint NOT NULL, c int NOT NULL, d int NOT NULL);
            INSERT INTO packed SELECT g, g, g, g, g FROM generate_series(1, 30000) g;
            """,
            """
            CREATE TABLE halved (id int PRIMARY KEY, v int NOT NULL, note text NOT NULL);
            CREATE INDEX halved_v ON halved (v);
            INSERT INTO halved SELECT g, g, 'row ' || g FROM generate_series(1, 60000) g;
            DELETE FROM halved WHERE id % 2 = 0;
            """,
            """
            CREATE TABLE texty (id int PRIMARY KEY, body text NOT NULL);
            INSERT INTO texty SELECT g, (SELECT string_agg(md5(g::text || x::text), '') FROM generate_series(1, 100) x) FROM generate_series(1, 400) g;
            """,
        })
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        await conn.CloseAsync();
        // Let the server's statistics take the inserts and deletes in (flushed up to a second later), so that the ANALYZE
        // below resets n_mod_since_analyze for good and the statistics are fresh.
        await Task.Delay(1500);
        await using var again = await PgConnector.OpenAsync(_pg, new PgConnectOptions { CommandTimeoutSeconds = 300 }, CancellationToken.None);
        await using (var vac = new NpgsqlCommand("VACUUM ANALYZE", again)) await vac.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Sandbox.DropScratchDatabaseAsync(_db);

    private static string Key(DbBloatEstimate b) => $"{b.Kind}:{b.Schema}.{b.Table}.{b.Index}";

    [Fact]
    public async Task Exact_needs_pgstattuple_then_measures_and_an_estimate_marked_reliable_is_within_5_points_of_it()
    {
        DbBloatKind[] both = [DbBloatKind.Table, DbBloatKind.Index];
        var missing = await Assert.ThrowsAsync<OpsException>(() => DbTables.GetExactBloatAsync(_pg, both, null, CancellationToken.None));
        Assert.Same(ErrorIds.PgstattupleNotInstalled, missing.Id);
        Assert.Contains("CREATE EXTENSION pgstattuple", missing.RecommendedAction);

        await using (var conn = await PgConnector.OpenAsync(_pg, null, CancellationToken.None))
        await using (var ext = new NpgsqlCommand("CREATE EXTENSION pgstattuple", conn))
            await ext.ExecuteNonQueryAsync();

        var exact = (await DbTables.GetExactBloatAsync(_pg, both, null, CancellationToken.None)).ToDictionary(Key);
        var estimate = await DbTables.GetBloatAsync(_pg, both, null, CancellationToken.None);

        Assert.All(exact.Values, b => Assert.NotEqual(DbBloatMethod.Estimate, b.Method));
        Assert.Equal(DbBloatMethod.Pgstatindex, exact["Index:public.halved.halved_v"].Method);
        // The oracle sees what was done: half the rows deleted, half of each index leaf page empty.
        Assert.InRange(exact["Table:public.halved."].BloatRatio, 35, 60);
        Assert.InRange(exact["Index:public.halved.halved_v"].BloatRatio, 25, 60);
        Assert.InRange(exact["Table:public.padded."].BloatRatio, 0, 3);
        Assert.InRange(exact["Table:public.packed."].BloatRatio, 0, 3);

        foreach (var e in estimate)
        {
            Assert.Equal(DbBloatMethod.Estimate, e.Method);
            var truth = exact[Key(e)];
            var off = Math.Abs(e.BloatRatio - truth.BloatRatio);
            if (e.IsReliable)
                Assert.True(off <= 5, $"{Key(e)} is marked reliable but estimates {e.BloatRatio}% against pgstattuple's {truth.BloatRatio}%");
            else
                Assert.False(string.IsNullOrEmpty(e.Reason));
        }
        // The media_items shape: padding the estimate cannot see, so it must not claim to be reliable.
        var padded = estimate.Single(e => Key(e) == "Table:public.padded.");
        Assert.False(padded.IsReliable, $"padded: {padded.BloatRatio}% estimated, reliable");
        Assert.True(padded.Reason?.Contains("padding") == true, $"padded: {padded.Reason}; estimates: {string.Join(" / ", estimate.Select(e => $"{Key(e)} {e.BloatRatio}% {e.IsReliable} {e.Reason}"))}; exact: {string.Join(" / ", exact.Values.Select(e => $"{Key(e)} {e.BloatRatio}%"))}");
        Assert.False(estimate.Single(e => Key(e) == "Table:public.texty.").IsReliable);
        // A plainly laid-out clean table stays reliable: the flag is not simply always false.
        Assert.True(estimate.Single(e => Key(e) == "Table:public.packed.").IsReliable);
    }
}
