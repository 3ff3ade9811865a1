@{
    Synopsis    = 'Returns the slowest statements from pg_stat_statements.'
    Description = @'
Get-OpsSlowQuery is the Performance Review's slow-query report: statements from pg_stat_statements whose mean execution time is above -MinMeanTimeMs (the runbook's 100 ms), slowest first, at most -Top (10). Each SlowQuery has QueryId, Query (normalized), Calls, MeanTimeMs, TotalTimeMs, MaxTimeMs, StddevTimeMs, Rows, User and Database. Only statements run in the configured database are returned unless -AllDatabases is given.

When the extension cannot answer the error says how to fix it: PgStatStatementsNotInstalled (run CREATE EXTENSION pg_stat_statements in the database, or install postgresql-contrib) or PgStatStatementsNotPreloaded (add it to shared_preload_libraries and restart PostgreSQL).
'@
    Parameters  = @{
        MinMeanTimeMs = @{ Description = 'Minimum mean execution time, in milliseconds.'; Default = '100' }
        Top           = @{ Description = 'How many statements to return.'; Default = '10' }
        AllDatabases  = 'Includes statements run in every database.'
        Environment   = @{ Description = "The environment in ops.yaml whose postgres section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Postgres.SlowQuery' = 'One per statement.' }
    Examples    = @(
        @{ Title = "The weekly report's slow queries"; Code = 'Get-OpsSlowQuery'; Remarks = 'Statements averaging over 100 ms.' }
        @{ Title = 'Everything over 10 ms, in every database'; Code = 'Get-OpsSlowQuery -MinMeanTimeMs 10 -Top 25 -AllDatabases | Format-List Query, Calls, MeanTimeMs'; Remarks = 'Full query text.' }
    )
    Links       = @('Get-OpsDbTable', 'Get-OpsDbConnection')
}
