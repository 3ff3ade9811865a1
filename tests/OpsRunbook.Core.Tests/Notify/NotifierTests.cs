using System.Diagnostics;
using System.Text.Json;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Notify;
using OpsRunbook.Core.Tests.Net;

namespace OpsRunbook.Core.Tests.Notify;

public class NotifierTests
{
    private static EnvironmentConfig Env(string channels, Dictionary<string, string> vars, int timeoutSeconds = 5)
    {
        var yaml = $"environments:\n  prod:\n    notifications:\n      timeoutSeconds: {timeoutSeconds}\n      channels:\n{channels}";
        return ConfigLoader.Parse(yaml, "/tmp/notify-test.yaml", n => vars.GetValueOrDefault(n)).GetEnvironment("prod");
    }

    private static NotificationMessage Msg(string text = "API degraded", int rows = 0) => new()
    {
        Message = text, Severity = NotificationSeverity.Critical, Environment = "prod", Timestamp = DateTimeOffset.Parse("2026-12-02T10:00:00Z"),
        Columns = ["Check", "Target", "Status"],
        Rows = Enumerable.Range(1, Math.Min(rows, Notifier.MaxRows)).Select(i => (IReadOnlyList<string>)["Service", $"svc{i}", "Critical"]).ToList(),
        TotalRows = rows, Summary = rows > 0 ? $"{rows} result(s): {rows} Critical" : "",
    };

    private static async Task<IReadOnlyList<NotificationResult>> Send(EnvironmentConfig env, NotificationMessage m, params string[] names) =>
        await Notifier.SendAsync(env, Notifier.Select(env, names), m, NullReporter.Allow, CancellationToken.None);

