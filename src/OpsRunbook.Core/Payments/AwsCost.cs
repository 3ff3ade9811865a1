using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Net;

namespace OpsRunbook.Core.Payments;

/// <summary>What Get-OpsAwsCost groups by (Cost Explorer's DIMENSION keys).</summary>
public enum AwsCostGrouping { SERVICE, USAGE_TYPE }

/// <summary>One group of one month from Cost Explorer: UnblendedCost as decimal.</summary>
public sealed class AwsCostLine
{
    /// <summary>yyyy-MM.</summary>
    public string Month { get; init; } = "";
    public AwsCostGrouping GroupBy { get; init; }
    /// <summary>The service ("Amazon Simple Storage Service") or usage type.</summary>
    public string Key { get; init; } = "";
    public decimal Amount { get; init; }
    public string Unit { get; init; } = "USD";
    /// <summary>True while AWS may still revise the month.</summary>
    public bool Estimated { get; init; }
    public override string ToString() => $"{Key}: {Amount} {Unit}";
}

/// <summary>Cost Explorer's GetCostAndUsage (JSON 1.1 protocol, SigV4), MONTHLY and UnblendedCost, paged by NextPageToken.</summary>
public static class AwsCost
{
    /// <summary>Every refused call is AwsCostExplorerError, naming AWS's error type (its __type) and message.</summary>
    private static readonly HttpAnswerErrors Answers = new()
    {
        Target = "GetCostAndUsage", Failed = ErrorIds.AwsCostExplorerError,
        Detail = r => $"{ErrorType(r)}: {(string?)Json(r.Body)?["message"] ?? (string?)Json(r.Body)?["Message"] ?? r.Body}",
        FixFor = r => ErrorType(r) is var type && (type.Contains("AccessDenied", StringComparison.OrdinalIgnoreCase) || type.Contains("Signature", StringComparison.OrdinalIgnoreCase))
            ? "Check aws.accessKey/secretKey and that the IAM user may call ce:GetCostAndUsage."
            : "Read the message; Cost Explorer data for a month is complete a few days after it ends.",
    };

    private static string ErrorType(HttpCallResult r) =>
        ((string?)Json(r.Body)?["__type"])?.Split('#').Last() ?? r.StatusCode.ToString(CultureInfo.InvariantCulture);

    private static JsonNode? Json(string body)
    {
        try { return JsonNode.Parse(body); }
        catch (JsonException) { return null; }
    }

    public static async Task<List<AwsCostLine>> GetAsync(EnvironmentConfig env, DateOnly month, AwsCostGrouping groupBy, IOpsReporter reporter,
        CancellationToken ct, TimeProvider? clock = null)
    {
        var aws = env.Aws ?? new AwsConfig();
        var (accessKey, secretKey) = aws.AccessKey.IsSet ? (aws.AccessKey, aws.SecretKey)
            : env.S3 is { } s3 && s3.AccessKey.IsSet ? (s3.AccessKey, s3.SecretKey)
            : throw new OpsException(ErrorIds.AwsCredentialsMissing, "No AWS keys: aws.accessKey/secretKey and s3.accessKey/secretKey are unset.", "aws",
                "Set aws.accessKey: '${env:AWS_ACCESS_KEY_ID}' and aws.secretKey: '${env:AWS_SECRET_ACCESS_KEY}' (an IAM user with ce:GetCostAndUsage).");
        var uri = new Uri(aws.EffectiveServiceUrl + "/");
        var options = new HttpCallOptions
        {
            Timeout = TimeSpan.FromSeconds(aws.TimeoutSeconds), MaxAttempts = 4, What = "AWS Cost Explorer",
            TimeoutError = ErrorIds.AwsCostExplorerTimeout, UnreachableError = ErrorIds.AwsCostExplorerTimeout,
            Fix = $"Check that {aws.EffectiveServiceUrl} answers, or raise aws.timeoutSeconds.",
        };
        var lines = new List<AwsCostLine>();
        string? token = null;
        var page = 0;
        do
        {
            var request = new JsonObject
            {
                ["TimePeriod"] = new JsonObject { ["Start"] = month.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["End"] = month.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
                ["Granularity"] = "MONTHLY",
                ["Metrics"] = new JsonArray("UnblendedCost"),
                ["GroupBy"] = new JsonArray(new JsonObject { ["Type"] = "DIMENSION", ["Key"] = groupBy.ToString() }),
            };
            if (token is not null) request["NextPageToken"] = token;
            var body = Encoding.UTF8.GetBytes(request.ToJsonString());
            page++;
            reporter.Verbose($"Cost Explorer GetCostAndUsage page {page} ({month:yyyy-MM}, {groupBy}).");
            using var r = await OpsHttp.SendForSuccessAsync(() =>
            {
                var at = (clock ?? TimeProvider.System).GetUtcNow();
                var m = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
                m.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
                var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
                m.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
                m.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSInsightsIndexService.GetCostAndUsage");
                var signed = new Dictionary<string, string>
                {
                    ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
                    ["content-type"] = "application/x-amz-json-1.1",
                    ["x-amz-date"] = amzDate,
                    ["x-amz-target"] = "AWSInsightsIndexService.GetCostAndUsage",
                };
                m.Headers.TryAddWithoutValidation("Authorization",
                    SigV4.Authorization("POST", uri, signed, body, aws.Region, "ce", accessKey.Reveal()!, secretKey.Reveal()!, at));
                return m;
            }, options, Answers, ct).ConfigureAwait(false);
            var json = Json(r.Body);
            foreach (var period in json?["ResultsByTime"]?.AsArray() ?? [])
            {
                var start = (string?)period?["TimePeriod"]?["Start"] ?? "";
                var estimated = (bool?)period?["Estimated"] ?? false;
                foreach (var g in period?["Groups"]?.AsArray() ?? [])
                {
                    var cost = g?["Metrics"]?["UnblendedCost"];
                    lines.Add(new AwsCostLine
                    {
                        Month = start.Length >= 7 ? start[..7] : start, GroupBy = groupBy,
                        Key = string.Join(" / ", g?["Keys"]?.AsArray().Select(k => (string?)k) ?? []),
                        Amount = decimal.Parse((string?)cost?["Amount"] ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture),
                        Unit = (string?)cost?["Unit"] ?? "USD", Estimated = estimated,
                    });
                }
            }
            token = (string?)json?["NextPageToken"];
        } while (!string.IsNullOrEmpty(token));
        return lines.OrderByDescending(l => l.Amount).ThenBy(l => l.Key, StringComparer.Ordinal).ToList();
    }
}
