using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Net;
using OpsRunbook.Core.State;
using Stripe;

namespace OpsRunbook.Core.Payments;

/// <summary>How a replay reaches the platform: Stripe redelivers (POST /v1/events/{id}/retry), or OpsRunbook posts the signed event itself.</summary>
public enum WebhookReplayVia { Stripe, Direct }

/// <summary>What became of one event: Delivered (2xx), AlreadyDelivered (the ledger says so; nothing sent), Rejected (the receiver or Stripe refused it: 4xx), Failed (5xx, timeout, unreachable, or in flight elsewhere).</summary>
public enum WebhookReplayStatus { Delivered, AlreadyDelivered, Rejected, Failed }

/// <summary>One event's replay.</summary>
public sealed class WebhookReplayResult
{
    public string Id { get; init; } = "";
    public string Type { get; init; } = "";
    public WebhookReplayVia Via { get; init; }
    public WebhookReplayStatus Status { get; init; }
    /// <summary>The answer's status code (the receiver's for Direct, Stripe's for Stripe); null when nothing answered.</summary>
    public int? HttpStatus { get; init; }
    /// <summary>The webhook URL (Direct) or stripe:we_... (Stripe).</summary>
    public string Endpoint { get; init; } = "";
    public TimeSpan Duration { get; init; }
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);
    public string Message { get; init; } = "";
    public DateTimeOffset Timestamp { get; init; }
    public override string ToString() => $"{Id} {Status}";
}

/// <summary>Stripe's webhook signature: Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256 of "t.payload" keyed by the endpoint secret&gt;.</summary>
public static class StripeSignature
{
    public static string Header(string secret, byte[] payload, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = new byte[t.Length + 1 + payload.Length];
        Encoding.ASCII.GetBytes(t, 0, t.Length, signed, 0);
        signed[t.Length] = (byte)'.';
        payload.CopyTo(signed, t.Length + 1);
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }
}

/// <summary>
/// Replays Stripe events to the platform's webhook endpoint, once: every event goes through the replay ledger in the
/// state store (one row per event). A replay claims the event in a write transaction (InFlight), sends it, then
/// records the outcome; an event already Delivered is skipped unless forced, and one InFlight in another run is not
/// sent again. The store is opened (and so checked writable) before the first event is sent.
/// </summary>
public sealed class WebhookReplayer : IAsyncDisposable
{
    private readonly EnvironmentConfig _env;
    private readonly StripeConfig _cfg;
    private readonly WebhookReplayVia _via;
    private readonly bool _force;
    private readonly TimeProvider _clock;
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly Func<CancellationToken, Task<IStateStore>> _openStore;
    private IStateStore? _store;
    private StripeClient? _client;

    public WebhookReplayer(EnvironmentConfig env, WebhookReplayVia via, bool force, TimeProvider? clock = null,
        Func<CancellationToken, Task<IStateStore>>? openStore = null)
    {
        _env = env;
        _cfg = env.Require(e => e.Stripe, "stripe");
        _via = via;
        _force = force;
        _clock = clock ?? TimeProvider.System;
        _openStore = openStore ?? (ct => StateStore.OpenAsync(env, ct));
        Validate();
    }

    /// <summary>Where a replay goes: the webhook URL, or stripe:we_....</summary>
    public string Endpoint => _via == WebhookReplayVia.Direct ? _cfg.WebhookUrl : "stripe:" + _cfg.WebhookEndpointId;

    /// <summary>How long a claim (InFlight) holds before another run may take the event over (the process died mid-send).</summary>
    public TimeSpan ClaimTimeout => TimeSpan.FromSeconds(_cfg.TimeoutSeconds * 2 + 30);

