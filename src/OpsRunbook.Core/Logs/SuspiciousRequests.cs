using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;

namespace OpsRunbook.Core.Logs;

public enum AttackCategory { SqlInjection, Xss, PathTraversal, CommandInjection, Scanner }

/// <summary>One request of an access log that matched an attack rule.</summary>
public sealed record SuspiciousRequest
{
    public DateTimeOffset? Time { get; init; }
    public required string ClientIp { get; init; }
    public required string Method { get; init; }
    /// <summary>The request target as logged.</summary>
    public required string Uri { get; init; }
    /// <summary>After repeated URL decoding, entity decoding, lower-casing, comment removal and whitespace folding.</summary>
    public required string DecodedUri { get; init; }
    public AttackCategory Category { get; init; }
    /// <summary>The rule that matched, named after its OWASP CRS family (942 SQLi, 941 XSS, 930 LFI, 932 RCE, 913 scanners).</summary>
    public required string Rule { get; init; }
    /// <summary>The matched part (at most 120 characters).</summary>
    public required string Evidence { get; init; }
    /// <summary>The status the server answered (a 200 to an attack deserves a look).</summary>
    public int Status { get; init; }
    public string UserAgent { get; init; } = "";
}

/// <summary>
/// The attack rules and the decoding they run after, written from the families of the OWASP Core Rule Set
/// (REQUEST-942 SQL injection, 941 XSS, 930 local file inclusion and traversal, 932 remote command execution,
/// 913 scanner detection). The rules are our own regexes, tuned against the corpus in the tests: a benign
/// lookalike (/docs/union-station, select=name, O'Brien, q=&lt;3, a+or+b) must not fire.
/// </summary>
public static partial class AttackRules
{
    public sealed record Rule(string Name, AttackCategory Category, Regex Pattern, bool OnUserAgent = false, bool OnRequest = true);

    private const RegexOptions Opt = RegexOptions.CultureInvariant | RegexOptions.Compiled;
    private static Rule R(string name, AttackCategory c, string pattern, bool ua = false, bool request = true) =>
        new(name, c, new Regex(pattern, Opt, TimeSpan.FromMilliseconds(200)), ua, request);