    [Fact]
    public async Task Webhook_posts_Slack_text_and_blocks_with_the_piped_table()
    {
        using var hook = new ScriptedHttpServer();
        var url = hook.Url + "services/T000/B000/s3cr3tT0ken";
        var env = Env("        - { name: oncall, kind: webhook, url: '${env:HOOK}' }\n", new() { ["HOOK"] = url });
        var r = Assert.Single(await Send(env, Msg(rows: 25), "oncall"));
        Assert.Equal(NotificationStatus.Sent, r.Status);
        Assert.Equal(1, r.Attempts);
        Assert.Equal(200, r.StatusCode);
        Assert.DoesNotContain("s3cr3t", r.Destination);
        var (method, path, body, _) = Assert.Single(hook.Received);
        Assert.Equal("POST", method);
        Assert.Equal("/services/T000/B000/s3cr3tT0ken", path);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("[Critical] API degraded (25 result(s): 25 Critical)", doc.RootElement.GetProperty("text").GetString());
        var blocks = doc.RootElement.GetProperty("blocks");
        Assert.Equal("section", blocks[0].GetProperty("type").GetString());
        Assert.Contains("*[Critical]* prod: API degraded", blocks[0].GetProperty("text").GetProperty("text").GetString());
        var table = blocks[1].GetProperty("text").GetProperty("text").GetString()!;
        Assert.StartsWith("```\nCheck    Target  Status\n-----", table);
        Assert.Contains("Service  svc20   Critical\n... and 5 more\n```", table);
        Assert.DoesNotContain("svc21", table);
        Assert.Equal("25 result(s): 25 Critical", blocks[2].GetProperty("elements")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_waited_then_sent()
    {
        using var hook = new ScriptedHttpServer();
        hook.Then(429, "rate limited", new() { ["Retry-After"] = "1" }).Then(200, "ok");
        var env = Env("        - { name: oncall, kind: webhook, url: '${env:HOOK}' }\n", new() { ["HOOK"] = hook.Url + "hook" });
        var r = Assert.Single(await Send(env, Msg(), "oncall"));
        Assert.Equal(NotificationStatus.Sent, r.Status);
        Assert.Equal(2, r.Attempts);
        Assert.Equal(2, hook.Received.Count);
        Assert.True((hook.Received[1].At - hook.Received[0].At).TotalSeconds >= 0.95, "Retry-After: 1 not honoured");
        Assert.Equal(hook.Received[0].Body, hook.Received[1].Body);
    }

    [Fact]
    public async Task A_500_is_retried_then_reported_and_never_stops_the_other_channels()
    {
        using var broken = new ScriptedHttpServer { Default = (500, "boom") };
        using var good = new ScriptedHttpServer();
        var env = Env("        - { name: broken, kind: webhook, url: '${env:BROKEN}' }\n        - { name: pager, kind: http, url: '${env:GOOD}', template: '{\"summary\": \"{{message}}\", \"sev\": \"{{severity}}\", \"rows\": {{items}}}' }\n",
            new() { ["BROKEN"] = broken.Url + "hooks/SECRETPATH", ["GOOD"] = good.Url + "events" });
        var results = await Send(env, Msg("disk \"full\"\non db1", rows: 2));
        Assert.Equal(["broken", "pager"], results.Select(r => r.Channel));
        var bad = results[0];
        Assert.Equal(NotificationStatus.Failed, bad.Status);
        Assert.Equal("NotificationFailed", bad.ErrorId);
        Assert.Equal(3, bad.Attempts);
        Assert.Equal(500, bad.StatusCode);
        Assert.Equal(3, broken.Received.Count);
        Assert.Contains("answered 500", bad.Error);
        Assert.DoesNotContain("SECRETPATH", bad.Error);
        var ok = results[1];
        Assert.Equal(NotificationStatus.Sent, ok.Status);
        using var doc = JsonDocument.Parse(Assert.Single(good.Received).Body);
        Assert.Equal("disk \"full\"\non db1", doc.RootElement.GetProperty("summary").GetString());
        Assert.Equal("Critical", doc.RootElement.GetProperty("sev").GetString());
        Assert.Equal("svc2", doc.RootElement.GetProperty("rows")[1].GetProperty("Target").GetString());
    }

    [Fact]
    public async Task A_hung_receiver_costs_the_bound_and_the_secret_url_is_not_named()
    {
        using var hang = new HangingListener();
        var env = Env("        - { name: oncall, kind: webhook, url: '${env:HOOK}' }\n", new() { ["HOOK"] = $"http://127.0.0.1:{hang.Port}/services/XSECRETX" }, timeoutSeconds: 1);
        var sw = Stopwatch.StartNew();
        var r = Assert.Single(await Send(env, Msg(), "oncall"));
        Assert.InRange(sw.Elapsed.TotalSeconds, 0.9, 3);
        Assert.Equal(NotificationStatus.Failed, r.Status);
        Assert.Equal("NotificationTimeout", r.ErrorId);
        Assert.Contains("'oncall'", r.Error);
        Assert.DoesNotContain("XSECRETX", r.Error);
    }

    [Fact]
    public async Task The_default_http_body_and_an_invalid_template()
    {
        using var good = new ScriptedHttpServer();
        var env = Env("        - { name: plain, kind: http, url: '${env:GOOD}' }\n        - { name: bad, kind: http, url: '${env:GOOD}', template: '{\"text\": {{message}}}' }\n",
            new() { ["GOOD"] = good.Url });
        var results = await Send(env, Msg(), "plain", "bad");
        Assert.Equal(NotificationStatus.Sent, results[0].Status);
        using var doc = JsonDocument.Parse(Assert.Single(good.Received).Body);
        Assert.Equal("API degraded", doc.RootElement.GetProperty("message").GetString());
        Assert.Equal("prod", doc.RootElement.GetProperty("environment").GetString());
        Assert.Equal("2026-12-02T10:00:00.000+00:00", doc.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal(NotificationStatus.Failed, results[1].Status);
        Assert.Equal("NotificationTemplateInvalid", results[1].ErrorId);
    }

    [Fact]
    public void An_unknown_channel_is_a_config_error()
    {
        var env = Env("        - { name: oncall, kind: webhook, url: 'https://example.invalid/x' }\n", new());
        var e = Assert.Throws<OpsRunbook.Core.Errors.OpsException>(() => Notifier.Select(env, ["nope"]));
        Assert.Equal("NotificationChannelNotFound", e.ErrorId);
    }

    [Fact]
    public async Task Email_through_a_real_SMTP_server_with_STARTTLS()
    {
        using var smtp = SmtpServer.Start();
        var env = Env($"        - {{ name: team, kind: email, smtpHost: 127.0.0.1, smtpPort: {smtp.Port}, tls: starttls, trustedCertificate: '{smtp.CertPath}', from: 'ops@example.com', to: [ 'oncall@example.com', 'lead@example.com' ] }}\n", new());
        var r = Assert.Single(await Send(env, Msg(rows: 2), "team"));
        Assert.True(r.Status == NotificationStatus.Sent, r.Error + "\n" + smtp.Log());
        Assert.Equal(250, r.StatusCode);
        var mail = smtp.WaitForMessage(TimeSpan.FromSeconds(10));
        var parsed = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail)));
        Assert.Equal("[Critical] prod: API degraded", parsed.Subject);
        Assert.Equal("ops@example.com", parsed.From.Mailboxes.Single().Address);
        Assert.Equal(["oncall@example.com", "lead@example.com"], parsed.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("Critical", parsed.Headers["X-OpsRunbook-Severity"]);
        Assert.Contains("Service  svc2    Critical", parsed.TextBody);
        Assert.Contains("2 result(s): 2 Critical", parsed.TextBody);
    }

    [Fact]
    public async Task Email_with_STARTTLS_required_fails_cleanly_on_a_server_without_it()
    {
        using var smtp = SmtpServer.Start(tls: false);
        var env = Env($"        - {{ name: team, kind: email, smtpHost: 127.0.0.1, smtpPort: {smtp.Port}, from: 'ops@example.com', to: [ 'oncall@example.com' ] }}\n", new(), timeoutSeconds: 3);
        var r = Assert.Single(await Send(env, Msg(), "team"));
        Assert.Equal(NotificationStatus.Failed, r.Status);
        Assert.Equal("NotificationFailed", r.ErrorId);
        Assert.Contains("STARTTLS", r.Error);
    }
}

/// <summary>Debian's aiosmtpd on loopback (python3 -m aiosmtpd), storing what it receives in a maildir; STARTTLS with a fresh self-signed certificate.</summary>
internal sealed class SmtpServer : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly System.Text.StringBuilder _log = new();
    public int Port { get; }
    public string CertPath => Path.Combine(_dir, "cert.pem");

