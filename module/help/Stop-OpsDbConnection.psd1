@{
    Synopsis    = 'Terminates PostgreSQL sessions, or cancels their running query, by Pid or from Get-OpsDbConnection.'
    Description = @'
Stop-OpsDbConnection calls pg_terminate_backend for each Pid (or, with -CancelQuery, pg_cancel_backend, which stops only the running query and leaves the session connected). Pids come from -Pid or from the pipeline, e.g. from Get-OpsDbConnection. It never stops its own session.

ConfirmImpact is High: it asks before each session unless -Force or -Confirm:$false is given; -WhatIf only lists what it would stop. It writes one DbConnectionStopResult per Pid, with Status Terminated, Cancelled, NotFound (no such process) or Failed (with the reason in Message, e.g. permission denied). Terminate waits up to -WaitSeconds for the process to exit, so its slot is free when Terminated is reported.

All the approved Pids are stopped over one unpooled connection opened after the input has ended, so the cmdlet works when the server is at max_connections, provided it connects as a superuser (reserved slots).
'@
    Parameters  = @{
        Pid         = 'The server process ids (pg_stat_activity.pid). Accepts pipeline input by value and by the Pid property.'
        CancelQuery = 'Cancels only the running query (pg_cancel_backend) instead of ending the session.'
        Force       = 'Does not ask for confirmation. -WhatIf still only reports.'
        WaitSeconds = @{ Description = 'How long to wait for a terminated process to exit before reporting Failed.'; Default = '5' }
        Credential  = @{ Description = 'Connects as this user instead of postgres.username; use a superuser when the server is out of ordinary slots.'; Default = 'postgres.username and postgres.password' }
        User        = 'Bound from piped Get-OpsDbConnection output; used only to describe the session in the confirmation prompt.'
        Application = 'Bound from piped Get-OpsDbConnection output; used only to describe the session in the confirmation prompt.'
        Environment   = @{ Description = "The environment in ops.yaml whose postgres section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Postgres.DbConnectionStopResult' = 'One per Pid.' }
    Examples    = @(
        @{ Title = 'Connection exhaustion: kill idle sessions older than 5 minutes'; Code = 'Get-OpsDbConnection -State idle -IdleLongerThan 00:05:00 | Stop-OpsDbConnection -WhatIf'; Remarks = 'Without -WhatIf it asks for each session; -Force skips the questions.' }
        @{ Title = 'Cancel a runaway query but keep the session'; Code = 'Get-OpsDbConnection -State active -Application reporting | Stop-OpsDbConnection -CancelQuery -WhatIf'; Remarks = 'Uses pg_cancel_backend.' }
        @{ Title = 'Terminate one session'; Code = 'Stop-OpsDbConnection -Pid 12345 -Force'; Remarks = 'Ends session 12345 without asking.'; Run = $false; Why = 'Needs the pid of a real session to end.' }
    )
    Links       = @('Get-OpsDbConnection')
}
