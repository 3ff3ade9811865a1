using System.Text;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Logs;
using OpsRunbook.Core.Systems;
using Xunit.Abstractions;

namespace OpsRunbook.Core.Tests.Logs;

public sealed class SecurityScanTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("opsrb-sec-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";

    [Theory]
    [InlineData("%252e%252e%252f", "../")]
    [InlineData("%u003Cscript%u003E", "<script>")]
    [InlineData("UN/**/ION+SeLeCt", "un ion select")]
    [InlineData("a%20%20%09b", "a b")]
    [InlineData("&lt;img&gt;", "<img>")]
    public void Decodes_repeatedly_and_normalises(string raw, string expected) => Assert.Equal(expected, AttackRules.Decode(raw));

    [Fact]
    public void Detects_the_attack_corpus_and_leaves_the_benign_lookalikes_alone()
    {
        Assert.True(AttackCorpus.Attacks.Length + AttackCorpus.ScannerAgents.Length >= 200, $"{AttackCorpus.Attacks.Length + AttackCorpus.ScannerAgents.Length} attacks");
        Assert.True(AttackCorpus.Benign.Length >= 200, $"{AttackCorpus.Benign.Length} benign requests");
        var missed = new List<string>();
        var perCategory = new Dictionary<AttackCategory, (int Hit, int All)>();
        foreach (var (category, payload) in AttackCorpus.Attacks)
        {
            var hits = AttackRules.Match(AttackRules.Decode(AttackCorpus.Target(payload)), Browser).ToList();
            var ok = hits.Any(h => h.Rule.Category == category);
            if (!ok) missed.Add($"{category}: {payload} -> {string.Join(", ", hits.Select(h => h.Rule.Name))}");
            var (h, a) = perCategory.GetValueOrDefault(category);
            perCategory[category] = (h + (ok ? 1 : 0), a + 1);
        }
        var scannerHits = 0;
        foreach (var ua in AttackCorpus.ScannerAgents)
        {
            var hits = AttackRules.Match(AttackRules.Decode("/"), ua).ToList();
            if (hits.Count > 0) scannerHits++; else missed.Add($"Scanner: {ua}");
        }
        perCategory[AttackCategory.Scanner] = (scannerHits, AttackCorpus.ScannerAgents.Length);
        var falsePositives = AttackCorpus.Benign
            .Select(b => (b, hits: AttackRules.Match(AttackRules.Decode(b), Browser).ToList()))
            .Where(x => x.hits.Count > 0)
            .Select(x => $"{x.b} -> {string.Join(", ", x.hits.Select(h => $"{h.Rule.Name} '{h.Evidence}'"))}").ToList();
        // Benign agents: browsers, bots and tools that are not scanners.
        var agents = new[] { "curl/8.5.0", "Wget/1.21.4", "python-requests/2.31.0", "python-httpx/0.27.0", "Go-http-client/1.1", "okhttp/4.12.0", "PostmanRuntime/7.36.0",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Prometheus/2.45.0", "kube-probe/1.29", "UptimeRobot/2.0", Browser };
        falsePositives.AddRange(agents.Where(a => AttackRules.Match("/", a).Any()).Select(a => "agent: " + a));

        var attacks = AttackCorpus.Attacks.Length + AttackCorpus.ScannerAgents.Length;
        var detected = attacks - missed.Count;
        var benign = AttackCorpus.Benign.Length + agents.Length;
        output.WriteLine($"Detection: {detected}/{attacks} = {100.0 * detected / attacks:0.0}%; false positives: {falsePositives.Count}/{benign} = {100.0 * falsePositives.Count / benign:0.0}%");
        foreach (var (c, (h, a)) in perCategory) output.WriteLine($"  {c}: {h}/{a}");
        foreach (var m in missed) output.WriteLine("  missed " + m);
        foreach (var f in falsePositives) output.WriteLine("  false positive " + f);
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "opsrunbook-attack-corpus.txt"),
            $"detected {detected} of {attacks}; false positives {falsePositives.Count} of {benign}\n" + string.Join("\n", missed.Concat(falsePositives)));
        Assert.True(detected >= attacks * 0.97, $"Detection {detected}/{attacks}:\n{string.Join("\n", missed)}");
        Assert.True(falsePositives.Count <= benign * 0.01, $"False positives {falsePositives.Count}/{benign}:\n{string.Join("\n", falsePositives)}");
    }

    [Fact]
    public void Scans_an_access_log_one_hit_per_category_with_status_and_evidence()
    {
        var path = Path.Combine(_dir, "access.log");
        File.WriteAllLines(path, [
            "203.0.113.9 - - [02/Dec/2026:10:00:00 +0000] \"GET /search?q=1%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1\" 200 10 \"-\" \"sqlmap/1.7\" 0.010",
            "203.0.113.9 - - [02/Dec/2026:10:00:01 +0000] \"GET /../../etc/passwd HTTP/1.1\" 400 0 \"-\" \"curl/8\" 0.001",
            "198.51.100.4 - - [02/Dec/2026:10:00:02 +0000] \"GET /docs/union-station HTTP/1.1\" 200 10 \"-\" \"" + Browser + "\" 0.003",
        ]);
        var hits = new List<SuspiciousRequest>();
        SuspiciousRequestScanner.Scan(new SuspiciousRequestOptions { Read = new LogReadOptions { Paths = [path] } }, hits.Add, NullReporter.Allow, _ => { }, CancellationToken.None);
        Assert.Equal([AttackCategory.SqlInjection, AttackCategory.Scanner, AttackCategory.PathTraversal], hits.Select(h => h.Category));
        Assert.All(hits, h => Assert.Equal("203.0.113.9", h.ClientIp));
        Assert.Equal(200, hits[0].Status);
        Assert.Contains("union select", hits[0].Evidence);
        Assert.Equal("/search?q=1' union select password from users--", hits[0].DecodedUri);
        var only = new List<SuspiciousRequest>();
        SuspiciousRequestScanner.Scan(new SuspiciousRequestOptions { Read = new LogReadOptions { Paths = [path] }, Categories = new HashSet<AttackCategory> { AttackCategory.PathTraversal } },
            only.Add, NullReporter.Allow, _ => { }, CancellationToken.None);
        Assert.Equal("930-dot-dot-slash", Assert.Single(only).Rule);
    }

    [Fact]
    public void Groups_error_lines_by_masked_message()
    {
        var path = Path.Combine(_dir, "api-2026-12-02.log");
        File.WriteAllLines(path, [
            "2026-12-02T10:00:00Z ERROR Failed to process job media-processing:40: timeout after 30000ms",
            "2026-12-02T10:05:00Z INFO GET /api/search 200 12ms",
            "2026-12-02T10:06:00Z ERROR Failed to process job media-processing:80: timeout after 30000ms",
            "2026-12-02T10:07:00Z ERROR Webhook delivery failed for evt_1 to 'https://x.example/hook': status 502 (id 3f2504e0-4f89-11d3-9a0c-0305e82c3301)",
            "2026-12-02T10:08:00Z FATAL Webhook delivery failed for evt_2 to 'https://y.example/hook': status 503 (id 6f2504e0-4f89-11d3-9a0c-0305e82c3301)",
            "2026-12-02T10:09:00Z WARN ERRORS are fine here",
            "ERROR without a time",
        ]);
        var o = new LogErrorOptions { Read = new LogReadOptions { Paths = [path] } };
        var r = ErrorDigest.Collect(o, NullReporter.Allow, _ => { }, CancellationToken.None);
        Assert.Equal(4, r.ErrorLines);
        Assert.Equal(2, r.Groups.Count);
        var jobs = r.Groups.Single(g => g.Message.StartsWith("Failed to process", StringComparison.Ordinal));
        Assert.Equal("Failed to process job media-processing:<n>: timeout after <n>ms", jobs.Message);
        Assert.Equal((2L, "ERROR"), (jobs.Count, jobs.Level));
        Assert.Equal(DateTimeOffset.Parse("2026-12-02T10:06:00Z", System.Globalization.CultureInfo.InvariantCulture), jobs.LastSeen);
        Assert.Contains(":80:", jobs.Sample);
        var hooks = Assert.Single(ErrorDigest.Collect(o with { Match = "webhook" }, NullReporter.Allow, _ => { }, CancellationToken.None).Groups);
        Assert.Equal("Webhook delivery failed for evt_<n> to <q>: status <n> (id <uuid>)", hooks.Message);
        Assert.Equal("FATAL", hooks.Level);
        var windowed = ErrorDigest.Collect(o with { Read = o.Read with { Since = DateTimeOffset.Parse("2026-12-02T10:06:30Z", System.Globalization.CultureInfo.InvariantCulture) } },
            NullReporter.Allow, _ => { }, CancellationToken.None);
        Assert.Equal(2, windowed.ErrorLines);
    }

    [Fact]
    public void Finds_failed_logins_from_sshd_and_the_api_and_flags_brute_force()
    {
        var auth = Path.Combine(_dir, "auth.log");
        var lines = new List<string>();
        for (var i = 0; i < 12; i++) lines.Add($"Dec  2 10:{i:00}:0{i % 10} web1 sshd[{100 + i}]: Failed password for invalid user admin{i % 3} from 203.0.113.7 port {40000 + i} ssh2");
        lines.Add("Dec  2 10:30:00 web1 sshd[200]: Failed publickey for deploy from 2001:db8::9 port 50000 ssh2");
        lines.Add("Dec  2 10:31:00 web1 sshd[201]: Accepted publickey for deploy from 2001:db8::9 port 50001 ssh2");
        lines.Add("Dec  2 10:32:00 web1 sudo:   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls");
        File.WriteAllLines(auth, lines);
        File.SetLastWriteTime(auth, new DateTime(2026, 12, 2, 12, 0, 0, DateTimeKind.Local));
        var api = Path.Combine(_dir, "auth-2026-12-02.log");
        File.WriteAllLines(api, [
            "2026-12-02T10:00:00Z WARN authentication failed for user bob@example.com from 198.51.100.2",
            "2026-12-02T10:01:00Z WARN Authentication failed: user=admin0 ip=203.0.113.7 reason=bad_password",
            "2026-12-02T10:02:00Z INFO authentication succeeded for user carol from 198.51.100.3",
        ]);
        var o = new AuthFailureOptions { SshPaths = [auth], ApiPaths = [api], Threshold = 10, Window = TimeSpan.FromMinutes(10) };
        var bySource = AuthFailures.Collect(o, NullReporter.Allow, _ => { }, CancellationToken.None);
        var brute = bySource[0];
        Assert.Equal(("203.0.113.7", 13L, true), (brute.Key, brute.Count, brute.BruteForce));
        Assert.Equal(12, brute.MaxInWindow);   // 10:00:00..10:10:00 holds 11 ssh failures and the api one at 10:01
        Assert.Equal([AuthFailureOrigin.Api, AuthFailureOrigin.Ssh], brute.Origins);
        Assert.Equal(["admin0", "admin1", "admin2"], brute.Users);
        Assert.Contains(bySource, s => s.Key == "2001:db8::9" && s.Count == 1 && !s.BruteForce);
        Assert.Contains(bySource, s => s.Key == "198.51.100.2" && s.Users.SequenceEqual(["bob@example.com"]));
        Assert.Equal(3, bySource.Count);
        var byUser = AuthFailures.Collect(o with { GroupBy = AuthFailureGroupBy.User }, NullReporter.Allow, _ => { }, CancellationToken.None);
        var admin0 = byUser.Single(u => u.Key == "admin0");
        Assert.Equal((5L, true), (admin0.Count, admin0.BruteForce));
        Assert.DoesNotContain(AuthFailures.Collect(o with { Threshold = 20 }, NullReporter.Allow, _ => { }, CancellationToken.None), s => s.BruteForce);

        Assert.True(SyslogLine.TryParse("Dec  2 10:32:00 web1 sudo:   alice : TTY=pts/0 ; COMMAND=/bin/ls", DateTime.UtcNow, out var sl));
        Assert.Equal(("web1", "sudo", (int?)null), (sl!.Host, sl.Program, sl.Pid));
        Assert.True(SyslogLine.TryParse("2026-12-02T10:32:00.123456+00:00 web1 sshd[77]: Connection closed", DateTime.UtcNow, out sl));
        Assert.Equal(("sshd", (int?)77, "Connection closed"), (sl!.Program, sl.Pid, sl.Message));
    }

    [Fact]
    public void Reads_tcp_connections_as_ss_sees_them()
    {
        Assert.True(NetworkConnections.TryEndpoint("0100007F:1F90", out var a, out var p));
        Assert.Equal(("127.0.0.1", 8080), (a, p));
        Assert.True(NetworkConnections.TryEndpoint("00000000000000000000000001000000:0050", out a, out p));
        Assert.Equal(("::1", 80), (a, p));
        Assert.True(NetworkConnections.TryEndpoint("0000000000000000FFFF00000100007F:01BB", out a, out p));
        Assert.Equal(("127.0.0.1", 443), (a, p));

        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new System.Net.Sockets.TcpClient();
        client.Connect(System.Net.IPAddress.Loopback, port);
        using var server = listener.AcceptTcpClient();
        var mine = NetworkConnections.Read(port);
        Assert.Contains(mine, c => c.State == TcpState.Listen && c.LocalPort == port);
        Assert.Equal(2, mine.Count(c => c.State == TcpState.Established));
        Assert.Single(NetworkConnections.Read(port, [TcpState.Listen]));
        // The oracle: ss (iproute2) counts the same sockets on that port.
        var ss = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ss", $"-Htan ( sport = :{port} or dport = :{port} )") { RedirectStandardOutput = true })!;
        var text = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        Assert.Equal(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, mine.Count);
    }
}
