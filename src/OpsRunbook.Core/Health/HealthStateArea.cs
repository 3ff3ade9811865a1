using OpsRunbook.Core.State;

namespace OpsRunbook.Core.Health;

/// <summary>The health history's tables in the state store: one row per stored HealthCheckResult.</summary>
public sealed class HealthStateArea : IStateArea
{
    public const string ResultsTable = "health_results";

    public string Name => "health";

    public IReadOnlyList<string> Tables { get; } = [ResultsTable];

    public IReadOnlyList<StateMigration> Migrations { get; } =
    [
        new(1, "health results", """
            CREATE TABLE IF NOT EXISTS health_results (
                id {{identity}},
                environment TEXT NOT NULL,
                check_name TEXT NOT NULL,
                target TEXT NOT NULL,
                status TEXT NOT NULL,
                value DOUBLE PRECISION,
                unit TEXT,
                duration_ms DOUBLE PRECISION NOT NULL,
                recorded_at BIGINT NOT NULL,
                message TEXT NOT NULL DEFAULT '');
            CREATE INDEX IF NOT EXISTS health_results_series ON health_results (environment, check_name, target, recorded_at);
            CREATE INDEX IF NOT EXISTS health_results_time ON health_results (recorded_at);
            """),
        // Availability reads (time, status) per series: with status in the series index those reads never visit the
        // table. It replaces the old series index (same leading columns), so a write still updates two indexes.
        new(2, "health results: series index covers status", """
            CREATE INDEX IF NOT EXISTS health_results_series_status ON health_results (environment, check_name, target, recorded_at, status);
            DROP INDEX IF EXISTS health_results_series;
            """),
    ];
}
