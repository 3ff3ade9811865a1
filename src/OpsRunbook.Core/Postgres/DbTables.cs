using Npgsql;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Config;
using NpgsqlTypes;

namespace OpsRunbook.Core.Postgres;

/// <summary>One user table: sizes in bytes, live and dead tuples, and when it was last vacuumed and analyzed.</summary>
public sealed record DbTableInfo
{
    public required string Database { get; init; }
    public required string Schema { get; init; }
    public required string Name { get; init; }
    /// <summary>schema.name, quoted where needed: what Invoke-DbMaintenance -Table takes (binds from the pipeline).</summary>
    public required string Table { get; init; }
    /// <summary>pg_total_relation_size: table, indexes and TOAST.</summary>
    public long SizeBytes { get; init; }
    public long TableBytes { get; init; }
    public long IndexBytes { get; init; }
    public long LiveTuples { get; init; }
    public long DeadTuples { get; init; }
    /// <summary>Dead / live tuples (the runbook's dead_ratio); infinite when every tuple is dead, 0 for an empty table.</summary>
    public double DeadRatio { get; init; }
    public DateTimeOffset? LastVacuum { get; init; }
    public DateTimeOffset? LastAutovacuum { get; init; }
    public DateTimeOffset? LastAnalyze { get; init; }
    public DateTimeOffset? LastAutoanalyze { get; init; }
}

public enum DbBloatKind { Table, Index }

/// <summary>How a bloat row was obtained: estimated from statistics, or measured by the pgstattuple extension (-Exact).</summary>
public enum DbBloatMethod { Estimate, PgstattupleApprox, Pgstatindex }

/// <summary>
/// Estimated bloat of a table or btree index, computed from planner statistics the way
/// ioguix/pgsql-bloat-estimation does. IsReliable is false where that estimate is known to be wrong.
/// </summary>
public sealed record DbBloatEstimate
{
    public required string Database { get; init; }
    public required DbBloatKind Kind { get; init; }
    public required string Schema { get; init; }
    public required string Table { get; init; }
    /// <summary>The index name (Kind Index), else null.</summary>
    public string? Index { get; init; }
    /// <summary>Pages on disk times the block size (table with TOAST pages, or the index).</summary>
    public long RealSizeBytes { get; init; }
    /// <summary>Space beyond the estimated minimum, not counting fillfactor (may be negative).</summary>
    public long ExtraBytes { get; init; }
    public double ExtraRatio { get; init; }
    public int FillFactor { get; init; }
    /// <summary>Space beyond what the rows need at this fillfactor: the bloat.</summary>
    public long BloatBytes { get; init; }
    /// <summary>BloatBytes as a percentage of RealSizeBytes.</summary>
    public double BloatRatio { get; init; }
    /// <summary>True when the figure is measured, or an estimate with no known cause of error above 5 percentage points.</summary>
    public bool IsReliable { get; init; }
    /// <summary>Why the estimate cannot be trusted, when it cannot.</summary>
    public string? Reason { get; init; }
    /// <summary>Estimate (statistics), PgstattupleApprox (tables, -Exact) or Pgstatindex (btree indexes, -Exact).</summary>
    public DbBloatMethod Method { get; init; } = DbBloatMethod.Estimate;
}

public static class DbTables
{
    private const string TablesSql = """
        SELECT current_database(), n.nspname, c.relname, quote_ident(n.nspname) || '.' || quote_ident(c.relname),
               pg_catalog.pg_total_relation_size(c.oid), pg_catalog.pg_relation_size(c.oid), pg_catalog.pg_indexes_size(c.oid),
               s.n_live_tup, s.n_dead_tup, s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze
        FROM pg_catalog.pg_stat_user_tables s
        JOIN pg_catalog.pg_class c ON c.oid = s.relid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE ($1::text[] IS NULL OR n.nspname = ANY($1))
        ORDER BY pg_catalog.pg_total_relation_size(c.oid) DESC, n.nspname, c.relname
        """;

    /// <summary>dead / live; with no live tuples, infinite when there are dead ones (all dead) and 0 when the table is empty. Never blank.</summary>
    public static double DeadRatioOf(long live, long dead) =>
        live > 0 ? Math.Round((double)dead / live, 4) : dead > 0 ? double.PositiveInfinity : 0;

