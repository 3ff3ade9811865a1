using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Net;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Core.Notify;

public enum NotificationSeverity { Info, Warning, Critical }

public enum NotificationStatus { Sent, Failed, Skipped }

/// <summary>What to say: a message, its severity, and piped results as rows of a short table.</summary>
public sealed class NotificationMessage
{
    public string Message { get; init; } = "";
    public NotificationSeverity Severity { get; init; } = NotificationSeverity.Info;
    public string Environment { get; init; } = "";
    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;
    /// <summary>Column names of the table (same for every row).</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; init; } = [];
    /// <summary>How many rows were piped in all (the table shows at most <see cref="Notifier.MaxRows"/>).</summary>
    public int TotalRows { get; init; }

    /// <summary>One line: "3 results: 1 Critical, 2 Warning" style summary of the table, or "".</summary>
    public string Summary { get; init; } = "";
}

/// <summary>One channel's outcome.</summary>
public sealed class NotificationResult
{
    public string Channel { get; init; } = "";
    public string Kind { get; init; } = "";
    public NotificationStatus Status { get; set; }
    public NotificationSeverity Severity { get; init; }
    /// <summary>Where it went, without secrets: the webhook's host, the SMTP server and the recipients.</summary>
    public string Destination { get; init; } = "";
    public int Attempts { get; set; }
    /// <summary>The HTTP status or SMTP reply code of the last attempt, when there was one.</summary>
    public int? StatusCode { get; set; }
    public TimeSpan Duration { get; set; }
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);
    public string? ErrorId { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset Timestamp { get; init; }
    public override string ToString() => $"{Channel}: {Status}";
}

/// <summary>
/// Sends one message to notification channels: Slack-compatible webhooks, generic JSON POSTs and SMTP email. Each channel
/// is bounded by notifications.timeoutSeconds (retries with backoff on 429/5xx within it, Retry-After honoured), the
/// channels run side by side, and a failed channel is a Failed result: it never stops the others. Secrets (webhook URLs,
/// header values, SMTP passwords) never appear in results, messages or errors.
/// </summary>
public static class Notifier
{
    public const int MaxRows = 20;
    private const int MaxCell = 60;

