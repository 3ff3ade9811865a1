using System.Diagnostics;
using System.Globalization;
using System.Net;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Net;

/// <summary>How one logical HTTP call may be retried and how long it may take in all.</summary>
public sealed record HttpCallOptions
{
    /// <summary>The bound on the whole call: every attempt, every wait between attempts and the body read.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Attempts in all (1 = no retry). Retries happen on connection failures, 429, 502, 503 and 504 (500 too with <see cref="RetryOn500"/>).</summary>
    public int MaxAttempts { get; init; } = 3;
    /// <summary>Retry a 500 answer as well (webhooks and notification channels: the receiver may be restarting).</summary>
    public bool RetryOn500 { get; init; }
    /// <summary>First backoff; doubled each retry, with jitter, capped by <see cref="MaxDelay"/>. A Retry-After header wins when it fits in the bound.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>The error id when the bound runs out (default HttpTimeout). Callers name their dependency: StripeTimeout, NotificationTimeout...</summary>
    public OpsErrorId? TimeoutError { get; init; }
    /// <summary>The error id when the endpoint cannot be reached at all (default HttpUnreachable).</summary>
    public OpsErrorId? UnreachableError { get; init; }
    /// <summary>What the endpoint is, for messages ("Stripe API", "webhook receiver"). Never a secret.</summary>
    public string What { get; init; } = "HTTP endpoint";
    /// <summary>Recommended action for timeout/unreachable errors.</summary>
    public string? Fix { get; init; }
}

/// <summary>
/// Which named error each kind of answer that is not 2xx becomes, for <see cref="OpsHttp.SendForSuccessAsync"/>. Timeouts
/// and endpoints that cannot be reached are named by <see cref="HttpCallOptions.TimeoutError"/> and
/// <see cref="HttpCallOptions.UnreachableError"/>, as with <see cref="OpsHttp.SendAsync"/>.
/// </summary>
public sealed record HttpAnswerErrors
{
    /// <summary>401 and 403: the credentials were refused. Null: such an answer is <see cref="Failed"/>.</summary>
    public OpsErrorId? Refused { get; init; }
    public string? RefusedFix { get; init; }
    /// <summary>404. Null: such an answer is <see cref="Failed"/>.</summary>
    public OpsErrorId? NotFound { get; init; }
    public string? NotFoundFix { get; init; }
    /// <summary>Every other answer that is not 2xx.</summary>
    public required OpsErrorId Failed { get; init; }
    public string? FailedFix { get; init; }
    /// <summary>The error's target (a page id, an API operation); default the request, redacted ("GET https://host/path").</summary>
    public string? Target { get; init; }
    /// <summary>The service's own words from a failed answer (its error field); default the body, at most 200 characters.</summary>
    public Func<HttpCallResult, string>? Detail { get; init; }
    /// <summary>A fix that depends on the answer (e.g. its error type); wins over the fixed ones when it returns text.</summary>
    public Func<HttpCallResult, string?>? FixFor { get; init; }
}

/// <summary>What a call ended with: the final answer and how many attempts it took.</summary>
public sealed class HttpCallResult : IDisposable
{
    internal HttpCallResult(HttpResponseMessage response, int attempts, TimeSpan elapsed, string body, string request)
    {
        Response = response; Attempts = attempts; Elapsed = elapsed; Body = body; Request = request;
    }

    public HttpResponseMessage Response { get; }
    public int StatusCode => (int)Response.StatusCode;
    public bool IsSuccess => Response.IsSuccessStatusCode;
    public int Attempts { get; }
    public TimeSpan Elapsed { get; }
    /// <summary>The whole body, read within the bound.</summary>
    public string Body { get; }
    /// <summary>The request as errors name it: method and URL without user info or query string.</summary>
    public string Request { get; }
    public void Dispose() => Response.Dispose();
}

