@{
    Synopsis    = 'Lists user tables with their size, live and dead tuples, dead ratio and last vacuum and analyze times.'
    Description = @'
Get-OpsDbTable reads pg_stat_user_tables for the configured database, largest first: SizeBytes (pg_total_relation_size: table, indexes and TOAST), TableBytes, IndexBytes, LiveTuples, DeadTuples, DeadRatio (dead / live, as in the runbook's bloat check), LastVacuum, LastAutovacuum, LastAnalyze and LastAutoanalyze. The default view shows friendly sizes; the objects keep bytes for Export-Csv.

Its Table property (schema.name) binds to Invoke-DbMaintenance -Table through the pipeline.
'@
    Parameters  = @{
        Name          = 'Table names to return; wildcards allowed. Matched against the table name and against schema.name.'
        Schema        = 'Only tables in these schemas.'
        MinDeadTuples = @{ Description = 'Only tables with at least this many dead tuples (the runbook uses 1000).'; Default = '0' }
        Environment   = @{ Description = "The environment in ops.yaml whose postgres section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Postgres.DbTableInfo' = 'One per table.' }
    Examples    = @(
        @{ Title = 'The table sizes report'; Code = 'Get-OpsDbTable'; Remarks = 'Every user table, largest first.' }
        @{ Title = "The runbook's bloat check"; Code = 'Get-OpsDbTable -MinDeadTuples 1000 | Sort-Object DeadRatio -Descending'; Remarks = 'Tables with more than 1000 dead tuples, worst first.' }
        @{ Title = 'Export raw sizes'; Code = 'Get-OpsDbTable media_items, search_history | Export-Csv -Path ./tables.csv -NoTypeInformation'; Remarks = 'The CSV holds sizes in bytes.' }
    )
    Links       = @('Invoke-DbMaintenance', 'Get-OpsDbBloat')
}
