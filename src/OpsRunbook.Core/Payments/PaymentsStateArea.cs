using OpsRunbook.Core.State;

namespace OpsRunbook.Core.Payments;

/// <summary>
/// The Payments area's tables in the state store: the webhook replay ledger. payments_webhook_ledger has one row per
/// event (its latest state: InFlight while a replay is under way, then Delivered, Rejected or Failed);
/// payments_webhook_attempt keeps every attempt (endpoint, time, HTTP status, result).
/// </summary>
public sealed class PaymentsStateArea : IStateArea
{
    public string Name => "payments";
    public IReadOnlyList<string> Tables { get; } = ["payments_webhook_ledger", "payments_webhook_attempt"];
    public IReadOnlyList<StateMigration> Migrations { get; } =
    [
        new(1, "webhook replay ledger", """
            CREATE TABLE IF NOT EXISTS payments_webhook_ledger (
                event_id TEXT NOT NULL PRIMARY KEY,
                event_type TEXT NOT NULL,
                state TEXT NOT NULL,
                via TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                owner TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                http_status BIGINT,
                attempts BIGINT NOT NULL,
                message TEXT);
            CREATE TABLE IF NOT EXISTS payments_webhook_attempt (
                id {{identity}},
                event_id TEXT NOT NULL,
                via TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                attempted_at BIGINT NOT NULL,
                http_status BIGINT,
                result TEXT NOT NULL,
                duration_ms DOUBLE PRECISION NOT NULL,
                message TEXT);
            CREATE INDEX IF NOT EXISTS payments_webhook_attempt_event ON payments_webhook_attempt (event_id, attempted_at);
            """),
    ];
}
