BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Db = 'opsrb_t_maint'
    $script:Cfg = New-OpsScratchDatabase -Name $script:Db -Maintenance '{ tables: [media_items, embeddings, search_history], lockTimeoutSeconds: 2, statementTimeoutSeconds: 600 }'
    function script:Sql([string] $Sql) { Invoke-OpsSandboxSql -Database $script:Db -Sql $Sql }
    # Data, with autovacuum off on the tables so that only Invoke-DbMaintenance removes dead tuples.
    $null = Sql @'
ALTER TABLE media_items SET (autovacuum_enabled = false);
ALTER TABLE search_history SET (autovacuum_enabled = false);
ALTER TABLE embeddings SET (autovacuum_enabled = false);
INSERT INTO users (email) SELECT 'u' || g || '@t.test' FROM generate_series(1, 20) g;
INSERT INTO media_items (user_id, file_name, file_size, mime_type) SELECT 1 + g % 20, 'f' || g, 1000, 'image/png' FROM generate_series(1, 20000) g;
INSERT INTO search_history (user_id, query) SELECT 1 + g % 20, 'q' || g FROM generate_series(1, 5000) g;
CREATE TABLE canary (id int);
CREATE TABLE "we""ird; DROP TABLE canary" (id int PRIMARY KEY);
INSERT INTO "we""ird; DROP TABLE canary" SELECT generate_series(1, 100);
'@
}

AfterAll { Remove-OpsScratchDatabase -Name $script:Db }

