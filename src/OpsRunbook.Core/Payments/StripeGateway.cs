using System.Net;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Net;
using Stripe;

namespace OpsRunbook.Core.Payments;

/// <summary>
/// Stripe.net pointed at stripe.apiBase, with every request sent through <see cref="OpsHttp"/>: one bound
/// (stripe.timeoutSeconds) over all attempts, 429/502/503/504 retried with backoff and Retry-After honoured.
/// Stripe's errors become OpsExceptions with stable ids (StripeAuthenticationFailed, StripeEventNotFound...).
/// </summary>
public static class StripeGateway
{
    /// <summary>A Stripe.net client for the section. Throws StripeKeyMissing when stripe.apiKey is not set.</summary>
    public static StripeClient CreateClient(StripeConfig cfg, int maxAttempts = 4)
    {
        if (!cfg.ApiKey.IsSet)
            throw new OpsException(ErrorIds.StripeKeyMissing, "stripe.apiKey is not set.", "stripe.apiKey",
                "Set stripe.apiKey: '${env:STRIPE_SECRET_KEY}' in the config and export the secret key (sk_live_... or a restricted rk_... key that can read events).");
        var http = new OpsStripeHttpClient(new HttpCallOptions
        {
            Timeout = TimeSpan.FromSeconds(cfg.TimeoutSeconds),
            MaxAttempts = maxAttempts,
            What = "Stripe API",
            TimeoutError = ErrorIds.StripeTimeout,
            UnreachableError = ErrorIds.StripeUnreachable,
            Fix = $"Check that {cfg.EffectiveApiBase} answers (Get-OpsStripeStatus), or raise stripe.timeoutSeconds.",
        });
        return new StripeClient(new StripeClientOptions { ApiKey = cfg.ApiKey.Reveal(), ApiBase = cfg.EffectiveApiBase, HttpClient = http });
    }

    /// <summary>Maps a Stripe.net error to the module's ids. The API key never appears in the message.</summary>
    public static OpsException Map(StripeException e, string target, StripeConfig cfg) => (int)e.HttpStatusCode switch
    {
        401 => new OpsException(ErrorIds.StripeAuthenticationFailed,
            $"Stripe refused the API key from {cfg.ApiKey.Source} (401 {e.StripeError?.Type ?? "authentication_error"}).", target,
            "Check stripe.apiKey: a live key for live events, a test key for test mode; Dashboard > Developers > API keys.", e),
        404 => new OpsException(ErrorIds.StripeEventNotFound, $"Stripe has no {target} (404 {e.StripeError?.Code ?? "resource_missing"}).", target,
            "Check the id, the account and the mode (test or live); Stripe keeps events for 30 days.", e),
        429 => new OpsException(ErrorIds.StripeRateLimited, $"Stripe kept answering 429 Too Many Requests for {target} within {cfg.TimeoutSeconds} s.", target,
            "Wait a minute and run it again, or raise stripe.timeoutSeconds so the retries fit.", e),
        _ => new OpsException(ErrorIds.StripeApiError,
            $"Stripe answered {(int)e.HttpStatusCode} for {target}: {e.StripeError?.Type} {e.StripeError?.Code} {e.StripeError?.Message ?? e.Message}".Trim(), target,
            "Read Stripe's message; Get-OpsStripeStatus shows whether Stripe itself is degraded.", e),
    };

    /// <summary>Stripe.net's transport, over <see cref="OpsHttp.SendAsync"/>.</summary>
    private sealed class OpsStripeHttpClient(HttpCallOptions options) : IHttpClient
    {
        public async Task<StripeResponse> MakeRequestAsync(StripeRequest request, CancellationToken cancellationToken = default)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var contentHeaders = request.Content?.Headers.ToList();
            using var result = await OpsHttp.SendAsync(() =>
            {
                var m = new HttpRequestMessage(request.Method, request.Uri);
                m.Headers.Authorization = request.AuthorizationHeader;
                foreach (var h in request.StripeHeaders) m.Headers.TryAddWithoutValidation(h.Key, h.Value);
                if (body is not null)
                {
                    m.Content = new ByteArrayContent(body);
                    foreach (var h in contentHeaders!) m.Content.Headers.TryAddWithoutValidation(h.Key, h.Value);
                }
                return m;
            }, options, cancellationToken).ConfigureAwait(false);
            return new StripeResponse(result.Response.StatusCode, result.Response.Headers, result.Body);
        }

        public Task<StripeStreamedResponse> MakeStreamingRequestAsync(StripeRequest request, CancellationToken cancellationToken = default)
            => throw new NotSupportedException("OpsRunbook does not stream Stripe responses.");
    }
}
