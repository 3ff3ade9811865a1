using System.Text.RegularExpressions;
using System.Text.Json;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using Stripe;

namespace OpsRunbook.Core.Payments;

/// <summary>One Stripe event, as Get-OpsStripeEvent lists it. The event's JSON as Stripe sent it is kept for a replay (<see cref="GetRawJson"/>).</summary>
public sealed class StripeEventInfo
{
    public string Id { get; init; } = "";
    public string Type { get; init; } = "";
    public DateTimeOffset Created { get; init; }
    public string? ApiVersion { get; init; }
    public long PendingWebhooks { get; init; }
    public bool Livemode { get; init; }
    /// <summary>The id of the object the event is about (in_..., ch_..., cus_...).</summary>
    public string? ObjectId { get; init; }

    internal string RawJson { get; init; } = "";

    /// <summary>The event's JSON exactly as the Stripe API returned it (what a direct replay posts). A method, so CSV and tables stay clean.</summary>
    public string GetRawJson() => RawJson;

    public override string ToString() => Id;

    internal static StripeEventInfo From(Event ev)
    {
        var o = ev.RawJsonElement ?? JsonDocument.Parse(ev.ToJson()).RootElement;
        string? Str(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var data = o.TryGetProperty("data", out var d) && d.TryGetProperty("object", out var obj) ? obj : default;
        return new StripeEventInfo
        {
            Id = Str(o, "id") ?? ev.Id ?? "",
            Type = Str(o, "type") ?? ev.Type ?? "",
            Created = o.TryGetProperty("created", out var c) && c.TryGetInt64(out var unix) ? DateTimeOffset.FromUnixTimeSeconds(unix) : new DateTimeOffset(ev.Created, TimeSpan.Zero),
            ApiVersion = Str(o, "api_version"),
            PendingWebhooks = o.TryGetProperty("pending_webhooks", out var p) && p.TryGetInt64(out var pw) ? pw : 0,
            Livemode = o.TryGetProperty("livemode", out var l) && l.ValueKind == JsonValueKind.True,
            ObjectId = Str(data, "id"),
            RawJson = o.GetRawText(),
        };
    }
}

/// <summary>What Get-OpsStripeEvent asks for.</summary>
public sealed record StripeEventQuery
{
    /// <summary>Event types; '*' wildcards allowed (invoice.*, *.payment_failed).</summary>
    public IReadOnlyList<string>? Types { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    /// <summary>Only events whose webhook delivery failed (delivery_success=false).</summary>
    public bool DeliveryFailed { get; init; }
    /// <summary>Stop after this many (0 = all).</summary>
    public int First { get; init; }
}

/// <summary>Lists and fetches events through Stripe.net (GET /v1/events with auto-paging, GET /v1/events/{id}).</summary>
public static class StripeEvents
{
    /// <summary>How long Stripe keeps events.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>The events, newest first, paged with Stripe.net's auto-paging; warns when Since reaches past Stripe's 30 days.</summary>
    public static async IAsyncEnumerable<StripeEventInfo> ListAsync(StripeConfig cfg, StripeEventQuery q, IOpsReporter reporter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct, TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var since = q.Since;
        if (since is { } s && s < now - Retention)
        {
            var cutoff = now - Retention;
            reporter.Warning($"Stripe keeps events for 30 days: nothing before {cutoff:yyyy-MM-dd HH:mm}Z can be listed, so the list starts there " +
                             $"(asked for {s:yyyy-MM-dd}). Older payments are in the Dashboard's logs and the objects themselves (invoices, charges).");
            since = cutoff;
        }
        var options = new EventListOptions { Limit = 100 };
        if (since is not null || q.Until is not null)
            options.Created = new DateRangeOptions { GreaterThanOrEqual = since?.UtcDateTime, LessThanOrEqual = q.Until?.UtcDateTime };
        if (q.DeliveryFailed) options.DeliverySuccess = false;
        var (serverTypes, serverType, filter) = PlanTypes(q.Types);
        if (serverTypes is not null) options.Types = serverTypes;
        if (serverType is not null) options.Type = serverType;
        reporter.Verbose($"GET /v1/events: types {(serverTypes is null ? serverType ?? "(all)" : string.Join(",", serverTypes))}, since {since:u}, until {q.Until:u}, delivery_success {(q.DeliveryFailed ? "false" : "(any)")}.");

        var client = StripeGateway.CreateClient(cfg);
        var service = new EventService(client);
        var count = 0;
        await using var e = Page(service, options, cfg, ct).GetAsyncEnumerator(ct);
        while (await e.MoveNextAsync().ConfigureAwait(false))
        {
            if (filter is not null && !filter.IsMatch(e.Current.Type)) continue;
            yield return e.Current;
            if (q.First > 0 && ++count >= q.First) yield break;
        }
    }

    private static async IAsyncEnumerable<StripeEventInfo> Page(EventService service, EventListOptions options, StripeConfig cfg,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var it = service.ListAutoPagingAsync(options, null, ct).GetAsyncEnumerator(ct);
        try
        {
            while (true)
            {
                Event ev;
                try
                {
                    if (!await it.MoveNextAsync().ConfigureAwait(false)) yield break;
                    ev = it.Current;
                }
                catch (StripeException x) { throw StripeGateway.Map(x, "GET /v1/events", cfg); }
                yield return StripeEventInfo.From(ev);
            }
        }
        finally { await it.DisposeAsync().ConfigureAwait(false); }
    }

    /// <summary>One event by id (GET /v1/events/{id}).</summary>
    public static async Task<StripeEventInfo> GetAsync(StripeConfig cfg, string id, CancellationToken ct)
    {
        var service = new EventService(StripeGateway.CreateClient(cfg));
        try
        {
            var ev = await service.GetAsync(id, null, null, ct).ConfigureAwait(false);
            return StripeEventInfo.From(ev);
        }
        catch (StripeException x) { throw StripeGateway.Map(x, $"event {id}", cfg); }
    }

    /// <summary>
    /// Which filter Stripe can apply: exact names go as types[] (up to 20), one name with a wildcard as type=
    /// (Stripe accepts 'invoice.*'), anything else is filtered here. Every event is matched here too.
    /// </summary>
    internal static (List<string>? Types, string? Type, Regex? Filter) PlanTypes(IReadOnlyList<string>? patterns)
    {
        if (patterns is null || patterns.Count == 0) return (null, null, null);
        var filter = new Regex("^(" + string.Join("|", patterns.Select(p => Regex.Escape(p).Replace("\\*", ".*").Replace("\\?", "."))) + ")$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var wild = patterns.Any(p => p.Contains('*') || p.Contains('?'));
        if (!wild && patterns.Count <= 20) return (patterns.ToList(), null, filter);
        if (patterns.Count == 1 && Regex.IsMatch(patterns[0], @"^[a-z_.]+\.\*$")) return (null, patterns[0], filter);
        return (null, null, filter);
    }
}