Describe 'Invoke-DbMaintenance' {
    It '-WhatIf runs nothing' {
        $before = Sql "SELECT pg_relation_filenode('media_items_pkey') || '/' || coalesce(pg_stat_get_last_vacuum_time('media_items'::regclass)::text, '-') || '/' || coalesce(pg_stat_get_last_analyze_time('media_items'::regclass)::text, '-')"
        $out = Invoke-DbMaintenance -ConfigPath $script:Cfg -WhatIf
        $out | Should -BeNullOrEmpty
        Start-Sleep -Milliseconds 200
        Sql "SELECT pg_relation_filenode('media_items_pkey') || '/' || coalesce(pg_stat_get_last_vacuum_time('media_items'::regclass)::text, '-') || '/' || coalesce(pg_stat_get_last_analyze_time('media_items'::regclass)::text, '-')" | Should -Be $before
    }

    It 'reports bloat and dead tuples alone with -Operation Report, changing nothing' {
        $before = Sql "SELECT coalesce(pg_stat_get_last_vacuum_time('media_items'::regclass)::text, '-') || '/' || coalesce(pg_stat_get_last_analyze_time('media_items'::regclass)::text, '-')"
        $r = @(Invoke-DbMaintenance -ConfigPath $script:Cfg -Table media_items -Operation Report)
        $r | Should -HaveCount 1
        $r[0].Operation | Should -Be 'Report'
        $r[0].Status | Should -Be 'Succeeded'
        $r[0].SizeAfter | Should -Be ([long](Sql "SELECT pg_total_relation_size('media_items')"))
        $r[0].BloatRatio | Should -Not -BeNullOrEmpty
        Sql "SELECT coalesce(pg_stat_get_last_vacuum_time('media_items'::regclass)::text, '-') || '/' || coalesce(pg_stat_get_last_analyze_time('media_items'::regclass)::text, '-')" | Should -Be $before
    }

    It 'removes dead tuples: DeadTuplesAfter is below DeadTuplesBefore' {
        $null = Sql 'UPDATE media_items SET processing_status = ''completed'' WHERE id % 2 = 0; DELETE FROM media_items WHERE id % 10 = 1;'
        Start-Sleep -Milliseconds 1500   # the psql session has ended, so its statistics are flushed
        [long](Sql "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'media_items'") | Should -BeGreaterThan 10000
        $r = Invoke-DbMaintenance -ConfigPath $script:Cfg -Table media_items -Operation Vacuum -Confirm:$false
        $r | Should -HaveCount 1
        $r.Status | Should -Be 'Succeeded'
        $r.Operation | Should -Be 'Vacuum'
        $r.Table | Should -Be 'public.media_items'
        $r.DeadTuplesBefore | Should -BeGreaterThan 10000
        $r.DeadTuplesAfter | Should -BeLessThan $r.DeadTuplesBefore
        $r.DeadTuplesAfter | Should -Be 0
        $r.SizeBefore | Should -BeGreaterThan 0
        $r.Duration | Should -BeOfType [timespan]
    }

    It 'runs ANALYZE, REINDEX CONCURRENTLY and VACUUM (ANALYZE) on the configured tables' {
        $filenode = Sql "SELECT pg_relation_filenode('media_items_pkey')"
        $r = @(Invoke-DbMaintenance -ConfigPath $script:Cfg -Confirm:$false)
        $r | Should -HaveCount 12
        ($r.Table | Select-Object -Unique) | Should -Be @('public.media_items', 'public.embeddings', 'public.search_history')
        ($r | Where-Object Table -eq 'public.media_items').Operation | Should -Be @('Analyze', 'Reindex', 'Vacuum', 'Report')
        foreach ($report in $r | Where-Object Operation -eq 'Report') {
            $report.SizeAfter | Should -BeGreaterThan 0
            $report.DeadTuplesAfter | Should -Be 0 -Because 'VACUUM just ran'
            $report.BloatBytes | Should -Not -BeNullOrEmpty -Because "$($report.Table) is analyzed, so it has a bloat estimate"
            $report.BloatReliable | Should -Not -BeNullOrEmpty
        }
        $r.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        ($r | Where-Object Operation -eq 'Reindex')[0].Statement | Should -BeLike 'REINDEX TABLE CONCURRENTLY "public"."media_items"'
        Sql "SELECT pg_relation_filenode('media_items_pkey')" | Should -Not -Be $filenode
        Sql "SELECT last_analyze IS NOT NULL AND last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'search_history'" | Should -Be 't'
    }

    It 'takes tables from the pipeline (Get-OpsDbTable) and -NoConcurrently uses plain REINDEX' {
        $r = @(Get-OpsDbTable -ConfigPath $script:Cfg -Name search_history | Invoke-DbMaintenance -ConfigPath $script:Cfg -Operation Reindex -NoConcurrently -Confirm:$false)
        $r | Should -HaveCount 1
        $r.Statement | Should -Be 'REINDEX TABLE "public"."search_history"'
        @('users', 'public.embeddings' | Invoke-DbMaintenance -ConfigPath $script:Cfg -Operation Analyze -Confirm:$false).Table | Should -Be @('public.users', 'public.embeddings')
    }

    It 'treats hostile table names as missing tables: an error each, and nothing runs' {
        $hostile = @(
            'x; DROP TABLE canary', 'canary; DROP TABLE canary', 'canary"; DROP TABLE canary; --', "canary'; DROP TABLE canary; --",
            '"canary"; DROP TABLE canary', "' OR 1=1 --", 'pg_sleep(5)', '$(Remove-Item /)', "canary`0; DROP TABLE canary", 'public.canary DROP', ''' ''', 'a.b.c.d'
        )
        $calls = Sql "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query ILIKE '%DROP%'"
        $errors = $null
        $r = Invoke-DbMaintenance -ConfigPath $script:Cfg -Table $hostile -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $errors | Should -HaveCount $hostile.Count
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'DbTableNotFound,OpsRunbook.Commands.InvokeDbMaintenanceCommand' }
        Sql "SELECT count(*) FROM pg_class WHERE relname = 'canary'" | Should -Be 1
        Sql "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query ILIKE '%DROP%'" | Should -Be $calls
    }

    It 'quotes a real table whose name looks like an injection, and the canary survives' {
        $r = Invoke-DbMaintenance -ConfigPath $script:Cfg -Table '"we""ird; DROP TABLE canary"' -Confirm:$false
        $r | Should -HaveCount 4
        $r.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        $r[3].Operation | Should -Be 'Report'
        $r[1].Statement | Should -Be 'REINDEX TABLE CONCURRENTLY "public"."we""ird; DROP TABLE canary"'
        Sql "SELECT count(*) FROM pg_class WHERE relname = 'canary'" | Should -Be 1
    }

    It 'reports a missing table and goes on with the rest; -ErrorAction Stop stops' {
        $errors = $null
        $r = @(Invoke-DbMaintenance -ConfigPath $script:Cfg -Table no_such_table, search_history -Operation Analyze -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue)
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DbTableNotFound,*'
        $errors[0].TargetObject | Should -Be 'no_such_table'
        $r.Table | Should -Be 'public.search_history'
        { Invoke-DbMaintenance -ConfigPath $script:Cfg -Table no_such_table, search_history -Operation Analyze -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'DbTableNotFound,OpsRunbook.Commands.InvokeDbMaintenanceCommand'
    }

    It 'gives up after lock_timeout instead of queuing behind a lock' {
        $holder = New-OpsNpgsqlConnection -Port (Get-OpsSandbox).Ports.Postgres -Database $script:Db -User ops -Password $env:DB_PASSWORD
        try {
            $null = Invoke-OpsNpgsql $holder 'BEGIN; LOCK TABLE search_history IN ACCESS EXCLUSIVE MODE; SELECT 1'
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $errors = $null
            $r = Invoke-DbMaintenance -ConfigPath $script:Cfg -Table search_history -Operation Vacuum -LockTimeout 00:00:01 -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 10
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'DbMaintenanceLockTimeout,*'
            $r.Status | Should -Be 'Failed'
        }
        finally { $holder.Dispose() }
    }

    It 'cancels the running statement on the server when stopped (Ctrl+C)' {
        $holder = New-OpsNpgsqlConnection -Port (Get-OpsSandbox).Ports.Postgres -Database $script:Db -User ops -Password $env:DB_PASSWORD
        $ps = [powershell]::Create()
        try {
            $null = Invoke-OpsNpgsql $holder 'BEGIN; LOCK TABLE embeddings IN ACCESS EXCLUSIVE MODE; SELECT 1'
            $null = $ps.AddScript("Import-Module '$(Get-OpsModulePath)'; Invoke-DbMaintenance -ConfigPath '$($script:Cfg)' -Table embeddings -Operation Vacuum -LockTimeout 0 -Confirm:`$false")
            $async = $ps.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddSeconds(20)
            do { Start-Sleep -Milliseconds 200; $waiting = @(Sql "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'OpsRunbook maintenance' AND wait_event_type = 'Lock'") }
            until ($waiting.Count -eq 1 -or [datetime]::UtcNow -gt $deadline)
            $waiting | Should -HaveCount 1 -Because 'the VACUUM waits for the lock the test holds'
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
            Start-Sleep -Milliseconds 300
            Sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'OpsRunbook maintenance'" | Should -Be '0'
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            # The server cancelled the statement itself (a cancel request), not just lost the connection.
            $log = Join-Path (Get-OpsSandbox).PgDir 'postgres.log'
            (Get-Content $log | Select-String -SimpleMatch "[$($waiting[0])] ERROR:  canceling statement due to user request") | Should -Not -BeNullOrEmpty
        }
        finally { $holder.Dispose(); $ps.Dispose() }
    }

    It 'shows progress' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Get-OpsModulePath)'; Invoke-DbMaintenance -ConfigPath '$($script:Cfg)' -Table users, search_history -Operation Analyze -Confirm:`$false")
            $out = $ps.Invoke()
            $out | Should -HaveCount 2
            $ps.Streams.Progress.Count | Should -BeGreaterThan 0
            $ps.Streams.Progress[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }

    It 'validates the maintenance config section' {
        $path = New-OpsTestConfig "environments:`n  production:`n    postgres: { host: h, database: d, username: u }`n    maintenance: { tables: [], lockTimeoutSeconds: -1 }`n"
        $problems = @(Test-OpsConfig -ConfigPath $path | Where-Object Severity -eq 'Error')
        $problems.Path | Should -Contain 'environments.production.maintenance.tables'
        $problems.Path | Should -Contain 'environments.production.maintenance.lockTimeoutSeconds'
    }
}
