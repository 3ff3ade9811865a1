@{
    Synopsis    = 'Failed logins from the API''s auth logs and sshd''s auth.log, by source IP or by user, with a brute-force flag.'
    Description = @'
Get-OpsAuthFailure reads two sources through the module's one log reader:
- the API's auth logs (logs.auth under logs.directory, a {date:FORMAT} pattern or a wildcard): lines saying "authentication failed", with the user (user, username, login or email followed by the name) and the source address (from, ip, client or source followed by the address);
- sshd's lines in the system auth log (logs.systemAuth, default /var/log/auth.log, with its rotations): "Failed password/publickey/keyboard-interactive for [invalid user] NAME from IP port N". Classic syslog times have no year; the year is the one that puts the line before the file's last write.

Failures are grouped by source IP (default) or by user. MaxInWindow is the most failures of one source within any -Window; BruteForce is $true when it reaches -Threshold. For a user, the count is over its own failures and BruteForce says whether one of the sources that tried it is a brute-forcer.
'@
    Parameters  = @{
        Since      = @{ Description = 'Only failures at or after this time: a date and time, or a duration meaning that long ago.'; Default = '24h' }
        Until      = @{ Description = 'Only failures at or before this time.'; Default = 'Now' }
        Window     = @{ Description = 'The span in which -Threshold failures from one source mean brute force (10m, 1h).'; Default = '10m' }
        Threshold  = @{ Description = 'Failures from one source within -Window that mean brute force.'; Default = '10' }
        GroupBy    = @{ Description = 'One summary per SourceIp or per User.'; Default = 'SourceIp' }
        ApiLogPath = @{ Description = 'API auth log files or wildcards, instead of logs.auth. An empty array reads none.'; Default = 'The logs.auth files of the days in the window' }
        SshLogPath = @{ Description = 'sshd auth log files, instead of logs.systemAuth. An empty array reads none.'; Default = 'logs.systemAuth (/var/log/auth.log) when it exists' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Logs.AuthFailureSummary' = 'GroupBy, Key, Count, MaxInWindow, BruteForce, FirstSeen, LastSeen, Users, SourceIps, Origins (Api, Ssh).'
    }
    Examples    = @(
        @{
            Title   = 'Failed logins of the last 24 hours, brute-forcers first'
            Code    = 'Get-OpsAuthFailure'
            Remarks = 'The "Wednesday: Security Review" step 1.'
        }
        @{
            Title   = 'Only the sources that brute-force, with a tighter rule'
            Code    = 'Get-OpsAuthFailure -Since 7d -Window 5m -Threshold 5 | Where-Object BruteForce'
            Remarks = 'Five failures from one address within five minutes.'
        }
        @{
            Title   = 'Which accounts are attacked'
            Code    = 'Get-OpsAuthFailure -GroupBy User | Select-Object Key, Count, SourceIps'
            Remarks = 'One row per user name tried.'
        }
    )
    Links       = @('Find-OpsSuspiciousRequest', 'Get-OpsLogError')
}
