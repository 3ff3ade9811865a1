BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Db = 'opsrb_t_tables'
    $script:Cfg = New-OpsScratchDatabase -Name $script:Db
    $null = Invoke-OpsSandboxSql -Database $script:Db -Sql @'
ALTER TABLE search_history SET (autovacuum_enabled = false);
INSERT INTO users (email) SELECT 'u' || g || '@t.test' FROM generate_series(1, 10) g;
INSERT INTO search_history (user_id, query) SELECT 1 + g % 10, 'query ' || g FROM generate_series(1, 6000) g;
DELETE FROM search_history WHERE id <= 3000;
'@
    Start-Sleep -Milliseconds 1200
}

AfterAll { Remove-OpsScratchDatabase -Name $script:Db }

Describe 'Get-OpsDbTable' {
    It 'lists every table with sizes in bytes, tuples and dead ratio' {
        $t = @(Get-OpsDbTable -ConfigPath $script:Cfg)
        $t.Name | Should -Contain 'media_items'
        $t.Name | Should -Contain 'search_history'
        $s = $t | Where-Object Name -eq 'search_history'
        $s.Table | Should -Be 'public.search_history'
        $s.Schema | Should -Be 'public'
        $s.Database | Should -Be $script:Db
        $s.SizeBytes | Should -BeGreaterThan 0
        $s.SizeBytes | Should -BeGreaterOrEqual ($s.TableBytes + $s.IndexBytes)
        $s.LiveTuples | Should -Be 3000
        $s.DeadTuples | Should -Be 3000
        $s.DeadRatio | Should -Be 1
        foreach ($p in 'LastVacuum', 'LastAutovacuum', 'LastAnalyze', 'LastAutoanalyze') { $s.PSObject.Properties.Name | Should -Contain $p }
        $t[0].SizeBytes | Should -BeGreaterOrEqual $t[-1].SizeBytes
    }

    It 'filters by name wildcard and dead tuples' {
        (Get-OpsDbTable -ConfigPath $script:Cfg -Name 'search*').Name | Should -Be 'search_history'
        (Get-OpsDbTable -ConfigPath $script:Cfg -MinDeadTuples 1000).Name | Should -Be 'search_history'
        @(Get-OpsDbTable -ConfigPath $script:Cfg -Schema nope) | Should -HaveCount 0
    }

    It 'shows friendly sizes in the default view and keeps bytes for CSV' {
        $text = Get-OpsDbTable -ConfigPath $script:Cfg -Name search_history | Out-String
        $text | Should -Match '\d+(\.\d)? (KiB|MiB)'
        $csv = Join-Path $TestDrive 't.csv'
        Get-OpsDbTable -ConfigPath $script:Cfg -Name search_history | Export-Csv $csv -NoTypeInformation
        (Import-Csv $csv).SizeBytes | Should -Match '^\d+$'
    }

    It 'fails clearly without a postgres section' {
        $path = New-OpsTestConfig "environments:`n  production:`n    redis: { configuration: '127.0.0.1:1' }`n"
        { Get-OpsDbTable -ConfigPath $path -ErrorAction Stop } | Should -Throw -ErrorId 'ConfigSectionMissing,OpsRunbook.Commands.GetOpsDbTableCommand'
    }
}
