using System.Globalization;
using NpgsqlTypes;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Core.Payments;

/// <summary>How Get-OpsCostReport groups cost_tracking.</summary>
public enum CostReportGrouping { Service, Tier, User }

/// <summary>What every cost row shares: the month, its cost, and that cost over the month's distinct active users.</summary>
public abstract class CostReportRow
{
    /// <summary>The month, yyyy-MM.</summary>
    public string Month { get; init; } = "";
    public long ApiCalls { get; init; }
    public decimal TotalCost { get; init; }
    /// <summary>Distinct users in user_activity during the month.</summary>
    public long ActiveUsers { get; init; }
    /// <summary>This row's TotalCost over ActiveUsers; the rows add up to the month's cost per active user (target: under $0.10).</summary>
    public decimal CostPerActiveUser { get; init; }
}

/// <summary>The runbook's "Cost by service" row.</summary>
public sealed class ServiceCost : CostReportRow
{
    public string Service { get; init; } = "";
    /// <summary>AVG(cost): the mean cost of one call.</summary>
    public decimal AvgCost { get; init; }
}

/// <summary>The runbook's "Cost by user tier" row.</summary>
public sealed class TierCost : CostReportRow
{
    public string Tier { get; init; } = "";
    /// <summary>COUNT(DISTINCT user_id) with a cost in the month.</summary>
    public long Users { get; init; }
    /// <summary>TotalCost over Users. (The runbook's avg_cost_per_user column is AVG(cost), the mean per call: that is AvgCost.)</summary>
    public decimal AvgCostPerUser { get; init; }
    public decimal AvgCost { get; init; }
}

/// <summary>One user's cost in the month.</summary>
public sealed class UserCost : CostReportRow
{
    public long UserId { get; init; }
    public string? Email { get; init; }
    public string? Tier { get; init; }
}

/// <summary>The Cost Review's two cost_tracking queries (plus one by user), for one calendar month, money as decimal.</summary>
public static class CostReport
{
    /// <summary>Parses yyyy-MM (2026-11) into the month's first day; throws CostMonthInvalid.</summary>
    public static DateOnly ParseMonth(string month)
    {
        if (DateOnly.TryParseExact(month.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        throw new OpsException(ErrorIds.CostMonthInvalid, $"'{month}' is not a month: use yyyy-MM, e.g. {DateTime.UtcNow.AddMonths(-1):yyyy-MM}.", month,
            "Give -Month as yyyy-MM.");
    }

    // $1: the month's first day, or NULL for last month on the database server (the runbook's DATE_TRUNC('month', CURRENT_DATE - INTERVAL '1 month')).
    // Unlike the runbook's SQL, the month also has an end: a report run on the 15th covers one month, not six weeks.
    private const string Bounds = """
        WITH b AS (SELECT COALESCE($1::date, date_trunc('month', CURRENT_DATE - INTERVAL '1 month')::date) AS m),
        r AS (SELECT m, m::timestamptz AS lo, (m + INTERVAL '1 month')::timestamptz AS hi FROM b),
        active AS (SELECT count(DISTINCT ua.user_id) AS n FROM user_activity ua, r WHERE ua.created_at >= r.lo AND ua.created_at < r.hi)
        """;

    private const string ByService = Bounds + """
        SELECT to_char(r.m, 'YYYY-MM'), ct.service, count(*), sum(ct.cost), round(avg(ct.cost), 6), a.n
        FROM cost_tracking ct, r, active a
        WHERE ct.created_at >= r.lo AND ct.created_at < r.hi
        GROUP BY r.m, ct.service, a.n
        ORDER BY 4 DESC, 2
        """;

    private const string ByTier = Bounds + """
        SELECT to_char(r.m, 'YYYY-MM'), u.subscription_tier, count(DISTINCT ct.user_id), sum(ct.cost), round(avg(ct.cost), 6), a.n, count(*)
        FROM cost_tracking ct JOIN users u ON ct.user_id = u.id, r, active a
        WHERE ct.created_at >= r.lo AND ct.created_at < r.hi
        GROUP BY r.m, u.subscription_tier, a.n
        ORDER BY 4 DESC, 2
        """;

    private const string ByUser = Bounds + """
        SELECT to_char(r.m, 'YYYY-MM'), ct.user_id, u.email, u.subscription_tier, count(*), sum(ct.cost), a.n
        FROM cost_tracking ct LEFT JOIN users u ON ct.user_id = u.id, r, active a
        WHERE ct.created_at >= r.lo AND ct.created_at < r.hi AND ct.user_id IS NOT NULL
        GROUP BY r.m, ct.user_id, u.email, u.subscription_tier, a.n
        ORDER BY 6 DESC, 2
        """;

    public static Task<List<CostReportRow>> GetAsync(PostgresConfig pg, DateOnly? month, CostReportGrouping by, CancellationToken ct)
        => PgSql.WithConnectionAsync(pg, null, conn => by switch
        {
            CostReportGrouping.Service => PgSql.QueryAsync<CostReportRow>(conn, ByService, r => new ServiceCost
            {
                Month = r.GetString(0), Service = r.GetString(1), ApiCalls = r.GetInt64(2), TotalCost = r.GetDecimal(3), AvgCost = r.GetDecimal(4),
                ActiveUsers = r.GetInt64(5), CostPerActiveUser = PerUser(r.GetDecimal(3), r.GetInt64(5)),
            }, ct, PgSql.P(month, NpgsqlDbType.Date)),
            CostReportGrouping.Tier => PgSql.QueryAsync<CostReportRow>(conn, ByTier, r => new TierCost
            {
                Month = r.GetString(0), Tier = r.GetString(1), Users = r.GetInt64(2), TotalCost = r.GetDecimal(3), AvgCost = r.GetDecimal(4),
                ActiveUsers = r.GetInt64(5), ApiCalls = r.GetInt64(6), AvgCostPerUser = PerUser(r.GetDecimal(3), r.GetInt64(2)),
                CostPerActiveUser = PerUser(r.GetDecimal(3), r.GetInt64(5)),
            }, ct, PgSql.P(month, NpgsqlDbType.Date)),
            _ => PgSql.QueryAsync<CostReportRow>(conn, ByUser, r => new UserCost
            {
                Month = r.GetString(0), UserId = r.GetInt64(1), Email = r.Get<string>(2), Tier = r.Get<string>(3), ApiCalls = r.GetInt64(4),
                TotalCost = r.GetDecimal(5), ActiveUsers = r.GetInt64(6), CostPerActiveUser = PerUser(r.GetDecimal(5), r.GetInt64(6)),
            }, ct, PgSql.P(month, NpgsqlDbType.Date)),
        }, ct);

    /// <summary>The last complete month before <paramref name="until"/> (UTC): what a review on the 1st looks at.</summary>
    public static DateOnly LastCompleteMonth(DateTimeOffset until) => new DateOnly(until.UtcDateTime.Year, until.UtcDateTime.Month, 1).AddMonths(-1);

    /// <summary>Cost over users, to 6 decimals (0 when nobody was active).</summary>
    public static decimal PerUser(decimal cost, long users) => users <= 0 ? 0m : Math.Round(cost / users, 6, MidpointRounding.AwayFromZero);
}