    public static Task<List<DbTableInfo>> GetTablesAsync(PostgresConfig pg, IReadOnlyList<string>? schemas, CancellationToken ct)
        => PgSql.WithConnectionAsync(pg, null, async conn =>
        {
            await using (var clear = new NpgsqlCommand("SELECT pg_catalog.pg_stat_clear_snapshot()", conn))
                await clear.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return await PgSql.QueryAsync(conn, TablesSql, r =>
            {
                var live = r.GetInt64(7);
                var dead = r.GetInt64(8);
                return new DbTableInfo
                {
                    Database = r.GetString(0), Schema = r.GetString(1), Name = r.GetString(2), Table = r.GetString(3),
                    SizeBytes = r.GetInt64(4), TableBytes = r.GetInt64(5), IndexBytes = r.GetInt64(6),
                    LiveTuples = live, DeadTuples = dead, DeadRatio = DeadRatioOf(live, dead),
                    LastVacuum = r.Time(9), LastAutovacuum = r.Time(10), LastAnalyze = r.Time(11), LastAutoanalyze = r.Time(12),
                };
            }, ct, PgSql.P(schemas is { Count: > 0 } ? schemas.ToArray() : null, NpgsqlDbType.Array | NpgsqlDbType.Text)).ConfigureAwait(false);
        }, ct);

    // The arithmetic of ioguix/pgsql-bloat-estimation (table/table_bloat.sql, BSD-2-Clause), restated for
    // PostgreSQL 12+ (no relhasoids) with pg_stats left-joined so that tables with missing statistics are
    // reported and flagged instead of silently dropped.
    private const string TableBloatSql = """
        WITH cols AS (
          SELECT c.oid, n.nspname, c.relname, c.reltuples, c.relpages AS heappages,
                 coalesce(t.relpages, 0) AS toastpages, coalesce(t.reltuples, 0) AS toasttuples,
                 coalesce(substring(array_to_string(c.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, 100) AS fillfactor,
                 current_setting('block_size')::numeric AS bs,
                 CASE WHEN version() ~ 'mingw32|64-bit|x86_64|ppc64|ia64|amd64|aarch64' THEN 8 ELSE 4 END AS ma,
                 24 AS page_hdr,
                 23 + CASE WHEN max(coalesce(s.null_frac, 0)) > 0 THEN (7 + count(*)) / 8 ELSE 0 END AS tpl_hdr_size,
                 sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 1024)) AS tpl_data_size,
                 coalesce(bool_or(a.atttypid = 'pg_catalog.name'::regtype), false) AS has_name,
                 count(s.attname) < count(*) AS missing_stats,
                 -- Alignment padding the estimate cannot see: fixed-width columns after the first variable-width one.
                 sum(CASE WHEN a.attlen > 0 AND a.attnum > coalesce(fv.attnum, 32767)
                          THEN CASE a.attalign WHEN 'd' THEN 7 WHEN 'i' THEN 3 WHEN 's' THEN 1 ELSE 0 END ELSE 0 END) AS pad_bound,
                 coalesce(max(st.n_mod_since_analyze), 0) AS mod_since_analyze
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          LEFT JOIN LATERAL (SELECT min(v.attnum) AS attnum FROM pg_catalog.pg_attribute v
                             WHERE v.attrelid = c.oid AND v.attnum > 0 AND NOT v.attisdropped AND v.attlen = -1) fv ON true
          LEFT JOIN pg_catalog.pg_stat_all_tables st ON st.relid = c.oid
          LEFT JOIN pg_catalog.pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND NOT s.inherited AND s.attname = a.attname
          LEFT JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid
          WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
            AND ($1::text[] IS NULL OR n.nspname = ANY($1))
          GROUP BY c.oid, n.nspname, c.relname, c.reltuples, c.relpages, t.relpages, t.reltuples, c.reloptions
        ), sized AS (
          SELECT *, heappages + toastpages AS tblpages,
                 (4 + tpl_hdr_size + tpl_data_size + 2 * ma
                  - CASE WHEN tpl_hdr_size % ma = 0 THEN ma ELSE tpl_hdr_size % ma END
                  - CASE WHEN ceil(tpl_data_size)::int % ma = 0 THEN ma ELSE ceil(tpl_data_size)::int % ma END) AS tpl_size
          FROM cols
        ), est AS (
          SELECT *, ceil(greatest(reltuples, 0) / ((bs - page_hdr) / tpl_size)) + ceil(toasttuples / 4) AS est_pages,
                    ceil(greatest(reltuples, 0) / ((bs - page_hdr) * fillfactor / (tpl_size * 100))) + ceil(toasttuples / 4) AS est_pages_ff
          FROM sized
        )
        SELECT current_database(), nspname, relname, NULL::text, (bs * tblpages)::bigint, ((tblpages - est_pages) * bs)::bigint,
               CASE WHEN tblpages > est_pages THEN 100 * (tblpages - est_pages) / tblpages::float8 ELSE 0 END,
               fillfactor,
               CASE WHEN tblpages > est_pages_ff THEN ((tblpages - est_pages_ff) * bs)::bigint ELSE 0 END,
               CASE WHEN tblpages > est_pages_ff THEN 100 * (tblpages - est_pages_ff) / tblpages::float8 ELSE 0 END,
               has_name, missing_stats, reltuples < 0,
               CASE WHEN tblpages > 0 THEN 100 * greatest(reltuples, 0) * pad_bound / (bs * tblpages)::float8 ELSE 0 END,
               CASE WHEN reltuples > 0 THEN mod_since_analyze / reltuples::float8 ELSE 0 END,
               toastpages > 0
        FROM est
        """;

