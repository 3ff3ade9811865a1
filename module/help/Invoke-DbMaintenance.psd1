@{
    Synopsis    = 'Runs the monthly database maintenance: ANALYZE, REINDEX TABLE CONCURRENTLY and VACUUM (ANALYZE) per table.'
    Description = @'
Invoke-DbMaintenance runs the runbook's Database Maintenance on each table: ANALYZE, then REINDEX TABLE CONCURRENTLY (writes are never blocked; -NoConcurrently uses a plain REINDEX), then VACUUM (ANALYZE), then a read-only Report: the table's size, dead tuples and estimated bloat (the pgsql-bloat-estimation method, with BloatReliable saying whether the estimate can be trusted). -Operation picks the operations; they always run in that order. The Report comes only after operations that ran (none under -WhatIf), or alone with -Operation Report.

Tables come from -Table, from the pipeline (strings, or objects with a Table property such as Get-OpsDbTable's), or else from maintenance.tables in the config (default media_items, embeddings, search_history). Each name is looked up in pg_class with a bound parameter before anything runs; only the name read back from the catalog, quoted, reaches a statement. A missing or malformed table name is a non-terminating DbTableNotFound error for that item, and the rest goes on.

Every statement runs on one connection with lock_timeout and statement_timeout from maintenance.lockTimeoutSeconds and maintenance.statementTimeoutSeconds (-LockTimeout and -StatementTimeout override them), so maintenance gives up (DbMaintenanceLockTimeout) instead of queuing behind a lock and blocking the writers queued behind it. Ctrl+C cancels the running statement on the server.

One DbMaintenanceResult per table and operation: Table, Operation, Status, Duration, SizeBefore, SizeAfter (pg_total_relation_size, bytes), DeadTuplesBefore and DeadTuplesAfter; Report results also carry BloatBytes, BloatRatio and BloatReliable. Progress is shown. Each table and operation asks ShouldProcess, so -WhatIf lists the statements without running them.
'@
    Parameters  = @{
        Table            = @{ Description = 'The tables, as table or schema.table (SQL name syntax: quote mixed-case names). Accepts pipeline input, by value or by the Table property.'; Default = 'maintenance.tables from the config' }
        Operation        = @{ Description = 'Analyze, Reindex, Vacuum and/or Report. They run in that order whatever the order given.'; Default = 'Analyze, Reindex, Vacuum, Report' }
        IncludeSystemSchema = 'Allows tables in pg_catalog, information_schema and pg_toast. Without it such a table is refused with DbSystemSchemaRefused and the rest goes on.'
        NoConcurrently   = 'Uses REINDEX TABLE instead of REINDEX TABLE CONCURRENTLY. Faster, but blocks writes to the table while it runs.'
        LockTimeout      = @{ Description = 'How long a statement may wait for a lock before giving up (lock_timeout). Overrides maintenance.lockTimeoutSeconds.'; Default = 'maintenance.lockTimeoutSeconds (10 s)' }
        StatementTimeout = @{ Description = 'How long one statement may run (statement_timeout); zero means no limit. Overrides maintenance.statementTimeoutSeconds.'; Default = 'maintenance.statementTimeoutSeconds (1 hour)' }
        Environment   = @{ Description = "The environment in ops.yaml whose postgres section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Postgres.DbMaintenanceResult' = 'One per table and operation.' }
    Examples    = @(
        @{
            Title   = 'See what the monthly maintenance would run'
            Code    = 'Invoke-DbMaintenance -WhatIf'
            Remarks = 'Lists every statement for the configured tables without running any.'
        }
        @{
            Title   = 'Vacuum one table and compare dead tuples'
            Code    = 'Invoke-DbMaintenance -Table search_history -Operation Vacuum -Confirm:$false | Format-Table Table, Operation, Status, DeadTuplesBefore, DeadTuplesAfter'
            Remarks = 'Runs VACUUM (ANALYZE) on search_history.'
        }
        @{
            Title   = 'Maintain every table with many dead tuples'
            Code    = 'Get-OpsDbTable -MinDeadTuples 1000 | Invoke-DbMaintenance -Operation Vacuum -Confirm:$false'
            Remarks = 'Tables come from the pipeline by their Table property.'
        }
        @{
            Title   = 'The full monthly run, then the bloat report'
            Code    = "Invoke-DbMaintenance -Confirm:`$false`nGet-OpsDbTable | Where-Object DeadTuples -gt 1000`nGet-OpsDbBloat -MinBloatRatio 30"
            Remarks = 'Maintains the configured tables, then lists tables that still have many dead tuples and indexes or tables over 30% bloat.'
            Run     = $false
            Why     = 'REINDEX of every configured table rewrites the shared sandbox indexes; the tests run it on a scratch database instead.'
        }
    )
    Notes       = 'Config keys: maintenance.tables, maintenance.lockTimeoutSeconds, maintenance.statementTimeoutSeconds, maintenance.reindexConcurrently.'
    Links       = @('Get-OpsDbTable', 'Get-OpsDbBloat', 'Get-OpsDbConnection')
}