    private void Validate()
    {
        if (_via == WebhookReplayVia.Direct && (string.IsNullOrEmpty(_cfg.WebhookUrl) || !_cfg.WebhookSecret.IsSet))
            throw new OpsException(ErrorIds.WebhookConfigMissing, "A direct replay needs stripe.webhookUrl and stripe.webhookSecret.", "stripe",
                "Set stripe.webhookUrl (the platform's endpoint) and stripe.webhookSecret: '${env:STRIPE_WEBHOOK_SECRET}' (the endpoint's whsec_... signing secret), or use -Via Stripe.");
        if (_via == WebhookReplayVia.Stripe && string.IsNullOrEmpty(_cfg.WebhookEndpointId))
            throw new OpsException(ErrorIds.WebhookConfigMissing, "A replay through Stripe needs stripe.webhookEndpointId (we_...).", "stripe",
                "Set stripe.webhookEndpointId to the endpoint's id (Dashboard > Developers > Webhooks), or use -Via Direct.");
    }

    /// <summary>Opens the ledger now: a store that cannot be written fails here, before anything is sent.</summary>
    public async Task OpenLedgerAsync(CancellationToken ct)
    {
        if (_store is not null) return;
        try { _store = await _openStore(ct).ConfigureAwait(false); }
        catch (OpsException e) when (e.Id == ErrorIds.StateStoreReadOnly)
        {
            throw new OpsException(ErrorIds.WebhookLedgerUnavailable, $"The replay ledger cannot be written, so nothing was sent: {e.Message}", e.Target,
                e.RecommendedAction, e);
        }
        // A store that opens may still refuse writes: try one empty write transaction.
        try { await _store.WriteAsync(_ => Task.FromResult(0), ct).ConfigureAwait(false); }
        catch (OpsException e) when (e.Id == ErrorIds.StateStoreReadOnly)
        {
            throw new OpsException(ErrorIds.WebhookLedgerUnavailable, $"The replay ledger cannot be written, so nothing was sent: {e.Message}", e.Target,
                e.RecommendedAction, e);
        }
    }

