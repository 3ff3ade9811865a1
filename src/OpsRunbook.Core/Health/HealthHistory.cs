using System.Diagnostics;
using System.Text;
using OpsRunbook.Core.State;

namespace OpsRunbook.Core.Health;

/// <summary>What to read back from the health history; null or empty filters match everything. Check and Target take * and ? wildcards.</summary>
public sealed record HealthHistoryQuery
{
    public string? Environment { get; init; }
    public IReadOnlyList<string>? Check { get; init; }
    public IReadOnlyList<string>? Target { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public IReadOnlyList<HealthStatus>? Status { get; init; }
}

/// <summary>The result of removing old rows: how many, before which time, in how many transactions.</summary>
public sealed class StatePruneResult
{
    public string Table { get; init; } = "";
    public DateTimeOffset Before { get; init; }
    public long RowsDeleted { get; init; }
    public int Batches { get; init; }
    public TimeSpan Duration { get; init; }
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);
    public override string ToString() => $"{RowsDeleted} row(s) of {Table} before {Before:O}";
}

/// <summary>Stores health results in the state store (table health_results), reads them back, and prunes old ones.</summary>
public static class HealthHistory
{
    /// <summary>Rows deleted per transaction when pruning: short transactions, so a cron run never holds the store long.</summary>
    public const int PruneBatchSize = 5000;

    /// <summary>
    /// What Get-OpsHealth -Record and Save-OpsHealth do: open the environment's store, store the results in one
    /// transaction, then prune what is older than state.healthRetention in short batches.
    /// </summary>
    public static async Task<(int Stored, StatePruneResult Pruned, string Location)> RecordAsync(Config.EnvironmentConfig environment,
        IReadOnlyList<HealthCheckResult> results, CancellationToken cancellationToken)
    {
        foreach (var r in results)
            if (string.IsNullOrEmpty(r.Environment)) r.Environment = environment.Name;
        await using var store = await StateStore.OpenAsync(environment, cancellationToken).ConfigureAwait(false);
        var stored = await SaveAsync(store, results, cancellationToken).ConfigureAwait(false);
        var pruned = await PruneAsync(store, DateTimeOffset.UtcNow - environment.State.HealthRetention, cancellationToken).ConfigureAwait(false);
        return (stored, pruned, store.Location);
    }

    /// <summary>Stores the results in one transaction; returns how many were stored.</summary>
    public static Task<int> SaveAsync(IStateStore store, IReadOnlyList<HealthCheckResult> results, CancellationToken cancellationToken)
    {
        if (results.Count == 0) return Task.FromResult(0);
        var now = DateTimeOffset.UtcNow;
        return store.WriteAsync(async tx =>
        {
            await using var cmd = tx.Command("""
                INSERT INTO health_results (environment, check_name, target, status, value, unit, duration_ms, recorded_at, message, computer_name)
                VALUES (@e, @c, @t, @s, @v, @u, @d, @at, @m, @h)
                """, ("e", ""), ("c", ""), ("t", ""), ("s", ""), ("v", 0.0), ("u", ""), ("d", 0.0), ("at", 0L), ("m", ""), ("h", ""));
            var p = cmd.Parameters;
            foreach (var r in results)
            {
                p[0].Value = r.Environment;
                p[1].Value = r.Check;
                p[2].Value = r.Target;
                p[3].Value = r.Status.ToString();
                p[4].Value = r.Value is { } v && double.IsFinite(v) ? v : DBNull.Value;
                p[5].Value = (object?)r.Unit ?? DBNull.Value;
                p[6].Value = r.Duration.TotalMilliseconds;
                p[7].Value = (r.Timestamp == default ? now : r.Timestamp).ToUnixTimeMilliseconds();
                p[8].Value = r.Message ?? "";
                p[9].Value = string.IsNullOrEmpty(r.ComputerName) ? DBNull.Value : r.ComputerName;
                await cmd.ExecuteNonQueryAsync(tx.CancellationToken).ConfigureAwait(false);
            }
            return results.Count;
        }, cancellationToken);
    }