    // ioguix/pgsql-bloat-estimation btree/btree_bloat.sql, restated the same way.
    private const string IndexBloatSql = """
        WITH idx AS (
          SELECT ci.oid AS idxoid, ci.relname AS idxname, ci.reltuples, ci.relpages, i.indrelid AS tbloid, i.indnatts,
                 coalesce(substring(array_to_string(ci.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, 90) AS fillfactor,
                 string_to_array(textin(int2vectorout(i.indkey)), ' ')::int[] AS indkey
          FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid
          WHERE ci.relam = (SELECT oid FROM pg_catalog.pg_am WHERE amname = 'btree') AND ci.relpages > 0
        ), cols AS (
          SELECT idx.*, ct.relname AS tblname, ct.relnamespace,
                 coalesce(a1.attname, a2.attname) AS attname, coalesce(a1.atttypid, a2.atttypid) AS atttypid,
                 CASE WHEN a1.attnum IS NULL THEN idx.idxname ELSE ct.relname END AS attrelname
          FROM idx
          CROSS JOIN LATERAL generate_series(1, idx.indnatts) AS pos
          JOIN pg_catalog.pg_class ct ON ct.oid = idx.tbloid
          LEFT JOIN pg_catalog.pg_attribute a1 ON idx.indkey[pos] <> 0 AND a1.attrelid = idx.tbloid AND a1.attnum = idx.indkey[pos]
          LEFT JOIN pg_catalog.pg_attribute a2 ON idx.indkey[pos] = 0 AND a2.attrelid = idx.idxoid AND a2.attnum = pos
        ), stats AS (
          SELECT n.nspname, c.tblname, c.idxname, c.reltuples, c.relpages, c.idxoid, c.fillfactor,
                 coalesce(max(st.n_mod_since_analyze), 0) AS mod_since_analyze, max(ct2.reltuples) AS tbltuples,
                 current_setting('block_size')::numeric AS bs,
                 CASE WHEN version() ~ 'mingw32|64-bit|x86_64|ppc64|ia64|amd64|aarch64' THEN 8 ELSE 4 END AS maxalign,
                 24 AS pagehdr, 16 AS pageopqdata,
                 CASE WHEN max(coalesce(s.null_frac, 0)) = 0 THEN 2 ELSE 2 + ((32 + 8 - 1) / 8) END AS index_tuple_hdr_bm,
                 sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 1024)) AS nulldatawidth,
                 coalesce(bool_or(c.atttypid = 'pg_catalog.name'::regtype), false) AS has_name,
                 count(s.attname) < count(*) AS missing_stats
          FROM cols c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_catalog.pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.attrelname AND s.attname = c.attname
          LEFT JOIN pg_catalog.pg_stat_all_tables st ON st.relid = c.tbloid
          LEFT JOIN pg_catalog.pg_class ct2 ON ct2.oid = c.tbloid
          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
            AND ($1::text[] IS NULL OR n.nspname = ANY($1))
          GROUP BY n.nspname, c.tblname, c.idxname, c.reltuples, c.relpages, c.idxoid, c.fillfactor
        ), widths AS (
          SELECT *, (index_tuple_hdr_bm + maxalign
                     - CASE WHEN index_tuple_hdr_bm % maxalign = 0 THEN maxalign ELSE index_tuple_hdr_bm % maxalign END
                     + nulldatawidth + maxalign
                     - CASE WHEN nulldatawidth = 0 THEN 0 WHEN nulldatawidth::int % maxalign = 0 THEN maxalign ELSE nulldatawidth::int % maxalign END
                    )::numeric AS nulldatahdrwidth
          FROM stats
        ), est AS (
          SELECT *, coalesce(1 + ceil(greatest(reltuples, 0) / floor((bs - pageopqdata - pagehdr) / (4 + nulldatahdrwidth)::float8)), 0) AS est_pages,
                    coalesce(1 + ceil(greatest(reltuples, 0) / floor((bs - pageopqdata - pagehdr) * fillfactor / (100 * (4 + nulldatahdrwidth)::float8))), 0) AS est_pages_ff
          FROM widths
        )
        SELECT current_database(), nspname, tblname, idxname, (bs * relpages)::bigint, (bs * (relpages - est_pages))::bigint,
               100 * (relpages - est_pages)::float8 / relpages,
               fillfactor,
               CASE WHEN relpages > est_pages_ff THEN (bs * (relpages - est_pages_ff))::bigint ELSE 0 END,
               CASE WHEN relpages > est_pages_ff THEN 100 * (relpages - est_pages_ff)::float8 / relpages ELSE 0 END,
               has_name, missing_stats, reltuples < 0,
               0::float8,
               CASE WHEN tbltuples > 0 THEN mod_since_analyze / tbltuples::float8 ELSE 0 END,
               false
        FROM est
        """;