    private SmtpServer(Process p, string dir, int port) { _process = p; _dir = dir; Port = port; }

    public static SmtpServer Start(bool tls = true)
    {
        var dir = Directory.CreateTempSubdirectory("ops-smtp-").FullName;
        if (tls)
        {
            var ossl = Process.Start(new ProcessStartInfo("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-keyout", Path.Combine(dir, "key.pem"), "-out", Path.Combine(dir, "cert.pem")]) { RedirectStandardError = true })!;
            ossl.StandardError.ReadToEnd(); ossl.WaitForExit();
        }
        var port = HangingListener.FreePort();
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox" }) psi.ArgumentList.Add(a);
        if (tls) foreach (var a in new[] { "--tlscert", Path.Combine(dir, "cert.pem"), "--tlskey", Path.Combine(dir, "key.pem") }) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(Path.Combine(dir, "maildir"));
        var p = Process.Start(psi)!;
        var server = new SmtpServer(p, dir, port);
        p.ErrorDataReceived += (_, e) => { lock (server._log) server._log.AppendLine(e.Data); };
        p.OutputDataReceived += (_, e) => { lock (server._log) server._log.AppendLine(e.Data); };
        p.BeginErrorReadLine(); p.BeginOutputReadLine();
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try { using var c = new System.Net.Sockets.TcpClient(); c.Connect("127.0.0.1", port); break; }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < until && !p.HasExited) { Thread.Sleep(100); }
        }
        return server;
    }

    public string Log() { lock (_log) return _log.ToString(); }

    public string WaitForMessage(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        var newDir = Path.Combine(_dir, "maildir", "new");
        while (DateTime.UtcNow < until)
        {
            if (Directory.Exists(newDir) && Directory.GetFiles(newDir) is { Length: > 0 } files) return File.ReadAllText(files[0]);
            Thread.Sleep(100);
        }
        throw new TimeoutException("no message arrived\n" + Log());
    }

    public void Dispose()
    {
        try { _process.Kill(true); _process.WaitForExit(5000); } catch (Exception) { }
        try { Directory.Delete(_dir, true); } catch (Exception) { }
    }
}