    /// <summary>Deletes results recorded before <paramref name="before"/>, <see cref="PruneBatchSize"/> rows per transaction.</summary>
    public static async Task<StatePruneResult> PruneAsync(IStateStore store, DateTimeOffset before, CancellationToken cancellationToken,
        int batchSize = PruneBatchSize)
    {
        var sw = Stopwatch.StartNew();
        long deleted = 0;
        var batches = 0;
        var cut = before.ToUnixTimeMilliseconds();
        // Cheap check first: the oldest row through the time index; most runs have nothing to prune.
        var oldest = await store.ReadAsync(tx => tx.ScalarAsync<long?>("SELECT min(recorded_at) FROM health_results"), cancellationToken).ConfigureAwait(false);
        while (oldest is { } o && o < cut)
        {
            var n = await store.WriteAsync(tx => tx.ExecuteAsync(
                "DELETE FROM health_results WHERE id IN (SELECT id FROM health_results WHERE recorded_at < @cut ORDER BY recorded_at LIMIT @n)",
                ("cut", cut), ("n", batchSize)), cancellationToken).ConfigureAwait(false);
            batches++;
            deleted += n;
            if (n < batchSize) break;
        }
        return new StatePruneResult { Table = HealthStateArea.ResultsTable, Before = before, RowsDeleted = deleted, Batches = batches, Duration = sw.Elapsed };
    }

    /// <summary>How many results were recorded before a time (what a prune would delete).</summary>
    public static Task<long> CountBeforeAsync(IStateStore store, DateTimeOffset before, CancellationToken cancellationToken)
        => store.ReadAsync(tx => tx.ScalarAsync<long>("SELECT count(*) FROM health_results WHERE recorded_at < @cut", ("cut", before)), cancellationToken);

    /// <summary>The stored results that match, oldest first.</summary>
    public static Task<List<HealthCheckResult>> QueryAsync(IStateStore store, HealthHistoryQuery query, CancellationToken cancellationToken)
    {
        var (where, args) = Where(query);
        return store.ReadAsync(tx => tx.QueryAsync(
            $"SELECT environment, check_name, target, status, value, unit, duration_ms, recorded_at, message, computer_name FROM health_results{where} ORDER BY recorded_at, id",
            r => new HealthCheckResult
            {
                ComputerName = r.IsDBNull(9) ? null : r.GetString(9),
                Environment = r.GetString(0), Check = r.GetString(1), Target = r.GetString(2),
                Status = Enum.TryParse<HealthStatus>(r.GetString(3), out var s) ? s : HealthStatus.Unknown,
                Value = r.IsDBNull(4) ? null : r.GetDouble(4), Unit = r.IsDBNull(5) ? null : r.GetString(5),
                Duration = TimeSpan.FromMilliseconds(r.GetDouble(6)), Timestamp = StateTime.FromUnixMs(r.GetInt64(7)), Message = r.GetString(8),
            }, args), cancellationToken);
    }