    public static Task<List<DbBloatEstimate>> GetBloatAsync(PostgresConfig pg, IReadOnlyCollection<DbBloatKind> kinds, IReadOnlyList<string>? schemas, CancellationToken ct)
        => PgSql.WithConnectionAsync(pg, null, conn => GetBloatAsync(conn, kinds, schemas, ct), ct);

    /// <summary>
    /// Measured bloat (-Exact): pgstattuple_approx for tables (heap and TOAST) and pgstatindex for btree indexes.
    /// Throws PgstattupleNotInstalled when the extension is not in the database. Reads every page not known
    /// all-visible (tables) and every index page: slower than the estimate, and exact enough to trust.
    /// </summary>
    public static Task<List<DbBloatEstimate>> GetExactBloatAsync(PostgresConfig pg, IReadOnlyCollection<DbBloatKind> kinds, IReadOnlyList<string>? schemas, CancellationToken ct)
        => PgSql.WithConnectionAsync(pg, new Data.PgConnectOptions { StatementTimeout = TimeSpan.FromSeconds(Math.Max(pg.StatementTimeoutSeconds, 600)) }, async conn =>
        {
            await using (var check = new NpgsqlCommand("SELECT extnamespace::regnamespace::text FROM pg_catalog.pg_extension WHERE extname = 'pgstattuple'", conn))
            {
                if (await check.ExecuteScalarAsync(ct).ConfigureAwait(false) is not string schema)
                    throw new OpsException(ErrorIds.PgstattupleNotInstalled, $"-Exact needs the pgstattuple extension, which is not installed in database {conn.Database}.", conn.Database,
                        $"As a superuser: CREATE EXTENSION pgstattuple; in database {conn.Database} (PostgreSQL's contrib package). Without -Exact, Get-OpsDbBloat estimates from statistics.");
                var list = new List<DbBloatEstimate>();
                var schemaParam = schemas is { Count: > 0 } ? schemas.ToArray() : null;
                var q = PgSql.QuoteIdentifier(schema);
                try
                {
                    if (kinds.Contains(DbBloatKind.Table))
                        list.AddRange(await PgSql.QueryAsync(conn, ExactTableSql.Replace("@x", q, StringComparison.Ordinal), r => MapExact(r, DbBloatKind.Table), ct,
                            PgSql.P(schemaParam, NpgsqlDbType.Array | NpgsqlDbType.Text)).ConfigureAwait(false));
                    if (kinds.Contains(DbBloatKind.Index))
                        list.AddRange(await PgSql.QueryAsync(conn, ExactIndexSql.Replace("@x", q, StringComparison.Ordinal), r => MapExact(r, DbBloatKind.Index), ct,
                            PgSql.P(schemaParam, NpgsqlDbType.Array | NpgsqlDbType.Text)).ConfigureAwait(false));
                }
                catch (PostgresException e) when (e.SqlState == "42501")
                {
                    throw new OpsException(ErrorIds.PgstattupleNotInstalled, $"-Exact: the login may not run pgstattuple's functions in {conn.Database}: {e.MessageText}", conn.Database,
                        "Grant the login the pg_stat_scan_tables role (GRANT pg_stat_scan_tables TO ...), or run as a superuser.", e);
                }
                return list.OrderByDescending(b => b.BloatBytes).ThenBy(b => b.Schema).ThenBy(b => b.Table).ThenBy(b => b.Index).ToList();
            }
        }, ct);