/// <summary>
/// The one HTTP client setup of OpsRunbook. Every HTTP call in the core (health probes, the admin API,
/// Stripe, webhooks, notifications, status pages, Prometheus) goes through a handler made here and is bounded
/// by one deadline that covers retries. Proxies come from HTTP_PROXY/HTTPS_PROXY/NO_PROXY as usual.
/// </summary>
public static class OpsHttp
{
    /// <summary>The shared client (redirects followed). Its own timeout is off: each call is bounded by its token.</summary>
    public static HttpClient Shared { get; } = Create(allowRedirects: true);

    /// <summary>The shared client that does not follow redirects (health checks judge the 3xx itself).</summary>
    public static HttpClient NoRedirects { get; } = Create(allowRedirects: false);

    /// <summary>A handler with OpsRunbook's settings, for libraries that take one (Stripe.net's SystemNetHttpClient, ...).</summary>
    public static SocketsHttpHandler CreateHandler(bool allowRedirects = true) => new()
    {
        AllowAutoRedirect = allowRedirects,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectTimeout = System.Threading.Timeout.InfiniteTimeSpan,  // the caller's token bounds it
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
    };

    /// <summary>A new client on <see cref="CreateHandler"/> with no timeout of its own (bound each call with a token).</summary>
    public static HttpClient Create(bool allowRedirects = true) => new(CreateHandler(allowRedirects))
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { { "User-Agent", "OpsRunbook/1.0" } },
    };

    /// <summary>
    /// Sends a request (built anew for each attempt) with retries and backoff, all within options.Timeout. Returns the
    /// final answer, whatever its status, with its body read. Throws OpsException (options.TimeoutError or HttpTimeout)
    /// when the bound runs out, and options.UnreachableError (or HttpUnreachable) when every attempt failed to connect.
    /// Cancellation by <paramref name="ct"/> (Ctrl+C) surfaces as OperationCanceledException.
    /// </summary>
    public static async Task<HttpCallResult> SendAsync(Func<HttpRequestMessage> request, HttpCallOptions options, CancellationToken ct, HttpClient? client = null)
    {
        client ??= Shared;
        var sw = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Timeout);
        string? target = null;
        Exception? lastError = null;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            try
            {
                using var msg = request();
                target ??= $"{msg.Method} {Redact(msg.RequestUri)}";
                response = await client.SendAsync(msg, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                var retry = attempt < options.MaxAttempts && IsRetryable(response.StatusCode, options);
                if (!retry || !await WaitBeforeRetry(response, attempt, options, sw, deadline.Token).ConfigureAwait(false))
                    return new HttpCallResult(response, attempt, sw.Elapsed, body, target ?? "");
                response.Dispose();
                lastError = null;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                response?.Dispose();
                throw Timeout(options, target, sw.Elapsed, attempt);
            }
            catch (HttpRequestException e) when (!deadline.IsCancellationRequested)
            {
                response?.Dispose();
                lastError = e;
                if (attempt >= options.MaxAttempts || !await Delay(Backoff(attempt, options), sw, options, deadline.Token).ConfigureAwait(false))
                {
                    if (deadline.IsCancellationRequested && !ct.IsCancellationRequested) throw Timeout(options, target, sw.Elapsed, attempt);
                    throw new OpsException(options.UnreachableError ?? ErrorIds.HttpUnreachable,
                        $"{options.What} {target} could not be reached after {attempt} attempt(s): {Innermost(lastError).Message}", target,
                        options.Fix ?? $"Check that the {options.What} is up and its URL in the config is right.", e);
                }
            }
        }
    }

    /// <summary>
    /// <see cref="SendAsync"/>, and an answer that is not 2xx becomes the caller's named error: 401/403
    /// <see cref="HttpAnswerErrors.Refused"/>, 404 <see cref="HttpAnswerErrors.NotFound"/>, anything else
    /// <see cref="HttpAnswerErrors.Failed"/>, each message naming the endpoint (options.What), the request, the status
    /// and the service's own words. Returns only successful answers (the caller disposes them).
    /// </summary>
    public static async Task<HttpCallResult> SendForSuccessAsync(Func<HttpRequestMessage> request, HttpCallOptions options, HttpAnswerErrors errors,
        CancellationToken ct, HttpClient? client = null)
    {
        var result = await SendAsync(request, options, ct, client).ConfigureAwait(false);
        if (result.IsSuccess) return result;
        using (result) throw AnswerError(result, options, errors);
    }

    /// <summary>The named error for an answer that is not 2xx (see <see cref="SendForSuccessAsync"/>).</summary>
    public static OpsException AnswerError(HttpCallResult result, HttpCallOptions options, HttpAnswerErrors errors)
    {
        var what = options.What.Length > 0 ? char.ToUpperInvariant(options.What[0]) + options.What[1..] : options.What;
        var detail = errors.Detail?.Invoke(result) ?? (result.Body.Length > 200 ? result.Body[..200] : result.Body);
        var target = errors.Target ?? result.Request;
        var fixFor = errors.FixFor?.Invoke(result);
        var (id, message, fix) = result.StatusCode switch
        {
            401 or 403 when errors.Refused is { } refused =>
                (refused, $"{what} refused the credentials ({result.StatusCode}) for {result.Request}.", errors.RefusedFix),
            404 when errors.NotFound is { } notFound =>
                (notFound, $"{what} answered 404 for {result.Request}: {detail}", errors.NotFoundFix),
            _ => (errors.Failed, $"{what} answered HTTP {result.StatusCode} for {result.Request} after {result.Attempts} attempt(s): {detail}", errors.FailedFix),
        };
        return new OpsException(id, message.TrimEnd(' ', ':'), target, fixFor ?? fix);
    }

    private static bool IsRetryable(HttpStatusCode code, HttpCallOptions o) => code is HttpStatusCode.TooManyRequests
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
        || (o.RetryOn500 && code == HttpStatusCode.InternalServerError);

    /// <summary>Waits as Retry-After asks (or the backoff); false when that wait would not fit in the bound.</summary>
    private static async Task<bool> WaitBeforeRetry(HttpResponseMessage r, int attempt, HttpCallOptions o, Stopwatch sw, CancellationToken token)
    {
        var wait = RetryAfter(r) ?? Backoff(attempt, o);
        return await Delay(wait, sw, o, token).ConfigureAwait(false);
    }

    private static async Task<bool> Delay(TimeSpan wait, Stopwatch sw, HttpCallOptions o, CancellationToken token)
    {
        if (sw.Elapsed + wait >= o.Timeout) return false;
        await Task.Delay(wait, token).ConfigureAwait(false);
        return true;
    }

    /// <summary>The Retry-After header as a delay (seconds or an HTTP date), or null.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage r)
    {
        var h = r.Headers.RetryAfter;
        if (h?.Delta is { } d) return d < TimeSpan.Zero ? TimeSpan.Zero : d;
        if (h?.Date is { } at) { var d2 = at - DateTimeOffset.UtcNow; return d2 < TimeSpan.Zero ? TimeSpan.Zero : d2; }
        return null;
    }

    private static TimeSpan Backoff(int attempt, HttpCallOptions o)
    {
        var ms = o.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        ms = Math.Min(ms, o.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    private static OpsException Timeout(HttpCallOptions o, string? target, TimeSpan elapsed, int attempts) =>
        new(o.TimeoutError ?? ErrorIds.HttpTimeout,
            $"{o.What} {target} did not answer within {Text.Duration.Format(o.Timeout)} ({attempts} attempt(s), {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s).",
            target, o.Fix ?? $"Check that the {o.What} is up, or raise its timeout in the config.");

    /// <summary>The URL without user info or query string (query strings may carry tokens).</summary>
    public static string Redact(Uri? uri)
    {
        if (uri is null) return "";
        if (!uri.IsAbsoluteUri) return uri.OriginalString.Split('?')[0];
        return uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }

    private static Exception Innermost(Exception e) { while (e.InnerException is not null) e = e.InnerException; return e; }
}