    /// <summary>Every rule, in the order they are tried; a request reports its first hit per category.</summary>
    public static readonly IReadOnlyList<Rule> All =
    [
        // 942: SQL injection.
        R("942-union-select", AttackCategory.SqlInjection, @"\bunion(?:\s+(?:all|distinct))?\s*\(?\s*select\b"),
        R("942-tautology", AttackCategory.SqlInjection, @"['""`)]\s*(?:or|and|xor|\|\||&&)\s*(?:\(?\s*['""`]?\w*['""`]?\s*(?:=|<>|!=|<=?|>=?|\blike\b|\bis\b|\bin\b)\s*['""`(]?\w*|\d+\s*(?:--|#|/\*|;|\)|$)|true\b|false\b|not\b|sleep\b|exists\b|\(\s*select\b)"),
        R("942-numeric-tautology", AttackCategory.SqlInjection, @"(?:^|[\s=(])(?:or|and|\|\|)\s+(\d+)\s*(?:=|<>|!=|>|<)\s*\d+\b"),
        R("942-comment-terminator", AttackCategory.SqlInjection, @"['""`]\s*\)*\s*(?:--(?:\s|$)|#|/\*|;\s*--)"),
        R("942-stacked-query", AttackCategory.SqlInjection, @";\s*(?:drop|delete|insert|update|create|alter|truncate|exec(?:ute)?|shutdown|declare|grant)\s+(?:table|from|into|database|procedure|function|user|\w+\s+set|xp_|@|master)"),
        R("942-time-based", AttackCategory.SqlInjection, @"\b(?:sleep|benchmark|pg_sleep|dbms_lock\.sleep)\s*\(\s*\d|\bwaitfor\s+(?:delay|time)\s+['""]"),
        R("942-schema-probe", AttackCategory.SqlInjection, @"\b(?:information_schema|sysobjects|syscolumns|pg_catalog|pg_shadow|mysql\.user|sqlite_master|all_tables|xp_cmdshell|load_file\s*\(|into\s+(?:out|dump)file|@@(?:version|datadir|hostname)|extractvalue\s*\(|updatexml\s*\(|utl_http|(?:char|chr|concat)\s*\(\s*(?:0x|\d+\s*,\s*\d+))"),
        R("942-subquery", AttackCategory.SqlInjection, @"\(\s*select\s+(?:\*|\w+|@@\w+|\()"),
        R("942-select-from", AttackCategory.SqlInjection, @"\bselect\s+(?:\*|null|@@\w+|count\s*\(|(?:\w+\s*,\s*)+\w+|\w+\s*\()\s*(?:from\b|,|\))|\bselect\b[^&]{0,60}\bfrom\b[^&]{0,60}\bwhere\b[^&]{0,40}(?:=|like)|\border\s+by\s+\d+\s*(?:--|#|/\*)|\bhaving\s+\d+\s*=\s*\d+"),
        // 941: cross-site scripting.
        R("941-script-tag", AttackCategory.Xss, @"<\s*/?\s*script\b"),
        R("941-event-handler", AttackCategory.Xss, @"(?:<[^>]*|['""\s/])\bon(?:error|load|mouse\w+|click|dblclick|focus\w*|blur|submit|toggle|begin|end|animation\w+|transition\w+|pointer\w+|key\w+|change|input|drag\w*|wheel|scroll|resize|unload|beforeunload|hashchange|message|pageshow|copy|paste|cut)\s*="),
        R("941-dangerous-tag", AttackCategory.Xss, @"<\s*(?:iframe|frame|svg|object|embed|img|image|body|math|details|marquee|base|meta|link|style|form|video|audio|input|isindex|applet|xss|a\s+href|textarea|select|keygen|template)\b"),
        R("941-js-uri", AttackCategory.Xss, @"(?:java|vb|live)script\s*:\s*(?:[\w$.]+\s*[(=`]|/|void\b|\{|['""(`])|data\s*:\s*text/html|data\s*:[^,]*;base64"),
        R("941-dom-sink", AttackCategory.Xss, @"\bdocument\s*\.\s*(?:cookie|domain|write|location)|\bwindow\s*\.\s*location|\b(?:alert|prompt|confirm|eval)\s*(?:\(|`)|string\s*\.\s*fromcharcode|\bexpression\s*\(|\bsrcdoc\s*=|\binnerhtml\s*="),
        // 930: traversal and local file inclusion.
        R("930-dot-dot-slash", AttackCategory.PathTraversal, @"(?:^|[/\\=?&;])\.{2,}[/\\]|[/\\]\.{2,}(?:[/\\;]|$)|\.\.;/"),
        R("930-sensitive-file", AttackCategory.PathTraversal, @"/etc/(?:passwd|shadow|group|hosts|issue|sudoers|crontab)\b|/proc/(?:self|\d+)/(?:environ|cmdline|fd|maps|mem)|\b(?:boot|win|system)\.ini\b|/\.(?:htaccess|htpasswd|git/|svn/|env\b|aws/|ssh/|bash_history|docker)|\bweb-inf/web\.xml|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|[/\\]windows[/\\]system32[/\\]"),
        R("930-stream-wrapper", AttackCategory.PathTraversal, @"\b(?:file|php|expect|zip|phar|glob|data|jar|netdoc|gopher|dict)://(?!/?(?:www\.)?[a-z0-9-]+\.(?:com|org|net)\b)"),
        // 932: remote command execution.
        R("932-command-chain", AttackCategory.CommandInjection, @"(?:[;|`]|\|\||&&|&\s|\$\()\s*(?:/(?:usr/)?bin/)?(?:cat|ls|id|whoami|uname|wget|curl|nc|ncat|netcat|bash|sh|zsh|python\d?|perl|ruby|php|ping|nslookup|dig|rm|chmod|chown|echo|sleep|ifconfig|ip\s+a|sudo|kill|nohup|base64|telnet|powershell|cmd)\b"),
        R("932-substitution", AttackCategory.CommandInjection, @"\$\(\s*(?:/(?:usr/)?bin/)?(?:id|whoami|uname|cat|ls|sleep|curl|wget|echo|bash|sh|nc|ping|rm|python\d?|perl|base64)\b|`\s*(?:id|whoami|uname|cat|ls|sleep|curl|wget)\b|\$\{ifs\}|\$ifs\$|\{\s*(?:cat|ls|id),"),
        R("932-shell-path", AttackCategory.CommandInjection, @"[\s;|&=(`]/(?:usr/)?(?:local/)?s?bin/(?:ba|z|da|k)?sh\b|[\s;|&=(`]/(?:usr/)?s?bin/\w+|\bcmd(?:\.exe)?\s+/c\b|\bpowershell(?:\.exe)?\s+-(?:e|enc|c|command|nop)\b|\bnc\s+-[a-z]*e\b"),
        R("932-shellshock", AttackCategory.CommandInjection, @"\(\s*\)\s*\{\s*[:a-z]*\s*;?\s*\}\s*;", ua: true),
        R("932-jndi", AttackCategory.CommandInjection, @"\$\{\s*(?:jndi|lower|upper|env|sys|::-j)[^}]*(?::|\})", ua: true),
        // 913: scanners, by user agent.
        R("913-scanner-agent", AttackCategory.Scanner, @"\b(?:sqlmap|nikto|nmap|masscan|zgrab|nuclei|wpscan|dirbuster|gobuster|dirb|feroxbuster|acunetix|netsparker|nessus|openvas|w3af|arachni|havij|whatweb|wfuzz|ffuf|jaeles|zmeu|morfeus|commix|skipfish|paros|webinspect|appscan|qualys|censysinspect|fimap|brutus|interactsh|jorgee|xsstrike|dotdotpwn|bbqsql|nosqlmap|fuzz\s+faster\s+u\s+fool|masscan)\b", ua: true, request: false),
    ];