    // Tables: heap and TOAST measured by pgstattuple_approx. Free space beyond the fillfactor's reserve, plus dead tuples, is bloat.
    private const string ExactTableSql = """
        WITH rels AS (
          SELECT c.oid, c.reltoastrelid, n.nspname, c.relname,
                 coalesce(substring(array_to_string(c.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, 100) AS ff
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
            AND ($1::text[] IS NULL OR n.nspname = ANY($1))
        ), toast AS (
          -- The filter applies to the scan of rels, before the call: no call with oid 0 for tables without TOAST.
          SELECT r.oid, t.table_len, t.dead_tuple_len + t.approx_free_space AS waste
          FROM rels r CROSS JOIN LATERAL @x.pgstattuple_approx(r.reltoastrelid) t
          WHERE r.reltoastrelid <> 0
        )
        SELECT current_database(), r.nspname, r.relname, NULL::text,
               h.table_len + coalesce(tt.table_len, 0),
               (h.dead_tuple_len + h.approx_free_space + coalesce(tt.waste, 0))::bigint,
               r.ff, h.table_len, (h.dead_tuple_len + h.approx_free_space)::bigint, coalesce(tt.waste, 0)::bigint
        FROM rels r
        CROSS JOIN LATERAL @x.pgstattuple_approx(r.oid) h
        LEFT JOIN toast tt ON tt.oid = r.oid
        """;

    // Btree indexes: pgstatindex's leaf density against the fillfactor, plus empty and deleted pages.
    private const string ExactIndexSql = """
        SELECT current_database(), n.nspname, ct.relname, ci.relname,
               s.index_size,
               ((s.leaf_pages * current_setting('block_size')::bigint) * (1 - coalesce(nullif(s.avg_leaf_density, 'NaN'), 100) / 100)
                 + (s.empty_pages + s.deleted_pages) * current_setting('block_size')::bigint)::bigint,
               coalesce(substring(array_to_string(ci.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, 90) AS ff,
               (s.leaf_pages * current_setting('block_size')::bigint)::bigint,
               ((s.leaf_pages * current_setting('block_size')::bigint) * (1 - coalesce(nullif(s.avg_leaf_density, 'NaN'), 100) / 100))::bigint,
               ((s.empty_pages + s.deleted_pages) * current_setting('block_size')::bigint)::bigint
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid
        JOIN pg_catalog.pg_class ct ON ct.oid = i.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = ct.relnamespace
        CROSS JOIN LATERAL @x.pgstatindex(ci.oid) s
        WHERE ci.relam = (SELECT oid FROM pg_catalog.pg_am WHERE amname = 'btree') AND ci.relpages > 0
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
          AND ($1::text[] IS NULL OR n.nspname = ANY($1))
        """;

