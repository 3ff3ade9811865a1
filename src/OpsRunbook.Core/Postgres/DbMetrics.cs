using NpgsqlTypes;
using OpsRunbook.Core.Config;

namespace OpsRunbook.Core.Postgres;

/// <summary>The runbook's daily user metrics for one day (the database server's calendar day).</summary>
public sealed record UserMetrics
{
    public required string Database { get; init; }
    public DateOnly Date { get; init; }
    /// <summary>Distinct users in user_activity that day.</summary>
    public long DailyActiveUsers { get; init; }
    public long NewSignups { get; init; }
    public long Uploads { get; init; }
    public long UploadedBytes { get; init; }
    /// <summary>UploadedBytes in MiB (the runbook's mb_uploaded).</summary>
    public double UploadedMB => Math.Round(UploadedBytes / 1048576.0, 2);
    public long Searches { get; init; }
}

public enum UnusualActivityKind { Uploads, Searches }

/// <summary>A user over a threshold in the security review's unusual-activity queries.</summary>
public sealed record UnusualActivity
{
    public UnusualActivityKind Kind { get; init; }
    public long UserId { get; init; }
    public string? Email { get; init; }
    public long Count { get; init; }
    public long Threshold { get; init; }
    /// <summary>Rows counted from this time on (the start of the window).</summary>
    public DateTimeOffset Since { get; init; }
}

/// <summary>A row of the active_operations view.</summary>
public sealed record ActiveOperation
{
    public required string Operation { get; init; }
    public long Count { get; init; }
}

/// <summary>A row of the user_activity_summary view.</summary>
public sealed record UserActivitySummary
{
    public required string Email { get; init; }
    public string? SubscriptionTier { get; init; }
    public long MediaCount { get; init; }
    public long SearchCount { get; init; }
    public DateTimeOffset? LastUpload { get; init; }
    public DateTimeOffset? LastSearch { get; init; }
}

public static class DbMetrics
{
    private const string MetricsSql = """
        WITH d AS (SELECT coalesce($1::date, CURRENT_DATE) AS day)
        SELECT current_database(), d.day,
          (SELECT count(DISTINCT user_id) FROM user_activity WHERE created_at >= d.day AND created_at < d.day + 1),
          (SELECT count(*) FROM users WHERE created_at >= d.day AND created_at < d.day + 1),
          (SELECT count(*) FROM media_items WHERE created_at >= d.day AND created_at < d.day + 1),
          (SELECT coalesce(sum(file_size), 0)::bigint FROM media_items WHERE created_at >= d.day AND created_at < d.day + 1),
          (SELECT count(*) FROM search_history WHERE created_at >= d.day AND created_at < d.day + 1)
        FROM d
        """;

    /// <summary>DAU, signups, uploads (count and bytes) and searches for <paramref name="day"/> (null: the server's today).</summary>
    public static Task<UserMetrics> GetUserMetricsAsync(PostgresConfig pg, DateOnly? day, CancellationToken ct)
        => PgSql.WithConnectionAsync(pg, null, async conn => (await PgSql.QueryAsync(conn, MetricsSql, r => new UserMetrics
        {
            Database = r.GetString(0), Date = r.GetFieldValue<DateOnly>(1), DailyActiveUsers = r.GetInt64(2), NewSignups = r.GetInt64(3),
            Uploads = r.GetInt64(4), UploadedBytes = r.GetInt64(5), Searches = r.GetInt64(6),
        }, ct, PgSql.P(day, NpgsqlDbType.Date)).ConfigureAwait(false))[0], ct);

    // The security review's two queries: uploads since the start of the day 7 days ago, searches since the
    // start of yesterday (CURRENT_DATE - INTERVAL '1 day'), each over a threshold.
    private const string UnusualSql = """
        SELECT 'Uploads', m.user_id, u.email, count(*), $1::bigint, (CURRENT_DATE - 7)::timestamptz
        FROM media_items m LEFT JOIN users u ON u.id = m.user_id
        WHERE m.created_at >= CURRENT_DATE - INTERVAL '7 days'
        GROUP BY m.user_id, u.email HAVING count(*) > $1
        UNION ALL
        SELECT 'Searches', s.user_id, u.email, count(*), $2::bigint, (CURRENT_DATE - 1)::timestamptz
        FROM search_history s LEFT JOIN users u ON u.id = s.user_id
        WHERE s.created_at >= CURRENT_DATE - INTERVAL '1 day'
        GROUP BY s.user_id, u.email HAVING count(*) > $2
        ORDER BY 1 DESC, 4 DESC, 2
        """;

    public static Task<List<UnusualActivity>> GetUnusualActivityAsync(PostgresConfig pg, long uploadThreshold, long searchThreshold, CancellationToken ct)
        => PgSql.WithConnectionAsync(pg, null, conn => PgSql.QueryAsync(conn, UnusualSql, r => new UnusualActivity
        {
            Kind = Enum.Parse<UnusualActivityKind>(r.GetString(0)), UserId = r.GetInt64(1), Email = r.Get<string>(2),
            Count = r.GetInt64(3), Threshold = r.GetInt64(4), Since = r.Time(5)!.Value,
        }, ct, PgSql.P(uploadThreshold, NpgsqlDbType.Bigint), PgSql.P(searchThreshold, NpgsqlDbType.Bigint)), ct);

    public static Task<List<ActiveOperation>> GetActiveOperationsAsync(PostgresConfig pg, CancellationToken ct)
        => PgSql.WithConnectionAsync(pg, null, conn => PgSql.QueryAsync(conn, "SELECT operation, count FROM active_operations",
            r => new ActiveOperation { Operation = r.GetString(0), Count = r.GetInt64(1) }, ct), ct);

    private const string SummarySql = """
        SELECT email, subscription_tier, media_count, search_count, last_upload, last_search
        FROM user_activity_summary
        WHERE ($1::text[] IS NULL OR email = ANY($1))
        ORDER BY media_count + search_count DESC, email
        LIMIT $2
        """;

    /// <summary>The user_activity_summary view, busiest users first; <paramref name="top"/> null for all.</summary>
    public static Task<List<UserActivitySummary>> GetUserActivitySummaryAsync(PostgresConfig pg, IReadOnlyList<string>? emails, int? top, CancellationToken ct)
        => PgSql.WithConnectionAsync(pg, null, conn => PgSql.QueryAsync(conn, SummarySql, r => new UserActivitySummary
        {
            Email = r.GetString(0), SubscriptionTier = r.Get<string>(1), MediaCount = r.GetInt64(2), SearchCount = r.GetInt64(3),
            LastUpload = r.Time(4), LastSearch = r.Time(5),
        }, ct, PgSql.P(emails is { Count: > 0 } ? emails.ToArray() : null, NpgsqlDbType.Array | NpgsqlDbType.Text),
            PgSql.P(top is null ? null : (long)top.Value, NpgsqlDbType.Bigint)), ct);
}
