using System.Text;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Net;

namespace OpsRunbook.Core.Metrics;

/// <summary>What a push to a Pushgateway did: where the group lives and what it holds now.</summary>
public sealed record PushgatewayPush
{
    /// <summary>The group's URL (scheme, host, port and path; never credentials).</summary>
    public required string Url { get; init; }
    public required string Job { get; init; }
    public required string Instance { get; init; }
    public int Results { get; init; }
    public int StatusCode { get; init; }
}

/// <summary>
/// Pushes Prometheus text to a Pushgateway (the Pushgateway's HTTP API: PUT /metrics/job/JOB/instance/INSTANCE),
/// replacing every metric of that group, so a host's last run is what Prometheus sees. Label values are written
/// base64url-encoded (<c>instance@base64/...</c>) whenever they hold a '/' or are not plain, as the API asks.
/// One bound covers retries (OpsHttp).
/// </summary>
public static class Pushgateway
{
    /// <summary>The group URL for a job and grouping labels (instance first).</summary>
    public static Uri GroupUrl(string baseUrl, string job, IEnumerable<KeyValuePair<string, string>> labels)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var b) || (b.Scheme != Uri.UriSchemeHttp && b.Scheme != Uri.UriSchemeHttps))
            throw new OpsException(ErrorIds.PushgatewayUrlInvalid, $"'{baseUrl}' is not an absolute http(s) URL of a Pushgateway.", baseUrl,
                "Give the Pushgateway's base URL, e.g. http://pushgateway:9091.");
        var path = new StringBuilder(b.AbsolutePath.TrimEnd('/')).Append("/metrics");
        foreach (var (name, value) in new[] { new KeyValuePair<string, string>("job", job) }.Concat(labels))
        {
            if (string.IsNullOrEmpty(name) || !IsLabelName(name))
                throw new OpsException(ErrorIds.PushgatewayUrlInvalid, $"'{name}' is not a Prometheus label name.", name, "Use letters, digits and '_', not starting with a digit.");
            if (string.IsNullOrEmpty(value))
                throw new OpsException(ErrorIds.PushgatewayUrlInvalid, $"The grouping label '{name}' is empty.", name, $"Give -{(name == "job" ? "Job" : name == "instance" ? "Instance" : "GroupingLabel")} a value.");
            path.Append('/').Append(name);
            if (value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
                path.Append('/').Append(value);
            else
                path.Append("@base64/").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        }
        return new UriBuilder(b.Scheme, b.Host, b.Port, path.ToString()).Uri;
    }

    private static bool IsLabelName(string s) => s.Length > 0 && !char.IsAsciiDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>PUTs the text into the group (replacing it). Errors: PushgatewayRejected, PushgatewayTimeout, PushgatewayUnreachable.</summary>
    public static async Task<PushgatewayPush> PushAsync(string baseUrl, string job, string instance, IEnumerable<KeyValuePair<string, string>>? extraLabels,
        string text, int results, TimeSpan timeout, CancellationToken ct)
    {
        var labels = new List<KeyValuePair<string, string>> { new("instance", instance) };
        if (extraLabels is not null) labels.AddRange(extraLabels.Where(l => l.Key is not ("job" or "instance")));
        var url = GroupUrl(baseUrl, job, labels);
        var options = new HttpCallOptions
        {
            Timeout = timeout, What = "Pushgateway",
            TimeoutError = ErrorIds.PushgatewayTimeout, UnreachableError = ErrorIds.PushgatewayUnreachable,
            Fix = "Check that the Pushgateway is up and -PushgatewayUrl is right (its default port is 9091).",
        };
        var shown = OpsHttp.Redact(url);
        using var result = await OpsHttp.SendForSuccessAsync(() => new HttpRequestMessage(HttpMethod.Put, url)
        {
            Content = new StringContent(text, Encoding.UTF8, "text/plain") { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(PrometheusWriter.ContentType) } },
        }, options, new HttpAnswerErrors
        {
            Failed = ErrorIds.PushgatewayRejected, Target = shown, Detail = r => r.Body.Trim(),
            FailedFix = "Metric names or labels that clash with another group's HELP/TYPE, or a job/instance label inside the metrics, are refused; the message says which.",
        }, ct).ConfigureAwait(false);
        return new PushgatewayPush { Url = shown, Job = job, Instance = instance, Results = results, StatusCode = result.StatusCode };
    }
}