    /// <summary>
    /// The samples of each series (environment, check, target) in the window, for availability, series in key order and
    /// samples oldest first. The series are listed first, then each one's (time, status) is read through the covering
    /// series index: two numbers per row instead of four strings (most of the cost at 30 days of 5-minute samples).
    /// </summary>
    public static Task<List<(string Environment, string Check, string Target, List<(long At, HealthStatus Status)> Samples)>> SeriesSamplesAsync(
        IStateStore store, HealthHistoryQuery query, CancellationToken cancellationToken)
    {
        var (where, args) = Where(query);
        return store.ReadAsync(async tx =>
        {
            var keys = await tx.QueryAsync(
                $"SELECT DISTINCT environment, check_name, target FROM health_results{where} ORDER BY environment, check_name, target",
                r => (r.GetString(0), r.GetString(1), r.GetString(2)), args).ConfigureAwait(false);
            var result = new List<(string, string, string, List<(long, HealthStatus)>)>(keys.Count);
            if (keys.Count == 0) return result;
            var seriesWhere = (where.Length == 0 ? " WHERE " : where + " AND ") + "environment = @se AND check_name = @sc AND target = @st";
            await using var cmd = tx.Command($"""
                SELECT recorded_at, CASE status WHEN 'Healthy' THEN 0 WHEN 'Warning' THEN 2 WHEN 'Critical' THEN 3 ELSE 1 END
                FROM health_results{seriesWhere} ORDER BY recorded_at
                """, [.. args, ("se", ""), ("sc", ""), ("st", "")]);
            var n = cmd.Parameters.Count;
            foreach (var (environment, check, target) in keys)
            {
                cmd.Parameters[n - 3].Value = environment;
                cmd.Parameters[n - 2].Value = check;
                cmd.Parameters[n - 1].Value = target;
                var samples = new List<(long, HealthStatus)>();
                await using (var r = await cmd.ExecuteReaderAsync(tx.CancellationToken).ConfigureAwait(false))
                {
                    if (tx.Backend == StateBackend.Sqlite) ReadSamples(r, samples); // SQLite reads synchronously anyway
                    else while (await r.ReadAsync(tx.CancellationToken).ConfigureAwait(false)) samples.Add((r.GetInt64(0), (HealthStatus)r.GetInt32(1)));
                }
                result.Add((environment, check, target, samples));
                tx.CancellationToken.ThrowIfCancellationRequested();
            }
            return result;
        }, cancellationToken);
    }

    /// <summary>
    /// The rows of one series: (time, status code; the CASE gives HealthStatus's own numbers). Optimised at once: a
    /// 30-day window is about 8,640 rows per target, and this loop at tier 0 (a warm pwsh defers tiering) doubled
    /// Measure-OpsAvailability's time.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void ReadSamples(System.Data.Common.DbDataReader r, List<(long, HealthStatus)> samples)
    {
        while (r.Read()) samples.Add((r.GetInt64(0), (HealthStatus)r.GetInt32(1)));
    }

    private static (string Where, (string, object?)[] Args) Where(HealthHistoryQuery q)
    {
        var clauses = new List<string>();
        var args = new List<(string, object?)>();
        if (!string.IsNullOrEmpty(q.Environment)) { clauses.Add("environment = @env"); args.Add(("env", q.Environment)); }
        if (q.Since is { } since) { clauses.Add("recorded_at >= @since"); args.Add(("since", since)); }
        if (q.Until is { } until) { clauses.Add("recorded_at < @until"); args.Add(("until", until)); }
        AddPatterns("check_name", "c", q.Check);
        AddPatterns("target", "t", q.Target);
        if (q.Status is { Count: > 0 } statuses)
        {
            var names = statuses.Distinct().Select((s, i) => { args.Add(($"s{i}", s.ToString())); return $"@s{i}"; });
            clauses.Add($"status IN ({string.Join(", ", names)})");
        }
        return (clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses), args.ToArray());

        void AddPatterns(string column, string prefix, IReadOnlyList<string>? patterns)
        {
            if (patterns is not { Count: > 0 }) return;
            var ors = new List<string>();
            for (var i = 0; i < patterns.Count; i++)
            {
                var name = $"{prefix}{i}";
                if (patterns[i].IndexOfAny(['*', '?']) < 0) { ors.Add($"{column} = @{name}"); args.Add((name, patterns[i])); }
                else { ors.Add($"{column} LIKE @{name} ESCAPE '\\'"); args.Add((name, ToLike(patterns[i]))); }
            }
            clauses.Add("(" + string.Join(" OR ", ors) + ")");
        }
    }

    /// <summary>A PowerShell wildcard (* and ?) as a LIKE pattern with \ as the escape character.</summary>
    internal static string ToLike(string wildcard)
    {
        var sb = new StringBuilder();
        foreach (var ch in wildcard)
            sb.Append(ch switch { '*' => "%", '?' => "_", '%' => "\\%", '_' => "\\_", '\\' => "\\\\", _ => ch.ToString() });
        return sb.ToString();
    }
}