    /// <summary>Replays one event (the JSON as Stripe returned it). Per-event failures are results, not exceptions.</summary>
    public async Task<WebhookReplayResult> ReplayAsync(StripeEventInfo ev, CancellationToken ct)
    {
        await OpenLedgerAsync(ct).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        var started = _clock.GetUtcNow();
        var claim = await ClaimAsync(ev, started, ct).ConfigureAwait(false);
        if (claim is not null)
            return new WebhookReplayResult
            {
                Id = ev.Id, Type = ev.Type, Via = _via, Endpoint = Endpoint, Timestamp = started, Duration = sw.Elapsed,
                Status = claim.Value.Status, HttpStatus = claim.Value.HttpStatus, Message = claim.Value.Message,
            };

        WebhookReplayStatus status;
        int? http = null;
        string message;
        try
        {
            (status, http, message) = _via == WebhookReplayVia.Direct
                ? await SendDirectAsync(ev, ct).ConfigureAwait(false)
                : await SendThroughStripeAsync(ev, ct).ConfigureAwait(false);
        }
        catch (OpsException e) when (!ct.IsCancellationRequested)
        {
            (status, message) = (WebhookReplayStatus.Failed, e.Message);
            if (e.Id == ErrorIds.StripeAuthenticationFailed)
            {
                // A wrong key fails every event: record this one and stop the run.
                await RecordAsync(ev, status, 401, message, sw.Elapsed, started, ct, release: true).ConfigureAwait(false);
                throw;
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C mid-send: the receiver may or may not have it. Leave the claim to expire; record the attempt.
            await RecordAsync(ev, WebhookReplayStatus.Failed, null, "cancelled while sending", sw.Elapsed, started, CancellationToken.None, release: false).ConfigureAwait(false);
            throw;
        }
        await RecordAsync(ev, status, http, message, sw.Elapsed, started, ct, release: true).ConfigureAwait(false);
        return new WebhookReplayResult
        {
            Id = ev.Id, Type = ev.Type, Via = _via, Endpoint = Endpoint, Timestamp = started, Duration = sw.Elapsed,
            Status = status, HttpStatus = http, Message = message,
        };
    }

    /// <summary>Claims the event for this run, or says why not (already delivered, in flight elsewhere).</summary>
    private async Task<(WebhookReplayStatus Status, int? HttpStatus, string Message)?> ClaimAsync(StripeEventInfo ev, DateTimeOffset now, CancellationToken ct)
        => await _store!.WriteAsync(async tx =>
        {
            await tx.LockAsync("payments:webhook:" + ev.Id).ConfigureAwait(false);
            var rows = await tx.QueryAsync("SELECT state, updated_at, http_status, endpoint, owner FROM payments_webhook_ledger WHERE event_id = @e",
                r => (State: r.GetString(0), At: StateTime.FromUnixMs(r.GetInt64(1)), Http: r.IsDBNull(2) ? (int?)null : (int)r.GetInt64(2), Endpoint: r.GetString(3), Owner: r.GetString(4)),
                ("e", ev.Id)).ConfigureAwait(false);
            if (rows.Count == 1)
            {
                var row = rows[0];
                if (row.State == nameof(WebhookReplayStatus.Delivered) && !_force)
                    return ((WebhookReplayStatus, int?, string)?)(WebhookReplayStatus.AlreadyDelivered, row.Http,
                        $"Delivered to {row.Endpoint} at {row.At:yyyy-MM-dd HH:mm:ss}Z (HTTP {row.Http}); not sent again (-Force sends it anyway).");
                if (row.State == "InFlight" && row.Owner != _owner && now - row.At < ClaimTimeout)
                    return (WebhookReplayStatus.Failed, null,
                        $"Another replay has been sending this event to {row.Endpoint} since {row.At:HH:mm:ss}Z; not sent twice. Run again after it ends.");
            }
            await tx.ExecuteAsync("""
                INSERT INTO payments_webhook_ledger (event_id, event_type, state, via, endpoint, owner, updated_at, attempts)
                VALUES (@e, @t, 'InFlight', @v, @p, @o, @at, 0)
                ON CONFLICT (event_id) DO UPDATE SET state = 'InFlight', via = excluded.via, endpoint = excluded.endpoint, owner = excluded.owner, updated_at = excluded.updated_at
                """, ("e", ev.Id), ("t", ev.Type), ("v", _via), ("p", Endpoint), ("o", _owner), ("at", now)).ConfigureAwait(false);
            return null;
        }, ct).ConfigureAwait(false);

    private Task RecordAsync(StripeEventInfo ev, WebhookReplayStatus status, int? http, string message, TimeSpan duration, DateTimeOffset at,
        CancellationToken ct, bool release)
        => _store!.WriteAsync(async tx =>
        {
            await tx.ExecuteAsync("""
                INSERT INTO payments_webhook_attempt (event_id, via, endpoint, attempted_at, http_status, result, duration_ms, message)
                VALUES (@e, @v, @p, @at, @h, @r, @d, @m)
                """, ("e", ev.Id), ("v", _via), ("p", Endpoint), ("at", at), ("h", http), ("r", status), ("d", duration.TotalMilliseconds), ("m", message)).ConfigureAwait(false);
            if (release)
                await tx.ExecuteAsync("""
                    UPDATE payments_webhook_ledger SET state = @s, http_status = @h, message = @m, updated_at = @now, attempts = attempts + 1
                    WHERE event_id = @e AND owner = @o
                    """, ("s", status), ("h", http), ("m", message), ("now", _clock.GetUtcNow()), ("e", ev.Id), ("o", _owner)).ConfigureAwait(false);
            return 0;
        }, ct);

    /// <summary>Posts the event's exact bytes, signed as Stripe signs them, to stripe.webhookUrl.</summary>
    private async Task<(WebhookReplayStatus, int?, string)> SendDirectAsync(StripeEventInfo ev, CancellationToken ct)
    {
        var payload = Encoding.UTF8.GetBytes(ev.RawJson);
        var header = StripeSignature.Header(_cfg.WebhookSecret.Reveal()!, payload, _clock.GetUtcNow());
        return await PostSignedAsync(_cfg, payload, header, ct).ConfigureAwait(false);
    }

    /// <summary>One signed POST to the webhook URL (no retry: a 5xx or timeout may still have been processed), classified.</summary>
    internal static async Task<(WebhookReplayStatus, int?, string)> PostSignedAsync(StripeConfig cfg, byte[] payload, string signatureHeader, CancellationToken ct)
    {
        using var r = await OpsHttp.SendAsync(() =>
        {
            var m = new HttpRequestMessage(HttpMethod.Post, cfg.WebhookUrl) { Content = new ByteArrayContent(payload) };
            m.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
            m.Headers.TryAddWithoutValidation("Stripe-Signature", signatureHeader);
            m.Headers.TryAddWithoutValidation("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks) OpsRunbook-replay");
            return m;
        }, new HttpCallOptions
        {
            Timeout = TimeSpan.FromSeconds(cfg.TimeoutSeconds), MaxAttempts = 1, What = "webhook endpoint",
            Fix = "Check that the platform's API is up (Get-OpsHealth) and stripe.webhookUrl is right; the ledger lets you run the replay again safely.",
        }, ct).ConfigureAwait(false);
        var body = r.Body.Length > 300 ? r.Body[..300] + "…" : r.Body;
        return r.StatusCode switch
        {
            >= 200 and < 300 => (WebhookReplayStatus.Delivered, r.StatusCode, $"The endpoint accepted it (HTTP {r.StatusCode})."),
            >= 400 and < 500 => (WebhookReplayStatus.Rejected, r.StatusCode, $"The endpoint refused it (HTTP {r.StatusCode}): {body}".TrimEnd(' ', ':')),
            _ => (WebhookReplayStatus.Failed, r.StatusCode, $"The endpoint failed (HTTP {r.StatusCode}): {body}".TrimEnd(' ', ':')),
        };
    }

    /// <summary>Asks Stripe to redeliver: POST /v1/events/{id}/retry with webhook_endpoint, through Stripe.net's raw request API.</summary>
    private async Task<(WebhookReplayStatus, int?, string)> SendThroughStripeAsync(StripeEventInfo ev, CancellationToken ct)
    {
        _client ??= StripeGateway.CreateClient(_cfg);
        try
        {
            var r = await _client.RawRequestAsync(HttpMethod.Post, $"/v1/events/{Uri.EscapeDataString(ev.Id)}/retry",
                "webhook_endpoint=" + Uri.EscapeDataString(_cfg.WebhookEndpointId),
                new RawRequestOptions { IdempotencyKey = $"opsrunbook-replay-{ev.Id}-{_owner}" }, ct).ConfigureAwait(false);
            var code = (int)r.StatusCode;
            return code is >= 200 and < 300
                ? (WebhookReplayStatus.Delivered, code, $"Stripe accepted the redelivery to {_cfg.WebhookEndpointId} (HTTP {code}); Stripe sends it now.")
                : (code is >= 400 and < 500 ? WebhookReplayStatus.Rejected : WebhookReplayStatus.Failed, code, $"Stripe answered HTTP {code}: {r.Content}");
        }
        catch (StripeException e)
        {
            var code = (int)e.HttpStatusCode;
            if (code == 401) throw StripeGateway.Map(e, $"event {ev.Id}", _cfg);   // a wrong key fails every event: stop
            return (code is >= 400 and < 500 && code != 429 ? WebhookReplayStatus.Rejected : WebhookReplayStatus.Failed, code == 0 ? null : code,
                StripeGateway.Map(e, $"event {ev.Id}", _cfg).Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync().ConfigureAwait(false);
        _store = null;
    }
}