    /// <summary>
    /// A measured row. Extra is all free space and dead tuples; bloat is the space beyond what the live data needs when
    /// packed to the fillfactor (the estimate's definition), plus TOAST waste or empty and deleted index pages.
    /// </summary>
    private static DbBloatEstimate MapExact(NpgsqlDataReader r, DbBloatKind kind)
    {
        var real = r.GetInt64(4);
        var extra = r.GetInt64(5);
        var ff = r.GetInt32(6);
        var mainLen = r.GetInt64(7);     // heap, or leaf pages
        var mainWaste = r.GetInt64(8);
        var otherWaste = r.GetInt64(9);  // TOAST free+dead, or empty/deleted index pages
        // What the live data needs at the fillfactor; the rest of the heap (or of the leaf pages) is bloat.
        var needed = (long)Math.Ceiling((mainLen - mainWaste) * 100.0 / Math.Max(10, ff));
        var bloat = Math.Max(0, mainLen - needed) + otherWaste;
        return new DbBloatEstimate
        {
            Database = r.GetString(0), Kind = kind, Schema = r.GetString(1), Table = r.GetString(2), Index = r.Get<string>(3),
            RealSizeBytes = real, ExtraBytes = extra, ExtraRatio = real > 0 ? Math.Round(100.0 * extra / real, 2) : 0,
            FillFactor = ff, BloatBytes = bloat, BloatRatio = real > 0 ? Math.Round(100.0 * bloat / real, 2) : 0,
            IsReliable = true, Method = kind == DbBloatKind.Table ? DbBloatMethod.PgstattupleApprox : DbBloatMethod.Pgstatindex,
        };
    }

    /// <summary>The same estimate on an open connection (Invoke-DbMaintenance's closing report uses its own session).</summary>
    internal static async Task<List<DbBloatEstimate>> GetBloatAsync(NpgsqlConnection conn, IReadOnlyCollection<DbBloatKind> kinds, IReadOnlyList<string>? schemas, CancellationToken ct)
    {
        var list = new List<DbBloatEstimate>();
        var schemaParam = schemas is { Count: > 0 } ? schemas.ToArray() : null;
        if (kinds.Contains(DbBloatKind.Table))
            list.AddRange(await PgSql.QueryAsync(conn, TableBloatSql, r => Map(r, DbBloatKind.Table), ct,
                PgSql.P(schemaParam, NpgsqlDbType.Array | NpgsqlDbType.Text)).ConfigureAwait(false));
        if (kinds.Contains(DbBloatKind.Index))
            list.AddRange(await PgSql.QueryAsync(conn, IndexBloatSql, r => Map(r, DbBloatKind.Index), ct,
                PgSql.P(schemaParam, NpgsqlDbType.Array | NpgsqlDbType.Text)).ConfigureAwait(false));
        return list.OrderByDescending(b => b.BloatBytes).ThenBy(b => b.Schema).ThenBy(b => b.Table).ThenBy(b => b.Index).ToList();
    }

    private static DbBloatEstimate Map(NpgsqlDataReader r, DbBloatKind kind)
    {
        var hasName = r.GetBoolean(10);
        var missing = r.GetBoolean(11);
        var never = r.GetBoolean(12);
        var padRatio = r.GetDouble(13);
        var stale = r.GetDouble(14);
        var toast = r.GetBoolean(15);
        var pages = r.GetInt64(4) / 8192;
        var reason = never ? "never analyzed: run ANALYZE first"
            : missing ? "some columns have no statistics (run ANALYZE; types without statistics make the estimate wrong)"
            : hasName ? "a column of type name (its statistics under-report the width)"
            : stale > 0.1 ? $"statistics are stale: {stale * 100:0}% of the rows changed since the last ANALYZE (run ANALYZE, or use -Exact)"
            : pages < 8 ? $"too small to estimate ({pages} pages): one page is more than 12% of it"
            : padRatio > 5 ? $"up to {padRatio:0}% of the table may be alignment padding between columns, which the estimate cannot see (use -Exact)"
            : toast ? "its TOAST data (long values) is guessed at 4 chunks per page, not measured (use -Exact)"
            : null;
        return new DbBloatEstimate
        {
            Database = r.GetString(0), Kind = kind, Schema = r.GetString(1), Table = r.GetString(2), Index = r.Get<string>(3),
            RealSizeBytes = r.GetInt64(4), ExtraBytes = r.GetInt64(5), ExtraRatio = Math.Round(r.GetDouble(6), 2),
            FillFactor = r.GetInt32(7), BloatBytes = r.GetInt64(8), BloatRatio = Math.Round(r.GetDouble(9), 2),
            IsReliable = reason is null, Reason = reason,
        };
    }
}
