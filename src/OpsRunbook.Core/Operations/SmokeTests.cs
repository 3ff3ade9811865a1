using System.Diagnostics;
using System.Net.Http;
using System.Text;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Net;

namespace OpsRunbook.Core.Operations;

/// <summary>One smoke test's answer.</summary>
public sealed class SmokeTestResult
{
    public string Name { get; init; } = "";
    public string Method { get; init; } = "";
    public string Url { get; init; } = "";
    public int ExpectedStatus { get; init; }
    /// <summary>The status the endpoint answered; null when it could not be reached.</summary>
    public int? StatusCode { get; init; }
    public bool Passed { get; init; }
    public TimeSpan Duration { get; init; }
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 1);
    public string Message { get; init; } = "";
    public override string ToString() => $"{Name}: {(Passed ? "passed" : "FAILED")}";
}

/// <summary>The runbook's "Test critical paths": each smokeTests entry sent through OpsHttp (one bound per test, no retries of a wrong status).</summary>
public static class SmokeTests
{
    public static async Task<IReadOnlyList<SmokeTestResult>> RunAsync(EnvironmentConfig env, IReadOnlyList<SmokeTestConfig> tests, CancellationToken ct)
    {
        var results = new List<SmokeTestResult>();
        foreach (var t in tests) results.Add(await RunOneAsync(env, t, ct).ConfigureAwait(false));
        return results;
    }

    public static string UrlOf(EnvironmentConfig env, SmokeTestConfig t)
    {
        if (t.Url is { Length: > 0 } url) return url;
        var api = env.Require(e => e.Api, "api");
        return api.BaseUrl.TrimEnd('/') + "/" + t.Path!.TrimStart('/');
    }

    private static async Task<SmokeTestResult> RunOneAsync(EnvironmentConfig env, SmokeTestConfig t, CancellationToken ct)
    {
        var url = UrlOf(env, t);
        var method = new HttpMethod(t.Method.ToUpperInvariant());
        var sw = Stopwatch.StartNew();
        try
        {
            using var r = await OpsHttp.SendAsync(() =>
            {
                var m = new HttpRequestMessage(method, url);
                if (t.Body is not null) m.Content = new StringContent(t.Body, Encoding.UTF8, "application/json");
                m.Headers.UserAgent.ParseAdd("OpsRunbook-Smoke/1.0");
                return m;
            }, new HttpCallOptions { Timeout = TimeSpan.FromSeconds(t.TimeoutSeconds), MaxAttempts = 1, What = $"smoke test {t.Name}" }, ct, OpsHttp.NoRedirects).ConfigureAwait(false);
            var passed = r.StatusCode == t.ExpectStatus;
            return new SmokeTestResult
            {
                Name = t.Name, Method = method.Method, Url = OpsHttp.Redact(new Uri(url)), ExpectedStatus = t.ExpectStatus, StatusCode = r.StatusCode, Passed = passed, Duration = sw.Elapsed,
                Message = $"{method.Method} {OpsHttp.Redact(new Uri(url))} -> {r.StatusCode}" + (passed ? "" : $" (expected {t.ExpectStatus})") + $" in {sw.Elapsed.TotalMilliseconds:0} ms.",
            };
        }
        catch (OpsException e) when (!ct.IsCancellationRequested)
        {
            return new SmokeTestResult
            {
                Name = t.Name, Method = method.Method, Url = OpsHttp.Redact(new Uri(url)), ExpectedStatus = t.ExpectStatus, Passed = false, Duration = sw.Elapsed, Message = e.Message,
            };
        }
    }
}
