using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Payments;
using OpsRunbook.Core.State;
using OpsRunbook.Core.Tests.Disk;
using Stripe;

namespace OpsRunbook.Core.Tests.Payments;

/// <summary>
/// The webhook signature, judged by Stripe's own code: Stripe.net's EventUtility here, and the official npm stripe
/// package's constructEvent in the sandbox's webhook receiver (tests/sandbox/node/payments-stub.mjs).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class WebhookReplayTests : IDisposable
{
    private const string Secret = "whsec_test_5a2bd1c0e3f4";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "opsrb-replay-" + Guid.NewGuid().ToString("N"));

    private static string EventJson(string id) => $$$"""
        {"id":"{{{id}}}","object":"event","api_version":"2026-10-28.endive","created":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"data":{"object":{"id":"in_1MtHbELkdIwHu7ixl4OzzPMv","object":"invoice","amount_due":1999,"currency":"usd","customer":"cus_NeZwdNtLEOXuvB","status":"open"}},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"invoice.payment_failed"}
        """;

    [Fact]
    public void Stripe_net_accepts_the_signature()
    {
        var json = EventJson("evt_sig_ok");
        var header = StripeSignature.Header(Secret, Encoding.UTF8.GetBytes(json), DateTimeOffset.UtcNow);
        var ev = EventUtility.ConstructEvent(json, header, Secret, throwOnApiVersionMismatch: false);
        Assert.Equal("evt_sig_ok", ev.Id);
        Assert.Equal("invoice.payment_failed", ev.Type);
    }

    [Fact]
    public void Stripe_net_refuses_a_tampered_body_a_wrong_secret_and_an_old_timestamp()
    {
        var json = EventJson("evt_sig_bad");
        var bytes = Encoding.UTF8.GetBytes(json);
        var good = StripeSignature.Header(Secret, bytes, DateTimeOffset.UtcNow);
        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(json.Replace("1999", "1"), good, Secret, throwOnApiVersionMismatch: false));
        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(json, StripeSignature.Header("whsec_other", bytes, DateTimeOffset.UtcNow), Secret, throwOnApiVersionMismatch: false));
        var old = StripeSignature.Header(Secret, bytes, DateTimeOffset.UtcNow.AddSeconds(-400));
        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(json, old, Secret, tolerance: 300, throwOnApiVersionMismatch: false));
    }

    private static async Task<List<JsonElement>> ReceiverCallsAsync(EnvironmentConfig env)
    {
        var baseUri = new Uri(env.Stripe!.WebhookUrl);
        using var http = new HttpClient();
        return (await http.GetFromJsonAsync<List<JsonElement>>(new Uri(baseUri, "/_calls")))!;
    }

    [Fact]
    public async Task The_sandbox_receiver_built_on_the_stripe_package_accepts_ours_and_rejects_tampering_wrong_secrets_and_old_timestamps()
    {
        var env = Sandbox.Environment();
        var cfg = env.Stripe!;
        var secret = Sandbox.GetVariable("STRIPE_WEBHOOK_SECRET")!;
        var id = "evt_x" + Guid.NewGuid().ToString("N")[..20];
        var bytes = Encoding.UTF8.GetBytes(EventJson(id));
        var now = DateTimeOffset.UtcNow;

        var (ok, okHttp, _) = await WebhookReplayer.PostSignedAsync(cfg, bytes, StripeSignature.Header(secret, bytes, now), CancellationToken.None);
        Assert.Equal(WebhookReplayStatus.Delivered, ok);
        Assert.Equal(200, okHttp);

        var tampered = Encoding.UTF8.GetBytes(EventJson(id).Replace("1999", "1"));
        var (t, tHttp, tMsg) = await WebhookReplayer.PostSignedAsync(cfg, tampered, StripeSignature.Header(secret, bytes, now), CancellationToken.None);
        Assert.Equal(WebhookReplayStatus.Rejected, t);
        Assert.Equal(400, tHttp);
        Assert.Contains("No signatures found matching the expected signature", tMsg);

        var (w, _, wMsg) = await WebhookReplayer.PostSignedAsync(cfg, bytes, StripeSignature.Header("whsec_wrong", bytes, now), CancellationToken.None);
        Assert.Equal(WebhookReplayStatus.Rejected, w);
        Assert.Contains("No signatures found", wMsg);

        var (o, _, oMsg) = await WebhookReplayer.PostSignedAsync(cfg, bytes, StripeSignature.Header(secret, bytes, now.AddSeconds(-400)), CancellationToken.None);
        Assert.Equal(WebhookReplayStatus.Rejected, o);
        Assert.Contains("tolerance", oMsg);

        var mine = (await ReceiverCallsAsync(env)).Where(c => c.GetProperty("id").ValueKind == JsonValueKind.String && c.GetProperty("id").GetString() == id).ToList();
        Assert.Equal(4, mine.Count);
        Assert.Equal([true, false, false, false], mine.Select(c => c.GetProperty("verified").GetBoolean()));
    }

    [Fact]
    public async Task A_read_only_ledger_stops_the_replay_before_anything_is_sent()
    {
        var env = Sandbox.Environment();
        var db = Path.Combine(_dir, "state.db");
        var areas = new IStateArea[] { new PaymentsStateArea() };
        await using (var _ = await StateStore.OpenAsync(new StateConfig { Path = db }, areas, CancellationToken.None)) { }
        System.IO.File.SetUnixFileMode(db, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var id = "evt_ro" + Guid.NewGuid().ToString("N")[..20];
        var ev = new StripeEventInfo { Id = id, Type = "invoice.payment_failed", RawJson = EventJson(id) };
        var e = UnprivilegedThread.Run(() => Assert.ThrowsAsync<OpsException>(async () =>
        {
            await using var replayer = new WebhookReplayer(env, WebhookReplayVia.Direct, force: false,
                openStore: ct => StateStore.OpenAsync(new StateConfig { Path = db }, areas, ct));
            await replayer.ReplayAsync(ev, CancellationToken.None);
        }).GetAwaiter().GetResult());
        Assert.Equal(ErrorIds.WebhookLedgerUnavailable, e.Id);
        Assert.Contains("nothing was sent", e.Message);
        Assert.DoesNotContain(await ReceiverCallsAsync(env), c => c.GetProperty("id").ValueKind == JsonValueKind.String && c.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task The_ledger_delivers_each_event_once_and_records_every_attempt()
    {
        var env = Sandbox.Environment();
        var db = Path.Combine(_dir, "ledger.db");
        var areas = new IStateArea[] { new PaymentsStateArea() };
        Func<CancellationToken, Task<IStateStore>> open = ct => StateStore.OpenAsync(new StateConfig { Path = db }, areas, ct);
        var id = "evt_led" + Guid.NewGuid().ToString("N")[..20];
        var ev = new StripeEventInfo { Id = id, Type = "invoice.payment_failed", RawJson = EventJson(id) };
        await using (var a = new WebhookReplayer(env, WebhookReplayVia.Direct, force: false, openStore: open))
        {
            Assert.Equal(WebhookReplayStatus.Delivered, (await a.ReplayAsync(ev, CancellationToken.None)).Status);
            Assert.Equal(WebhookReplayStatus.AlreadyDelivered, (await a.ReplayAsync(ev, CancellationToken.None)).Status);
        }
        await using (var b = new WebhookReplayer(env, WebhookReplayVia.Direct, force: false, openStore: open))
            Assert.Equal(WebhookReplayStatus.AlreadyDelivered, (await b.ReplayAsync(ev, CancellationToken.None)).Status);
        await using (var f = new WebhookReplayer(env, WebhookReplayVia.Direct, force: true, openStore: open))
            Assert.Equal(WebhookReplayStatus.Delivered, (await f.ReplayAsync(ev, CancellationToken.None)).Status);
        await using var store = await open(CancellationToken.None);
        var attempts = await store.ReadAsync(tx => tx.ScalarAsync<long>("SELECT count(*) FROM payments_webhook_attempt WHERE event_id = @e", ("e", id)), CancellationToken.None);
        Assert.Equal(2, attempts);
        var delivered = (await ReceiverCallsAsync(env)).Count(c => c.GetProperty("id").ValueKind == JsonValueKind.String && c.GetProperty("id").GetString() == id && c.GetProperty("verified").GetBoolean());
        Assert.Equal(2, delivered);   // once, then once more with force
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
