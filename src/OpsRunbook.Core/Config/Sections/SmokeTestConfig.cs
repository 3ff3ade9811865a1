namespace OpsRunbook.Core.Config;

/// <summary>
/// One entry of smokeTests: name, method (GET, POST, ...; default GET), path (relative to api.baseUrl) or url,
/// body (sent as application/json), expectStatus (default 200), timeoutSeconds (default 10).
/// </summary>
public sealed class SmokeTestConfig : IValidatableConfig
{
    public static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"];

    public string Name { get; set; } = "";
    public string Method { get; set; } = "GET";
    public string? Path { get; set; }
    public string? Url { get; set; }
    public string? Body { get; set; }
    public int ExpectStatus { get; set; } = 200;
    public double TimeoutSeconds { get; set; } = 10;

    public void Validate(ConfigValidationContext c)
    {
        c.Require("name", Name);
        if (!Methods.Contains(Method.ToUpperInvariant()))
            c.Error("method", $"'method' must be one of {string.Join(", ", Methods)}, not '{Method}'.", ConfigProblemKind.BadValue);
        if (Path is null && Url is null) c.Error("path", "Give 'path' (relative to api.baseUrl) or 'url'.", ConfigProblemKind.MissingKey);
        if (Url is { Length: > 0 }) ConfigChecks.HttpUrl(c, "url", Url);
        if (ExpectStatus is < 100 or > 599) c.Error("expectStatus", $"'expectStatus' must be an HTTP status (100-599), not {ExpectStatus}.", ConfigProblemKind.BadValue);
        if (TimeoutSeconds <= 0) c.Positive("timeoutSeconds", TimeoutSeconds);
    }

    public override string ToString() => $"{Name}: {Method} {Url ?? Path} -> {ExpectStatus}";
}
