using OpsRunbook.Core.Health;
using OpsRunbook.Core.State;
using OpsRunbook.Core.Tests.Disk;

namespace OpsRunbook.Core.Tests.Health;

/// <summary>Availability arithmetic against series computed by hand.</summary>
public class AvailabilityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private const long Min = 60_000;

    /// <summary>30 days of 5-minute samples from T0; status by minute offset.</summary>
    private static List<(long, HealthStatus)> Month(Func<long, HealthStatus> statusAtMinute, Func<long, bool>? skip = null)
    {
        var list = new List<(long, HealthStatus)>();
        for (long m = 0; m < 30 * 24 * 60; m += 5)
            if (skip?.Invoke(m) != true) list.Add((T0.ToUnixTimeMilliseconds() + m * Min, statusAtMinute(m)));
        return list;
    }

    // Outage 1: day 3, 10:00 to 10:45 (9 Critical samples = 45 min). Outage 2: day 12, 22:00 to 00:00 (24 samples = 120 min).
    private static readonly (long Start, long End)[] Outages = [(2 * 1440 + 600, 2 * 1440 + 645), (11 * 1440 + 1320, 12 * 1440)];

    private static HealthStatus WithOutages(long m) => Outages.Any(o => m >= o.Start && m < o.End) ? HealthStatus.Critical
        : m % 7 == 0 ? HealthStatus.Warning : HealthStatus.Healthy; // Warning counts as up

    [Fact]
    public void Thirty_days_with_two_known_outages_gives_the_exact_availability_and_downtime()
    {
        var r = AvailabilityCalculator.Compute("p", "Service", "api", Month(WithOutages), T0, T0.AddDays(30));
        Assert.Equal(8640, r.Samples);
        Assert.Equal(TimeSpan.FromMinutes(5), r.Interval);
        Assert.Equal(165, r.DowntimeMinutes);
        Assert.Equal(0, r.UnknownMinutes);
        Assert.Equal(43200 - 165, r.UpMinutes);
        Assert.Equal(1 - 165.0 / 43200, r.Availability!.Value, 12);  // 99.6180555...%
        Assert.Equal(TimeSpan.FromMinutes(120), r.LongestOutage);
        Assert.Equal(T0.AddMinutes(11 * 1440 + 1320), r.LongestOutageStart);
        Assert.Equal(T0.AddMinutes(12 * 1440), r.LongestOutageEnd);
    }

    [Fact]
    public void A_gap_of_one_hour_is_Unknown_not_up()
    {
        // No samples from day 5 09:05 to 10:00: the 09:00 sample stands for 5 minutes, then 55 minutes are Unknown.
        long gapFrom = 4 * 1440 + 545, gapTo = 4 * 1440 + 600;
        var r = AvailabilityCalculator.Compute("p", "Service", "api", Month(WithOutages, m => m >= gapFrom && m < gapTo), T0, T0.AddDays(30));
        Assert.Equal(8640 - 11, r.Samples);
        Assert.Equal(55, r.UnknownMinutes);
        Assert.Equal(165, r.DowntimeMinutes);
        Assert.Equal((43200 - 165 - 55) / 43200.0, r.Availability!.Value, 12);
    }

    [Fact]
    public void A_gap_of_up_to_three_intervals_counts_with_the_sample_before_it()
    {
        // Two missed samples (15 minutes between samples) is not a gap.
        var r = AvailabilityCalculator.Compute("p", "Disk", "/", Month(_ => HealthStatus.Healthy, m => m is 100 or 105), T0, T0.AddDays(30));
        Assert.Equal(0, r.UnknownMinutes);
        Assert.Equal(1.0, r.Availability);
    }

    [Fact]
    public void An_outage_broken_by_a_gap_is_two_outages_and_Unknown_samples_are_not_up()
    {
        var s = new List<(long, HealthStatus)>
        {
            (0, HealthStatus.Healthy), (5 * Min, HealthStatus.Critical), (10 * Min, HealthStatus.Critical),
            (60 * Min, HealthStatus.Critical), (65 * Min, HealthStatus.Unknown), (70 * Min, HealthStatus.Healthy),
        };
        var r = AvailabilityCalculator.Compute("p", "Redis", "r", s, StateTime.FromUnixMs(0), StateTime.FromUnixMs(75 * Min), TimeSpan.FromMinutes(5));
        Assert.Equal(15, r.DowntimeMinutes);          // 5-10, 10-15 (then a 45-min gap: Unknown), 60-65
        Assert.Equal(45 + 5, r.UnknownMinutes);       // the gap and the Unknown sample
        Assert.Equal(10, r.UpMinutes);
        Assert.Equal(TimeSpan.FromMinutes(10), r.LongestOutage);
        Assert.Equal(StateTime.FromUnixMs(5 * Min), r.LongestOutageStart);
    }

    [Fact]
    public void No_samples_gives_no_availability()
    {
        var r = AvailabilityCalculator.Compute("p", "Queue", "q", [], T0, T0.AddDays(1));
        Assert.Null(r.Availability);
        Assert.Equal(0, r.Samples);
    }

    [Fact]
    public void Wildcards_become_escaped_LIKE_patterns()
    {
        Assert.Equal("api\\_%", HealthHistory.ToLike("api_*"));
        Assert.Equal("/srv/_", HealthHistory.ToLike("/srv/?"));
        Assert.Equal("100\\%", HealthHistory.ToLike("100%"));
    }
}

