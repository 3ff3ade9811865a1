@{
    Synopsis    = 'Estimates table and btree index bloat from planner statistics, the way ioguix/pgsql-bloat-estimation does.'
    Description = @'
Get-OpsDbBloat estimates how much of each table and btree index is bloat, from pg_class and pg_stats, without reading the relations (the method and arithmetic of ioguix/pgsql-bloat-estimation). For each it returns RealSizeBytes, ExtraBytes and ExtraRatio (beyond the estimated minimum), FillFactor, BloatBytes and BloatRatio (beyond what the rows need at that fillfactor, in percent), largest bloat first.

IsReliable is false, and Reason says why, when the estimate may be more than 5 percentage points off what pgstattuple measures: the relation was never analyzed, some columns have no statistics, a column has type name, more than 10% of the rows changed since the last ANALYZE, the relation has fewer than 8 pages, alignment padding between columns (a fixed-width column after a variable-width one) may exceed 5% of the table, or the table has TOAST data. Run ANALYZE (Invoke-DbMaintenance -Operation Analyze) and look again, or measure with -Exact.

-Exact measures instead of estimating: pgstattuple_approx for tables (heap and TOAST) and pgstatindex for btree indexes. It needs the pgstattuple extension in the database (CREATE EXTENSION pgstattuple, as a superuser; without it the cmdlet stops with PgstattupleNotInstalled) and reads the relations, so it is slower. Method says which way each row was obtained: Estimate, PgstattupleApprox or Pgstatindex.
'@
    Parameters  = @{
        Table         = 'Only these tables (wildcards allowed, name or schema.name); index estimates are filtered by their table.'
        Kind          = @{ Description = 'Table, Index, or both.'; Default = 'Table, Index' }
        Schema        = 'Only these schemas.'
        MinBloatRatio = @{ Description = 'Only estimates with at least this bloat percentage.'; Default = '0' }
        Exact         = 'Measure with the pgstattuple extension (pgstattuple_approx for tables, pgstatindex for btree indexes) instead of estimating from statistics.'
        Environment   = @{ Description = "The environment in ops.yaml whose postgres section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Postgres.DbBloatEstimate' = 'One per table or btree index.' }
    Examples    = @(
        @{ Title = 'Bloat report'; Code = 'Get-OpsDbBloat'; Remarks = 'Tables and indexes, most bloat first.' }
        @{ Title = 'Trustworthy index bloat over 30%'; Code = 'Get-OpsDbBloat -Kind Index -MinBloatRatio 30 | Where-Object IsReliable'; Remarks = 'Candidates for REINDEX.' }
    )
    Links       = @('Get-OpsDbTable', 'Invoke-DbMaintenance')
}
