@{
    Synopsis    = 'Finds requests in access logs that look like SQL injection, XSS, path traversal, command injection or a vulnerability scanner.'
    Description = @'
Find-OpsSuspiciousRequest reads nginx access logs (the formats Measure-OpsAccessLog reads) and runs every request through rules written from the families of the OWASP Core Rule Set: 942 SQL injection, 941 cross-site scripting, 930 path traversal and local file inclusion, 932 remote command execution (Log4Shell and Shellshock included), and 913 scanners by user agent.

Before the rules run, the request target is normalised as the Core Rule Set transformations do: URL-decoded repeatedly (double encoding, %uXXXX, + for space), HTML entities decoded, NUL bytes removed, comments (/* */ and <!-- -->) replaced by a space, lower-cased and whitespace folded. The rules run over the path and query; the scanner, Shellshock and JNDI rules also over the user agent.

It returns one SuspiciousRequest per category hit: Time, ClientIp, Method, Uri (as logged), DecodedUri, Category, Rule, Evidence (the matched text), Status (what the server answered: a 200 to an attack deserves a look) and UserAgent. Results stream as they are found. Group-Object ClientIp gives the offenders.

False positives matter as much as hits: on the test corpus (236 attacks, 234 benign lookalikes and ordinary requests, such as /docs/union-station, select=name, O'Brien, q=<3 and a+or+b) it detects 99 % of the attacks with under 1 % false positives (figures in the README).
'@
    Parameters  = @{
        Path     = @{ Description = 'Access log files or wildcards; plain paths bring their rotations along.'; Default = 'logs.access under logs.directory' }
        Since    = @{ Description = 'Only requests at or after this time: a date and time, or a duration meaning that long ago.'; Default = 'No lower bound' }
        Until    = @{ Description = 'Only requests at or before this time.'; Default = 'No upper bound' }
        Category = @{ Description = 'Only these categories.'; Default = 'All' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Logs.SuspiciousRequest' = 'Time, ClientIp, Method, Uri, DecodedUri, Category, Rule, Evidence, Status, UserAgent.'
    }
    Examples    = @(
        @{
            Title   = 'Attacks of the last week, by offender'
            Code    = 'Find-OpsSuspiciousRequest -Since 7d | Group-Object ClientIp | Sort-Object Count -Descending | Select-Object Count, Name'
            Remarks = 'Replaces the grep for SQL injection, XSS and ../ in "Wednesday: Security Review" step 1.'
        }
        @{
            Title   = 'Attacks the server answered with 200'
            Code    = 'Find-OpsSuspiciousRequest -Category SqlInjection, PathTraversal | Where-Object Status -eq 200 | Format-List Time, ClientIp, Uri, Rule, Evidence'
            Remarks = 'The ones worth a closer look.'
        }
    )
    Links       = @('Get-OpsAuthFailure', 'Measure-OpsAccessLog')
}
