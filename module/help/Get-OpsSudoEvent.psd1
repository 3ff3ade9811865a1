@{
    Synopsis    = "Lists the commands run with sudo, from auth.log: User, Tty, RunAs, Command, Time, and sudo's refusals (the Security Audit's access review)."
    Description = @'
Get-OpsSudoEvent reads sudo's command lines of auth.log through the module's one log reader (plain and gzip rotations, oldest first; a missing or corrupt file is an error with its id, the scan goes on):

    Dec  2 10:25:48 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx
    Dec  2 10:27:00 web1 sudo:  mallory : user NOT in sudoers ; TTY=pts/2 ; PWD=/home/mallory ; USER=root ; COMMAND=/bin/cat /etc/shadow

Each command is one object: Time, Host, User, Tty, RunAs (USER=), Command, Pwd, Allowed ($false when sudo refused) and Reason (user NOT in sudoers, command not allowed, 3 incorrect password attempts), File and LineNumber. pam_unix session lines are not commands and are left out. Classic syslog times take their year from the file's last write; rsyslog's ISO 8601 times are read as they are.

With no -Path it reads logs.systemAuth of the config (default /var/log/auth.log); with -Path no config is needed.
'@
    Parameters  = @{
        Since   = @{ Description = 'Only commands at or after this time, or this long ago (7d, 24h).'; Default = '7 days ago' }
        Until   = @{ Description = 'Only commands at or before this time.'; Default = 'Now' }
        User    = @{ Description = 'Only commands of these users (wildcards allowed).'; Default = 'Every user' }
        Refused = 'Only the commands sudo refused (Allowed is $false).'
        Path    = @{ Description = 'auth.log files (wildcards allowed); rotations (auth.log.1, auth.log.2.gz) come along.'; Default = 'logs.systemAuth, else /var/log/auth.log' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Security.SudoEvent' = 'Time, Host, User, Tty, RunAs, Command, Pwd, Allowed, Reason, File, LineNumber.' }
    Examples    = @(
        @{ Title = 'sudo commands of the last week'; Code = 'Get-OpsSudoEvent -Since 7d -ErrorAction SilentlyContinue'; Remarks = 'Reads logs.systemAuth (/var/log/auth.log) and its rotations; a missing file is an error (LogFileNotFound), silenced here.' }
        @{ Title = 'What alice ran as root on a copied log'; Code = "Get-OpsSudoEvent -Path ./auth.log* -User alice -Since 30d -ErrorAction SilentlyContinue | Where-Object RunAs -eq root | Format-Table Time, Tty, Command"; Remarks = '-Path needs no config.' }
        @{ Title = 'Refusals by user'; Code = 'Get-OpsSudoEvent -Since 30d -Refused -ErrorAction SilentlyContinue | Group-Object User | Sort-Object Count -Descending'; Remarks = 'Who tried what they may not do.' }
    )
    Links       = @('Get-OpsLoginHistory', 'Get-OpsAuthFailure')
}
