@{
    Synopsis    = 'Lists the Redis slow log (SLOWLOG GET) with Id, Time, Duration and the command, its argument values masked.'
    Description = @'
Get-OpsRedisSlowLog reads the newest -First entries of the Redis slow log: the commands that took longer than the server's slowlog-log-slower-than. Each entry has Id, Time, Duration (and DurationMs), Command, CommandName, ArgumentCount, Client (address) and ClientName.

Argument values are masked: Command shows the command name (and the subcommand of a container command such as CONFIG SET or DEBUG SLEEP) and a '?' for every argument, so keys and values (tokens, e-mail addresses, passwords given to AUTH) never reach the screen, a CSV or a log.
'@
    Parameters  = @{
        First   = @{ Description = 'How many entries, newest first (SLOWLOG GET n).'; Default = '20' }
        Timeout = @{ Description = 'Bound on connecting and on the SLOWLOG call.'; Default = '5s' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Performance.RedisSlowLogEntry' = 'One object per slow-log entry, newest first.' }
    Examples    = @(
        @{ Title = 'The slowest recent Redis commands'; Code = 'Get-OpsRedisSlowLog -First 10'; Remarks = 'Id, time, duration, client and the masked command.' }
        @{ Title = 'Which commands are slow most often'; Code = 'Get-OpsRedisSlowLog -First 100 | Group-Object CommandName | Sort-Object Count -Descending'; Remarks = 'Counts per command name.' }
    )
    Links       = @('Get-OpsRedisInfo', 'about_OpsRunbook')
}
