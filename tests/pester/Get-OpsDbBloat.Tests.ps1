BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Db = 'opsrb_t_bloat'
    $script:Cfg = New-OpsScratchDatabase -Name $script:Db -NoSchema
    # bloated: 50,000 rows, 90% deleted, then a plain VACUUM: the pages stay allocated (bloat).
    # tight: the same rows, never deleted. named: a column of type name. unanalyzed: no statistics at all.
    $null = Invoke-OpsSandboxSql -Database $script:Db -Sql @'
CREATE TABLE bloated (id int PRIMARY KEY, payload text) WITH (autovacuum_enabled = false);
INSERT INTO bloated SELECT g, repeat('x', 100) FROM generate_series(1, 50000) g;
DELETE FROM bloated WHERE id % 10 <> 0;
CREATE TABLE tight (id int PRIMARY KEY, payload text) WITH (autovacuum_enabled = false);
INSERT INTO tight SELECT g, repeat('x', 100) FROM generate_series(1, 50000) g;
CREATE TABLE named (id int, label name) WITH (autovacuum_enabled = false);
INSERT INTO named SELECT g, 'n' || g FROM generate_series(1, 2000) g;
CREATE TABLE unanalyzed (id int) WITH (autovacuum_enabled = false);
INSERT INTO unanalyzed SELECT generate_series(1, 2000);
'@
    $null = Invoke-OpsSandboxSql -Database $script:Db -Sql 'VACUUM bloated'
    $null = Invoke-OpsSandboxSql -Database $script:Db -Sql 'ANALYZE bloated; ANALYZE tight; ANALYZE named;'
}

AfterAll { Remove-OpsScratchDatabase -Name $script:Db }

Describe 'Get-OpsDbBloat' {
    It 'estimates table bloat: high for the bloated table, low for the tight one' {
        $b = @(Get-OpsDbBloat -ConfigPath $script:Cfg -Kind Table)
        $bloated = $b | Where-Object Table -eq 'bloated'
        $tight = $b | Where-Object Table -eq 'tight'
        $bloated.Kind | Should -Be 'Table'
        $bloated.RealSizeBytes | Should -BeGreaterThan 5MB
        $bloated.BloatRatio | Should -BeGreaterThan 80
        $bloated.BloatBytes | Should -BeGreaterThan 4MB
        $bloated.IsReliable | Should -BeTrue
        $bloated.FillFactor | Should -Be 100
        $tight.BloatRatio | Should -BeLessThan 15
        $tight.IsReliable | Should -BeTrue
        $b[0].BloatBytes | Should -BeGreaterOrEqual $b[-1].BloatBytes
    }

    It 'estimates btree index bloat' {
        $i = Get-OpsDbBloat -ConfigPath $script:Cfg -Kind Index -Table bloated
        $i.Index | Should -Be 'bloated_pkey'
        $i.Kind | Should -Be 'Index'
        $i.FillFactor | Should -Be 90
        $i.BloatRatio | Should -BeGreaterThan 50
        (Get-OpsDbBloat -ConfigPath $script:Cfg -Kind Index -Table tight).BloatRatio | Should -BeLessThan 20
    }

    It 'flags estimates that cannot be trusted' {
        $b = @(Get-OpsDbBloat -ConfigPath $script:Cfg -Kind Table)
        $named = $b | Where-Object Table -eq 'named'
        $named.IsReliable | Should -BeFalse
        $named.Reason | Should -Match 'type name'
        $un = $b | Where-Object Table -eq 'unanalyzed'
        $un.IsReliable | Should -BeFalse
        $un.Reason | Should -Match 'ANALYZE'
    }

    It 'filters by ratio and shows friendly sizes' {
        (Get-OpsDbBloat -ConfigPath $script:Cfg -Kind Table -MinBloatRatio 50).Table | Should -Contain 'bloated'
        (Get-OpsDbBloat -ConfigPath $script:Cfg -Kind Table -MinBloatRatio 50).Table | Should -Not -Contain 'tight'
        Get-OpsDbBloat -ConfigPath $script:Cfg -Table bloated | Out-String | Should -Match 'MiB'
    }
}
