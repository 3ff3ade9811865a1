using System.Diagnostics;
using System.Text.Json;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Net;

namespace OpsRunbook.Core.Payments;

/// <summary>Statuspage v2's overall indicator.</summary>
public enum StripeStatusIndicator { None, Minor, Major, Critical, Maintenance }

/// <summary>One Stripe component that is not operational (degraded_performance, partial_outage, major_outage, under_maintenance).</summary>
public sealed record StripeComponentStatus(string Name, string Status);

/// <summary>Stripe's status page: the indicator, its description, and what is not operational.</summary>
public sealed class StripeStatusInfo
{
    public StripeStatusIndicator Indicator { get; init; }
    public string Description { get; init; } = "";
    /// <summary>Components whose status is not "operational" (from summary.json).</summary>
    public IReadOnlyList<StripeComponentStatus> Components { get; init; } = [];
    /// <summary>Names of unresolved incidents (from summary.json).</summary>
    public IReadOnlyList<string> Incidents { get; init; } = [];
    public DateTimeOffset? UpdatedAt { get; init; }
    public string Url { get; init; } = "";
    public TimeSpan Duration { get; init; }
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);
    public override string ToString() => $"{Indicator}: {Description}";
}

/// <summary>Reads Stripe's Statuspage v2 status.json and summary.json (the runbook's `curl .../status.json | jq`).</summary>
public static class StripeStatusReader
{
    public static async Task<StripeStatusInfo> ReadAsync(StripeConfig cfg, CancellationToken ct, TimeSpan? timeout = null)
    {
        var sw = Stopwatch.StartNew();
        var url = cfg.StatusUrl;
        var options = new HttpCallOptions
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(cfg.TimeoutSeconds), What = "Stripe status page",
            TimeoutError = ErrorIds.StripeStatusUnavailable, UnreachableError = ErrorIds.StripeStatusUnavailable,
            Fix = "Check stripe.statusUrl and the network path to it (proxy), or open https://status.stripe.com in a browser.",
        };
        // Both calls run at once, each bounded by the timeout (OpsHttp's deadline).
        var statusTask = GetJsonAsync(url, options, ct);
        // summary.json sits beside status.json and lists the components and incidents.
        var summaryUrl = url.EndsWith("status.json", StringComparison.OrdinalIgnoreCase) ? url[..^"status.json".Length] + "summary.json" : null;
        var summaryTask = summaryUrl is null ? Task.FromResult<JsonDocument?>(null) : GetJsonOrNullAsync(summaryUrl, options, ct);
        using var status = await statusTask.ConfigureAwait(false);
        using var summary = await summaryTask.ConfigureAwait(false);
        try
        {
            var s = status.RootElement.GetProperty("status");
            var indicator = s.GetProperty("indicator").GetString() ?? "";
            var components = new List<StripeComponentStatus>();
            var incidents = new List<string>();
            if (summary?.RootElement.TryGetProperty("components", out var comps) == true)
                foreach (var c in comps.EnumerateArray())
                {
                    var st = c.GetProperty("status").GetString() ?? "";
                    if (st != "operational")
                        components.Add(new(c.GetProperty("name").GetString() ?? "", st));
                }
            if (summary?.RootElement.TryGetProperty("incidents", out var inc) == true)
                foreach (var i in inc.EnumerateArray())
                    if (i.TryGetProperty("status", out var ist) && ist.GetString() is not ("resolved" or "postmortem"))
                        incidents.Add(i.GetProperty("name").GetString() ?? "");
            DateTimeOffset? updated = status.RootElement.TryGetProperty("page", out var page) && page.TryGetProperty("updated_at", out var u)
                && DateTimeOffset.TryParse(u.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at) ? at : null;
            return new StripeStatusInfo
            {
                Indicator = ParseIndicator(indicator, url),
                Description = s.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "",
                Components = components, Incidents = incidents, UpdatedAt = updated, Url = url, Duration = sw.Elapsed,
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new OpsException(ErrorIds.StripeStatusUnavailable, $"{url} did not answer in Statuspage v2 shape (status.indicator): {e.Message}", url,
                "Point stripe.statusUrl at https://status.stripe.com/api/v2/status.json.", e);
        }
    }

    private static StripeStatusIndicator ParseIndicator(string value, string url) => value switch
    {
        "none" => StripeStatusIndicator.None,
        "minor" => StripeStatusIndicator.Minor,
        "major" => StripeStatusIndicator.Major,
        "critical" => StripeStatusIndicator.Critical,
        "maintenance" => StripeStatusIndicator.Maintenance,
        _ => throw new OpsException(ErrorIds.StripeStatusUnavailable, $"{url} answered an unknown indicator '{value}'.", url, "Check stripe.statusUrl."),
    };

    private static async Task<JsonDocument> GetJsonAsync(string url, HttpCallOptions options, CancellationToken ct)
    {
        using var r = await OpsHttp.SendForSuccessAsync(() => new HttpRequestMessage(HttpMethod.Get, url), options,
            new HttpAnswerErrors { Failed = ErrorIds.StripeStatusUnavailable, Target = url, FailedFix = options.Fix }, ct).ConfigureAwait(false);
        try { return JsonDocument.Parse(r.Body); }
        catch (JsonException e) { throw new OpsException(ErrorIds.StripeStatusUnavailable, $"{url} did not answer JSON: {e.Message}", url, options.Fix, e); }
    }

    private static async Task<JsonDocument?> GetJsonOrNullAsync(string url, HttpCallOptions options, CancellationToken ct)
    {
        try { return await GetJsonAsync(url, options, ct).ConfigureAwait(false); }
        catch (OpsException) { return null; }   // the components are extra; status.json decides
    }

    /// <summary>The Payments family of Get-OpsHealth: Stripe's indicator as a status (minor and maintenance warn, major and critical are critical).</summary>
    public static async Task<IReadOnlyList<HealthCheckResult>> CheckAsync(EnvironmentConfig env, CancellationToken ct)
    {
        var cfg = env.Stripe!;
        var sw = Stopwatch.StartNew();
        try
        {
            var s = await ReadAsync(cfg, ct, HealthProbe.CurrentTimeout).ConfigureAwait(false);
            var parts = new List<string> { s.Description };
            if (s.Components.Count > 0) parts.Add("not operational: " + string.Join(", ", s.Components.Select(c => $"{c.Name} ({c.Status})")));
            if (s.Incidents.Count > 0) parts.Add("incidents: " + string.Join("; ", s.Incidents));
            return [new HealthCheckResult
            {
                Check = "Payments", Target = "stripe status",
                Status = s.Indicator switch
                {
                    StripeStatusIndicator.None => HealthStatus.Healthy,
                    StripeStatusIndicator.Minor or StripeStatusIndicator.Maintenance => HealthStatus.Warning,
                    _ => HealthStatus.Critical,
                },
                Threshold = "indicator none", Message = string.Join("; ", parts), Duration = sw.Elapsed,
            }];
        }
        catch (OpsException e) when (!e.IsConfigError)
        {
            return [new HealthCheckResult { Check = "Payments", Target = "stripe status", Status = HealthStatus.Unknown, Message = e.Message, Duration = sw.Elapsed }];
        }
    }
}