    /// <summary>
    /// Normalises a request target as CRS transformations do: URL-decodes until stable (at most 4 times: double
    /// encoding, %uXXXX, '+'), decodes HTML entities, removes NUL bytes and SQL/C comments (a comment becomes a
    /// space), lower-cases and folds whitespace.
    /// </summary>
    public static string Decode(string s)
    {
        for (var i = 0; i < 4; i++)
        {
            var next = UrlDecode(s);
            next = next.Contains('&') ? WebUtility.HtmlDecode(next) : next;
            if (next == s) break;
            s = next;
        }
        s = s.Replace("\0", "", StringComparison.Ordinal);
        s = Comments().Replace(s, " ");
        s = s.ToLowerInvariant();
        return Whitespace().Replace(s, " ").Trim();
    }

    [GeneratedRegex(@"/\*.*?\*/|<!--.*?-->")]
    private static partial Regex Comments();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private static string UrlDecode(string s)
    {
        if (s.IndexOfAny(['%', '+']) < 0) return s;
        var bytes = new List<byte>(s.Length);
        var sb = new StringBuilder(s.Length);
        void Flush() { if (bytes.Count > 0) { sb.Append(Encoding.UTF8.GetString(bytes.ToArray())); bytes.Clear(); } }
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '+') { Flush(); sb.Append(' '); continue; }
            if (c == '%' && i + 5 < s.Length && (s[i + 1] == 'u' || s[i + 1] == 'U') && int.TryParse(s.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var u))
            {
                Flush(); sb.Append((char)u); i += 5; continue;
            }
            if (c == '%' && i + 2 < s.Length && byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b); i += 2; continue;
            }
            Flush();
            sb.Append(c);
        }
        Flush();
        return sb.ToString();
    }

    /// <summary>Every category's first hit on a decoded request target and a user agent.</summary>
    public static IEnumerable<(Rule Rule, string Evidence)> Match(string decodedUri, string userAgent, IReadOnlySet<AttackCategory>? categories = null)
    {
        var seen = new HashSet<AttackCategory>();
        string? ua = null;
        foreach (var r in All)
        {
            if (categories is not null && !categories.Contains(r.Category)) continue;
            if (seen.Contains(r.Category)) continue;
            Match? m = null;
            try
            {
                if (r.OnRequest) { m = r.Pattern.Match(decodedUri); if (!m.Success) m = null; }
                if (m is null && r.OnUserAgent && userAgent.Length > 0)
                {
                    ua ??= Decode(userAgent);
                    m = r.Pattern.Match(ua);
                    if (!m.Success) m = null;
                }
            }
            catch (RegexMatchTimeoutException) { continue; }
            if (m is null) continue;
            seen.Add(r.Category);
            yield return (r, m.Value.Length > 120 ? m.Value[..120] : m.Value);
        }
    }
}

public sealed record SuspiciousRequestOptions
{
    public required LogReadOptions Read { get; init; }
    public string? Format { get; init; }
    public IReadOnlySet<AttackCategory>? Categories { get; init; }
}

/// <summary>Find-OpsSuspiciousRequest's engine: every access-log request through <see cref="AttackRules"/>.</summary>
public static class SuspiciousRequestScanner
{
    public static long Scan(SuspiciousRequestOptions o, Action<SuspiciousRequest> hit, IOpsReporter reporter, Action<OpsException> problem, CancellationToken ct)
    {
        var parser = AccessLogParser.Create(o.Format);
        long unparsed = 0, lines = 0;
        var scanUa = o.Categories is null || o.Categories.Contains(AttackCategory.Scanner) || o.Categories.Contains(AttackCategory.CommandInjection);
        LogReader.Scan(o.Read with { Activity = "Scanning requests for attacks" }, (line, _) =>
        {
            lines++;
            if (!parser.TryParse(line, out var e)) { unparsed++; return; }
            if (e.HasTime && !o.Read.InWindow(e.Time)) return;
            var uri = Encoding.UTF8.GetString(e.Uri);
            var ua = scanUa ? Encoding.UTF8.GetString(e.UserAgent) : "";
            var decoded = AttackRules.Decode(uri);
            foreach (var (rule, evidence) in AttackRules.Match(decoded, ua, o.Categories))
                hit(new SuspiciousRequest
                {
                    Time = e.HasTime ? e.Time : null, ClientIp = Encoding.ASCII.GetString(e.ClientIp), Method = Encoding.ASCII.GetString(e.Method),
                    Uri = uri, DecodedUri = decoded, Category = rule.Category, Rule = rule.Name, Evidence = evidence, Status = e.Status, UserAgent = ua,
                });
        }, reporter, problem, ct);
        if (unparsed > 0)
            problem(new OpsException(ErrorIds.LogLinesUnparsed, $"{unparsed:N0} of {lines:N0} line(s) do not match the access-log format and were not scanned.", null,
                "If every line fails, set logs.accessFormat to the server's log_format string."));
        return lines;
    }
}
