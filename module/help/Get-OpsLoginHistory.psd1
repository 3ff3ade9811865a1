@{
    Synopsis    = "Lists logins and boots from wtmp, newest first, paired the way 'last -F' pairs them (the Security Audit's access review)."
    Description = @'
Get-OpsLoginHistory reads the wtmp file's utmp records directly (384-byte records of glibc on 64-bit Linux) and pairs each login with the record that ended it, as util-linux last does: reading from the end, a login ends at the next record on its terminal (its logout, or another login there); a boot or a shutdown ends the sessions still open before it (Status crash or down); a session with no end is still logged in while its process still runs as its user, else gone - no logout. Boots are rows too (User reboot, Tty "system boot", Host the kernel version; Status still running for the current boot). Shutdown and runlevel records are not rows, as without last -x.

Each row has Kind (Login or Boot), User, Tty, Host, Login, Logout (empty while it goes on), Status, Duration (whole seconds, as last counts) and DurationMs, and Pid. The tests compare it with last -F -f on the same file.

Reading /var/log/wtmp needs root or the utmp group; a file that cannot be read, or whose size is not a whole number of records, is LoginHistoryUnreadable.
'@
    Parameters  = @{
        Last = @{ Description = 'How many rows, newest first (as last -n); boots count as rows.'; Default = '20' }
        User = @{ Description = 'Only rows of these users (wildcards allowed); boots are the user reboot.'; Default = 'Every user' }
        Path = @{ Description = 'The wtmp file; a rotated one (/var/log/wtmp.1) works too.'; Default = '/var/log/wtmp' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Security.LoginRecord' = 'Kind, User, Tty, Host, Login, Logout, Status, Duration, DurationMs, Pid.' }
    Examples    = @(
        @{ Title = 'The last 20 logins and boots'; Code = 'Get-OpsLoginHistory'; Remarks = 'As last -F -n 20, as objects.' }
        @{ Title = 'Who logged in from where this month'; Code = "Get-OpsLoginHistory -Last 1000 | Where-Object { `$_.Kind -eq 'Login' -and `$_.Login -gt (Get-Date).AddDays(-30) } | Group-Object User, Host | Sort-Object Count -Descending"; Remarks = 'The access review: one group per user and source.' }
    )
    Links       = @('Get-OpsSudoEvent', 'Get-OpsAuthFailure')
}
