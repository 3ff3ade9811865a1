namespace OpsRunbook.Core.Config;

/// <summary>
/// notifications: the channels Send-OpsNotification (and -Notify of the operations cmdlets) posts to.
/// channels: webhook (Slack-compatible incoming webhook), http (a JSON POST from a template) or email (SMTP via MailKit).
/// defaultChannels: the channels used when -Channel is not given (default: all). timeoutSeconds: the bound of each channel, retries included.
/// </summary>
public sealed class NotificationsConfig : IValidatableConfig
{
    public List<NotificationChannelConfig> Channels { get; set; } = new();
    public List<string>? DefaultChannels { get; set; }
    public int TimeoutSeconds { get; set; } = 10;
    /// <summary>Attempts per channel in all (429 and 5xx are retried with backoff, Retry-After honoured, within timeoutSeconds).</summary>
    public int MaxAttempts { get; set; } = 3;

    public void Validate(ConfigValidationContext c)
    {
        if (TimeoutSeconds is < 1 or > 600) c.Error("timeoutSeconds", $"'timeoutSeconds' must be 1 to 600, not {TimeoutSeconds}.", ConfigProblemKind.BadValue);
        if (MaxAttempts is < 1 or > 10) c.Error("maxAttempts", $"'maxAttempts' must be 1 to 10, not {MaxAttempts}.", ConfigProblemKind.BadValue);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var ch in Channels)
            if (!string.IsNullOrEmpty(ch.Name) && !seen.Add(ch.Name))
                c.Error("channels", $"Channel '{ch.Name}' is listed twice.", ConfigProblemKind.BadValue);
        foreach (var d in DefaultChannels ?? [])
            if (!seen.Contains(d)) c.Error("defaultChannels", $"'defaultChannels' names '{d}', which is not a channel.", ConfigProblemKind.BadValue);
    }
    public override string ToString() => string.Join(", ", Channels.Select(ch => ch.ToString()));
}

/// <summary>One notification channel. kind: webhook | http | email.</summary>
public sealed class NotificationChannelConfig : IValidatableConfig
{
    public static readonly string[] Kinds = ["webhook", "http", "email"];
    public static readonly string[] TlsModes = ["starttls", "ssl", "none", "auto"];

    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    /// <summary>webhook/http: the URL to POST to. A secret (a Slack webhook URL is a credential): url: ${env:SLACK_WEBHOOK_URL}.</summary>
    public Secret Url { get; set; } = Secret.None;
    /// <summary>http: the JSON body, with {{message}}, {{severity}}, {{environment}}, {{summary}}, {{timestamp}} and {{items}} (a JSON array) filled in. Default: all of them as one object.</summary>
    public string? Template { get; set; }
    /// <summary>http: extra request headers (values may be ${env:...}, and are never shown).</summary>
    public Dictionary<string, Secret>? Headers { get; set; }
    /// <summary>email: the SMTP server host.</summary>
    public string? SmtpHost { get; set; }
    /// <summary>email: the SMTP port (default 587).</summary>
    public int SmtpPort { get; set; } = 587;
    /// <summary>email: starttls (default: STARTTLS required), ssl (TLS on connect, port 465), auto (STARTTLS when offered) or none.</summary>
    public string Tls { get; set; } = "starttls";
    /// <summary>email: a PEM certificate to trust for the SMTP server besides the system's roots (a private relay's self-signed certificate).</summary>
    public string? TrustedCertificate { get; set; }
    public string? Username { get; set; }
    public Secret Password { get; set; } = Secret.None;
    public string? From { get; set; }
    public List<string> To { get; set; } = new();

    public void Validate(ConfigValidationContext c)
    {
        c.Require("name", Name);
        if (!c.Require("kind", Kind)) return;
        switch (Kind)
        {
            case "webhook": case "http":
                if (!Url.IsSet) c.Error("url", $"Channel '{Name}' ({Kind}) needs 'url' (url: ${{env:NAME}}).", ConfigProblemKind.MissingKey);
                else if (!Uri.TryCreate(Url.Reveal(), UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps))
                    c.Error("url", $"Channel '{Name}': 'url' must be an absolute http(s) URL.", ConfigProblemKind.BadValue);
                break;
            case "email":
                c.Require("smtpHost", SmtpHost);
                c.Require("from", From);
                if (To.Count == 0) c.Error("to", $"Channel '{Name}' (email) lists no recipients in 'to'.", ConfigProblemKind.MissingKey);
                if (SmtpPort is < 1 or > 65535) c.Error("smtpPort", $"'smtpPort' must be 1 to 65535, not {SmtpPort}.", ConfigProblemKind.BadValue);
                if (!TlsModes.Contains(Tls)) c.Error("tls", $"'tls' must be one of {string.Join(", ", TlsModes)}, not '{Tls}'.", ConfigProblemKind.BadValue);
                if (Password.IsSet && string.IsNullOrEmpty(Username)) c.Error("username", "'password' is set but 'username' is not.", ConfigProblemKind.MissingKey);
                if (Tls == "none" && Password.IsSet) c.Warning("tls", $"Channel '{Name}' sends its SMTP password without TLS ('tls: none').", ConfigProblemKind.BadValue);
                if (TrustedCertificate is { Length: > 0 } && !File.Exists(TrustedCertificate))
                    c.Error("trustedCertificate", $"'trustedCertificate' {TrustedCertificate} does not exist.", ConfigProblemKind.BadValue);
                break;
            default:
                c.Error("kind", $"'kind' must be one of {string.Join(", ", Kinds)}, not '{Kind}'.", ConfigProblemKind.BadValue);
                break;
        }
    }
    public override string ToString() => $"{Name} ({Kind})";
}