/// <summary>Storing, querying, pruning and measuring through a real SQLite file.</summary>
public sealed class HealthHistorySqliteTests : HealthHistoryStoreTests, IDisposable
{
    private readonly TempTree _dir = new();
    protected override OpsRunbook.Core.Config.StateConfig Config() => new() { Path = Path.Combine(_dir.Root, "state.db") };
    public void Dispose() => _dir.Dispose();
}

/// <summary>The same on the sandbox's PostgreSQL, in a schema of its own.</summary>
public sealed class HealthHistoryPostgresTests : HealthHistoryStoreTests, IAsyncLifetime
{
    private readonly string _schema = "hh_" + Guid.NewGuid().ToString("N")[..12];
    protected override OpsRunbook.Core.Config.StateConfig Config() => new() { Postgres = Sandbox.Environment().Postgres, Schema = _schema };
    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync()
    {
        await using var conn = await OpsRunbook.Core.Data.PgConnector.OpenAsync(Sandbox.Environment().Postgres!, null, CancellationToken.None);
        await using var cmd = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>Storing, querying, pruning and measuring, on either backend.</summary>
public abstract class HealthHistoryStoreTests
{
    protected abstract OpsRunbook.Core.Config.StateConfig Config();
    private Task<IStateStore> Open() => StateStore.OpenAsync(Config(), [new HealthStateArea()], CancellationToken.None);

    private static HealthCheckResult R(string check, string target, HealthStatus s, DateTimeOffset at, double? v = null) => new()
    {
        Environment = "prod", Check = check, Target = target, Status = s, Value = v, Unit = v is null ? null : "%",
        Duration = TimeSpan.FromMilliseconds(3.5), Timestamp = at, Message = $"{check} {target} {s}",
    };

    [Fact]
    public async Task Stores_and_reads_back_every_field_with_filters()
    {
        await using var store = await Open();
        var now = DateTimeOffset.UtcNow;
        var t = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, now.Offset);
        await HealthHistory.SaveAsync(store, [R("Disk", "/", HealthStatus.Warning, t, 85.5), R("Disk", "/srv", HealthStatus.Healthy, t), R("Service", "api_1", HealthStatus.Critical, t)], CancellationToken.None);
        var all = await HealthHistory.QueryAsync(store, new HealthHistoryQuery { Environment = "prod" }, CancellationToken.None);
        Assert.Equal(3, all.Count);
        var disk = all[0];
        Assert.Equal(("prod", "Disk", "/", HealthStatus.Warning, 85.5, "%", 3.5, t, "Disk / Warning"),
            (disk.Environment, disk.Check, disk.Target, disk.Status, disk.Value!.Value, disk.Unit, disk.DurationMs, disk.Timestamp, disk.Message));
        Assert.Single(await HealthHistory.QueryAsync(store, new HealthHistoryQuery { Target = ["/s*"] }, CancellationToken.None));
        Assert.Single(await HealthHistory.QueryAsync(store, new HealthHistoryQuery { Target = ["api?1"] }, CancellationToken.None));
        Assert.Empty(await HealthHistory.QueryAsync(store, new HealthHistoryQuery { Target = ["api?2"] }, CancellationToken.None));
        Assert.Equal(2, (await HealthHistory.QueryAsync(store, new HealthHistoryQuery { Status = [HealthStatus.Warning, HealthStatus.Critical] }, CancellationToken.None)).Count);
        Assert.Empty(await HealthHistory.QueryAsync(store, new HealthHistoryQuery { Environment = "staging" }, CancellationToken.None));
        Assert.Empty(await HealthHistory.QueryAsync(store, new HealthHistoryQuery { Since = t.AddSeconds(1) }, CancellationToken.None));
    }

    [Fact]
    public async Task Prunes_in_batches_and_keeps_what_is_newer()
    {
        await using var store = await Open();
        var cut = DateTimeOffset.UtcNow.AddDays(-400);
        var old = Enumerable.Range(0, 2500).Select(i => R("Disk", "/", HealthStatus.Healthy, cut.AddMinutes(-5 * (i + 1)))).ToList();
        await HealthHistory.SaveAsync(store, old, CancellationToken.None);
        await HealthHistory.SaveAsync(store, [R("Disk", "/", HealthStatus.Healthy, cut.AddMinutes(1))], CancellationToken.None);
        var p = await HealthHistory.PruneAsync(store, cut, CancellationToken.None, batchSize: 1000);
        Assert.Equal(2500, p.RowsDeleted);
        Assert.Equal(3, p.Batches);
        Assert.Single(await HealthHistory.QueryAsync(store, new HealthHistoryQuery(), CancellationToken.None));
        Assert.Equal(0, (await HealthHistory.PruneAsync(store, cut, CancellationToken.None)).Batches); // nothing old: no write transaction
    }

    [Fact]
    public async Task Measures_each_series_from_the_store()
    {
        await using var store = await Open();
        var until = DateTimeOffset.UtcNow;
        var since = until.AddHours(-2);
        var rows = new List<HealthCheckResult>();
        for (var m = 0; m < 120; m += 5)
        {
            rows.Add(R("Service", "api", m is >= 30 and < 45 ? HealthStatus.Critical : HealthStatus.Healthy, since.AddMinutes(m)));
            rows.Add(R("Service", "web", HealthStatus.Healthy, since.AddMinutes(m)));
        }
        await HealthHistory.SaveAsync(store, rows, CancellationToken.None);
        var r = await AvailabilityCalculator.MeasureAsync(store, new HealthHistoryQuery { Environment = "prod", Since = since, Until = until }, null, CancellationToken.None);
        Assert.Equal(["api", "web"], r.Select(x => x.Target));
        Assert.Equal(15, r[0].DowntimeMinutes, 6);
        Assert.Equal(1 - 15 / 120.0, r[0].Availability!.Value, 6);
        Assert.Equal(1.0, r[1].Availability);
    }

    [Fact]
    public async Task Measures_every_status_and_filter_and_a_store_of_health_version_1_is_migrated_to_the_covering_index()
    {
        // A store written before the covering index (health version 1), with rows in it.
        var until = DateTimeOffset.UtcNow;
        var since = until.AddHours(-1);
        await using (var v1 = await StateStore.OpenAsync(Config(), [new HealthAreaAt(1)], CancellationToken.None))
        {
            Assert.Equal(1, v1.SchemaVersions["health"]);
            var statuses = new[] { HealthStatus.Healthy, HealthStatus.Warning, HealthStatus.Critical, HealthStatus.Unknown };
            var rows = Enumerable.Range(0, 12).SelectMany(i => new[]
            {
                R("Service", "api", statuses[i / 3], since.AddMinutes(5 * i)),
                R("Disk", "/", HealthStatus.Healthy, since.AddMinutes(5 * i)),
                R("Disk", "/", HealthStatus.Critical, since.AddMinutes(-90)), // before the window
            }).ToList();
            // Written with version 1's columns (today's SaveAsync also writes computer_name, added by a later migration).
            await v1.WriteAsync(async tx =>
            {
                foreach (var x in rows)
                {
                    await using var cmd = tx.Command("""
                        INSERT INTO health_results (environment, check_name, target, status, value, unit, duration_ms, recorded_at, message)
                        VALUES (@e, @c, @t, @s, @v, @u, @d, @at, @m)
                        """, ("e", x.Environment), ("c", x.Check), ("t", x.Target), ("s", x.Status.ToString()), ("v", 0.0), ("u", ""),
                        ("d", x.Duration.TotalMilliseconds), ("at", x.Timestamp.ToUnixTimeMilliseconds()), ("m", x.Message ?? ""));
                    await cmd.ExecuteNonQueryAsync(tx.CancellationToken);
                }
                return rows.Count;
            }, CancellationToken.None);
        }
        await using var store = await Open();
        Assert.Equal(3, store.SchemaVersions["health"]);
        var r = await AvailabilityCalculator.MeasureAsync(store, new HealthHistoryQuery { Environment = "prod", Since = since, Until = until }, null, CancellationToken.None);
        Assert.Equal([("Disk", "/"), ("Service", "api")], r.Select(x => (x.Check, x.Target)));
        Assert.Equal(1.0, r[0].Availability);
        Assert.Equal(12, r[0].Samples);
        var api = r[1];
        Assert.Equal((15.0, 15.0, 15.0), (api.DowntimeMinutes, api.UnknownMinutes, api.UpMinutes - 15)); // 15 min Healthy + 15 Warning are up
        Assert.Equal(0.5, api.Availability!.Value, 9);
        Assert.Equal(TimeSpan.FromMinutes(15), api.LongestOutage);
        var onlyApi = await AvailabilityCalculator.MeasureAsync(store, new HealthHistoryQuery { Environment = "prod", Since = since, Until = until, Target = ["a*"] }, null, CancellationToken.None);
        Assert.Equal("api", Assert.Single(onlyApi).Target);
        Assert.Empty(await AvailabilityCalculator.MeasureAsync(store, new HealthHistoryQuery { Environment = "staging", Since = since, Until = until }, null, CancellationToken.None));
    }
}

/// <summary>The health area as it was at an earlier schema version.</summary>
internal sealed class HealthAreaAt(int version) : IStateArea
{
    private readonly HealthStateArea _area = new();
    public string Name => _area.Name;
    public IReadOnlyList<string> Tables => _area.Tables;
    public IReadOnlyList<StateMigration> Migrations => _area.Migrations.Take(version).ToList();
}
