@{
    Synopsis    = 'Returns the sessions in pg_stat_activity as objects, never its own.'
    Description = @'
Get-OpsDbConnection returns one DbConnectionInfo per session: Pid, User, Database, Application, ClientAddress, State, StateChange, IdleFor, QueryStart, Query, WaitEvent, WaitEventType, BackendType and BackendStart. Its own session is never returned. By default only client backends are listed; -IncludeBackground adds autovacuum and the other server processes.

It is the first step of the runbook's Database Connection Exhaustion emergency:

    Get-OpsDbConnection -State idle -IdleLongerThan 00:05:00 | Stop-OpsDbConnection
    Get-OpsDbConnection | Group-Object User, Application

It works while the server is at max_connections: it opens one unpooled connection, reads every row and closes it before writing output, so a Stop-OpsDbConnection downstream needs only one slot too. Connect as a superuser (the config's user, or -Credential) and that slot comes from superuser_reserved_connections, which ordinary clients cannot take.
'@
    Parameters  = @{
        State             = "Only sessions in these states: active, idle, 'idle in transaction', 'idle in transaction (aborted)', 'fastpath function call', disabled."
        IdleLongerThan    = 'Only idle sessions (any idle state) whose state changed longer ago than this, e.g. 00:05:00.'
        User              = 'Only sessions of these database users.'
        Application       = 'Only sessions with these application_name values.'
        Database          = @{ Description = 'Only sessions connected to these databases. With -Server, a single name is also the database to connect to (any database shows every session).'; Default = 'Every database; with -Server it connects to postgres' }
        IncludeBackground = 'Also returns background processes (autovacuum, walwriter, checkpointer, ...).'
        Credential        = @{ Description = 'Connects as this user instead of postgres.username; use a superuser when the server is out of ordinary slots.'; Default = 'postgres.username and postgres.password' }
        Environment   = @{ Description = "The environment in ops.yaml whose postgres section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Postgres.DbConnectionInfo' = 'One per session.' }
    Examples    = @(
        @{ Title = 'Point at a server without a config file, as with dbatools'; Code = 'Get-OpsDbConnection -Server db1.internal:5432 -Credential postgres -State idle'; Remarks = 'Every PostgreSQL cmdlet takes -Server host[:port] [-Database name] [-Credential] instead of ops.yaml. -Credential postgres asks for the password; without -Credential it logs in with $env:PGUSER and $env:PGPASSWORD (or ~/.pgpass), as psql does.'; Run = $false; Why = 'Names a real server; tests/pester/Get-OpsDbConnection.Tests.ps1 runs the same against the sandbox.' }
        @{ Title = 'Who is connected'; Code = 'Get-OpsDbConnection | Group-Object User, Application | Sort-Object Count -Descending'; Remarks = "The runbook's 'identify connection hogs' step." }
        @{ Title = 'Connection exhaustion: kill idle sessions older than 5 minutes'; Code = 'Get-OpsDbConnection -State idle -IdleLongerThan 00:05:00 | Stop-OpsDbConnection -WhatIf'; Remarks = 'Drop -WhatIf (and confirm, or add -Force) to terminate them.' }
        @{ Title = 'Long-running queries'; Code = 'Get-OpsDbConnection -State active | Where-Object { $_.QueryStart -lt (Get-Date).AddMinutes(-5) }'; Remarks = 'Active queries that started over five minutes ago.' }
    )
    Links       = @('Stop-OpsDbConnection')
}