    /// <summary>The channels to use: -Channel names (each must exist), else defaultChannels, else all.</summary>
    public static IReadOnlyList<NotificationChannelConfig> Select(EnvironmentConfig env, IReadOnlyCollection<string>? names)
    {
        var cfg = env.Require(e => e.Notifications, "notifications");
        var wanted = names is { Count: > 0 } ? names : cfg.DefaultChannels ?? cfg.Channels.Select(c => c.Name).ToList();
        var list = new List<NotificationChannelConfig>();
        foreach (var n in wanted)
        {
            var ch = cfg.Channels.FirstOrDefault(c => string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase))
                ?? throw new OpsException(ErrorIds.NotificationChannelNotFound, $"Environment '{env.Name}' has no notification channel '{n}' (channels: {string.Join(", ", cfg.Channels.Select(c => c.Name))}).",
                    n, "Add it under notifications.channels in the config, or name one of the configured channels.");
            if (!list.Contains(ch)) list.Add(ch);
        }
        return list;
    }

    /// <summary>Where a channel sends, without secrets (host only for URLs).</summary>
    public static string Describe(NotificationChannelConfig ch) => ch.Kind switch
    {
        "email" => $"smtp://{ch.SmtpHost}:{ch.SmtpPort} -> {string.Join(", ", ch.To)}",
        _ => Uri.TryCreate(ch.Url.Reveal(), UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Authority}" : "(invalid url)",
    };

    /// <summary>Sends to every channel side by side; one result per channel, in the order given.</summary>
    public static async Task<IReadOnlyList<NotificationResult>> SendAsync(EnvironmentConfig env, IReadOnlyList<NotificationChannelConfig> channels,
        NotificationMessage message, IOpsReporter reporter, CancellationToken ct)
    {
        var cfg = env.Notifications ?? new NotificationsConfig();
        var timeout = TimeSpan.FromSeconds(cfg.TimeoutSeconds);
        var tasks = channels.Select(ch => Task.Run(() => SendOneAsync(ch, message, timeout, cfg.MaxAttempts, reporter, ct), ct)).ToList();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static async Task<NotificationResult> SendOneAsync(NotificationChannelConfig ch, NotificationMessage m, TimeSpan timeout, int maxAttempts, IOpsReporter reporter, CancellationToken ct)
    {
        var result = new NotificationResult { Channel = ch.Name, Kind = ch.Kind, Severity = m.Severity, Destination = Describe(ch), Timestamp = DateTimeOffset.UtcNow };
        var sw = Stopwatch.StartNew();
        try
        {
            reporter.Verbose($"Notifying channel '{ch.Name}' ({ch.Kind}, {result.Destination}).");
            if (ch.Kind == "email") await SendEmailAsync(ch, m, timeout, maxAttempts, result, ct).ConfigureAwait(false);
            else await PostAsync(ch, m, timeout, maxAttempts, result, ct).ConfigureAwait(false);
            result.Status = NotificationStatus.Sent;
        }
        catch (OpsException e)
        {
            result.Status = NotificationStatus.Failed;
            result.ErrorId = e.ErrorId;
            result.Error = SecretScrubber.Scrub(e.Message);
        }
        result.Duration = sw.Elapsed;
        return result;
    }

    // ---- webhook / http ----

    private static async Task PostAsync(NotificationChannelConfig ch, NotificationMessage m, TimeSpan timeout, int maxAttempts, NotificationResult result, CancellationToken ct)
    {
        var body = ch.Kind == "webhook" ? SlackBody(m) : HttpBody(ch, m);
        var url = ch.Url.Reveal()!;
        var options = new HttpCallOptions
        {
            Timeout = timeout, MaxAttempts = maxAttempts, RetryOn500 = true,
            TimeoutError = ErrorIds.NotificationTimeout, UnreachableError = ErrorIds.NotificationFailed,
            What = $"notification channel '{ch.Name}'",
            Fix = $"Check that the receiver at {result.Destination} is up, or raise notifications.timeoutSeconds.",
        };
        HttpCallResult r;
        try
        {
            r = await OpsHttp.SendAsync(() =>
            {
                var msg = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                foreach (var h in ch.Headers ?? new()) msg.Headers.TryAddWithoutValidation(h.Key, h.Value.Reveal());
                return msg;
            }, options, ct).ConfigureAwait(false);
        }
        catch (OpsException e)
        {
            // OpsHttp names the URL's path; a webhook's path is its secret: say the channel and host only.
            var what = e.Id == ErrorIds.NotificationTimeout
                ? $"Channel '{ch.Name}' ({result.Destination}) did not take the message within {Text.Duration.Format(timeout)}."
                : $"Channel '{ch.Name}' ({result.Destination}) could not be reached: {Innermost(e).Message}";
            throw new OpsException(e.Id, SecretScrubber.Scrub(what.Replace(url, SecretScrubber.Mask, StringComparison.Ordinal)), ch.Name, e.RecommendedAction);
        }
        using (r)
        {
            result.Attempts = r.Attempts;
            result.StatusCode = r.StatusCode;
            if (!r.IsSuccess)
                throw new OpsException(ErrorIds.NotificationFailed,
                    $"Channel '{ch.Name}' ({result.Destination}) answered {r.StatusCode} {r.Response.ReasonPhrase} after {r.Attempts} attempt(s): {Clip(r.Body.Replace(url, SecretScrubber.Mask, StringComparison.Ordinal), 200)}",
                    ch.Name, "Check the channel's URL and the receiver's own logs.");
        }
    }

    private static Exception Innermost(Exception e) { while (e.InnerException is not null) e = e.InnerException; return e; }

    /// <summary>The Slack incoming-webhook body: text (the fallback, what notifications show) and blocks with the table.</summary>
    public static string SlackBody(NotificationMessage m)
    {
        var head = $"{Icon(m.Severity)} *[{m.Severity}]* {(m.Environment.Length > 0 ? m.Environment + ": " : "")}{m.Message}";
        var blocks = new JsonArray { new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Clip(head, 3000) } } };
        if (m.Rows.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Clip("```\n" + Table(m) + "```", 3000) } });
            if (m.Summary.Length > 0) blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = m.Summary } } });
        }
        var text = m.Summary.Length > 0 ? $"[{m.Severity}] {m.Message} ({m.Summary})" : $"[{m.Severity}] {m.Message}";
        return new JsonObject { ["text"] = text, ["blocks"] = blocks }.ToJsonString();
    }

    private static string Icon(NotificationSeverity s) => s switch
    {
        NotificationSeverity.Critical => ":red_circle:",
        NotificationSeverity.Warning => ":warning:",
        _ => ":information_source:",
    };

    /// <summary>The http channel's body: its template filled in (values JSON-escaped), or a default object.</summary>
    public static string HttpBody(NotificationChannelConfig ch, NotificationMessage m)
    {
        var items = new JsonArray();
        foreach (var row in m.Rows)
        {
            var o = new JsonObject();
            for (var i = 0; i < m.Columns.Count && i < row.Count; i++) o[m.Columns[i]] = row[i];
            items.Add(o);
        }
        var ts = m.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        if (string.IsNullOrWhiteSpace(ch.Template))
            return new JsonObject
            {
                ["message"] = m.Message, ["severity"] = m.Severity.ToString(), ["environment"] = m.Environment,
                ["summary"] = m.Summary, ["timestamp"] = ts, ["items"] = items,
            }.ToJsonString();
        static string Esc(string s) { var j = JsonSerializer.Serialize(s); return j[1..^1]; }
        var body = ch.Template
            .Replace("{{message}}", Esc(m.Message)).Replace("{{severity}}", Esc(m.Severity.ToString()))
            .Replace("{{environment}}", Esc(m.Environment)).Replace("{{summary}}", Esc(m.Summary))
            .Replace("{{timestamp}}", Esc(ts)).Replace("{{items}}", items.ToJsonString());
        try { using var _ = JsonDocument.Parse(body); }
        catch (JsonException e)
        {
            throw new OpsException(ErrorIds.NotificationTemplateInvalid, $"Channel '{ch.Name}': its template is not valid JSON once filled in ({e.Message}).", ch.Name,
                "Put each {{placeholder}} other than {{items}} inside a JSON string, e.g. \"text\": \"{{message}}\".");
        }
        return body;
    }

    /// <summary>A fixed-width text table of the rows (at most MaxRows, then "... and N more").</summary>
    public static string Table(NotificationMessage m)
    {
        if (m.Rows.Count == 0) return "";
        var widths = m.Columns.Select(c => c.Length).ToArray();
        var rows = m.Rows.Take(MaxRows).Select(r => r.Select(c => Clip(c.ReplaceLineEndings(" "), MaxCell)).ToArray()).ToList();
        foreach (var r in rows) for (var i = 0; i < widths.Length && i < r.Length; i++) widths[i] = Math.Max(widths[i], r[i].Length);
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells) => sb.Append(string.Join("  ", cells.Select((c, i) => i < widths.Length ? c.PadRight(widths[i]) : c)).TrimEnd()).Append('\n');
        Line(m.Columns);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var r in rows) Line(r);
        if (m.TotalRows > rows.Count) sb.Append($"... and {m.TotalRows - rows.Count} more\n");
        return sb.ToString();
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    // ---- email ----

    /// <summary>The email the email channel sends (subject "[Severity] env: first line", text body with the table).</summary>
    public static MimeMessage BuildEmail(NotificationChannelConfig ch, NotificationMessage m)
    {
        var msg = new MimeMessage();
        msg.From.Add(MailboxAddress.Parse(ch.From!));
        foreach (var to in ch.To) msg.To.Add(MailboxAddress.Parse(to));
        var first = m.Message.ReplaceLineEndings("\n").Split('\n')[0];
        msg.Subject = Clip($"[{m.Severity}] {(m.Environment.Length > 0 ? m.Environment + ": " : "")}{first}", 200);
        msg.Date = m.Timestamp;
        msg.Headers.Add("X-OpsRunbook-Severity", m.Severity.ToString());
        var body = new StringBuilder(m.Message).Append("\n\n");
        if (m.Rows.Count > 0)
        {
            if (m.Summary.Length > 0) body.Append(m.Summary).Append("\n\n");
            body.Append(Table(m)).Append('\n');
        }
        body.Append($"Environment: {m.Environment}\nTime: {m.Timestamp.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}\n-- \nSent by OpsRunbook Send-OpsNotification\n");
        msg.Body = new TextPart("plain") { Text = body.ToString() };
        return msg;
    }

    private static async Task SendEmailAsync(NotificationChannelConfig ch, NotificationMessage m, TimeSpan timeout, int maxAttempts, NotificationResult result, CancellationToken ct)
    {
        var message = BuildEmail(ch, m);
        var sw = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        X509Certificate2? trusted = ch.TrustedCertificate is { Length: > 0 } p ? X509CertificateLoader.LoadCertificateFromFile(p) : null;
        var tls = ch.Tls switch
        {
            "ssl" => SecureSocketOptions.SslOnConnect, "none" => SecureSocketOptions.None,
            "auto" => SecureSocketOptions.StartTlsWhenAvailable, _ => SecureSocketOptions.StartTls,
        };
        for (var attempt = 1; ; attempt++)
        {
            result.Attempts = attempt;
            try
            {
                using var client = new SmtpClient { Timeout = (int)Math.Max(1000, timeout.TotalMilliseconds) };
                if (trusted is not null)
                    client.ServerCertificateValidationCallback = (_, cert, _, errors) =>
                        errors == System.Net.Security.SslPolicyErrors.None || (cert is not null && cert.GetCertHashString() == trusted.GetCertHashString());
                await client.ConnectAsync(ch.SmtpHost!, ch.SmtpPort, tls, deadline.Token).ConfigureAwait(false);
                if (!string.IsNullOrEmpty(ch.Username))
                    await client.AuthenticateAsync(ch.Username, ch.Password.Reveal() ?? "", deadline.Token).ConfigureAwait(false);
                await client.SendAsync(message, deadline.Token).ConfigureAwait(false);
                result.StatusCode = 250;
                await client.DisconnectAsync(true, deadline.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new OpsException(ErrorIds.NotificationTimeout,
                    $"Channel '{ch.Name}' ({result.Destination}) did not take the message within {Text.Duration.Format(timeout)} ({attempt} attempt(s)).",
                    ch.Name, $"Check that the SMTP server {ch.SmtpHost}:{ch.SmtpPort} is up, or raise notifications.timeoutSeconds.");
            }
            catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException
                                          or System.Net.Sockets.SocketException or IOException or MailKit.ServiceNotConnectedException or NotSupportedException)
            {
                var code = e is SmtpCommandException sc ? (int)sc.StatusCode : (int?)null;
                result.StatusCode = code;
                var transient = code is >= 400 and < 500 || e is System.Net.Sockets.SocketException or IOException;
                var wait = TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1));
                if (transient && attempt < maxAttempts && sw.Elapsed + wait < timeout)
                {
                    try { await Task.Delay(wait, deadline.Token).ConfigureAwait(false); } catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
                    continue;
                }
                var why = e switch
                {
                    AuthenticationException => "the server refused the username or password",
                    SslHandshakeException => "the TLS handshake failed (is the server's certificate trusted? trustedCertificate: names a PEM to trust)",
                    NotSupportedException => "the server does not offer what 'tls' asks for (STARTTLS?)",
                    _ => SecretScrubber.Scrub(e.Message),
                };
                throw new OpsException(ErrorIds.NotificationFailed,
                    $"Channel '{ch.Name}' ({result.Destination}) failed after {attempt} attempt(s): {why}{(code is { } c2 ? $" (SMTP {c2})" : "")}.",
                    ch.Name, "Check the channel's smtpHost, smtpPort, tls, username and password.");
            }
        }
    }
}
