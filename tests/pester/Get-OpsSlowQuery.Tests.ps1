BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Db = 'opsrb_t_slow'
    $script:Cfg = New-OpsScratchDatabase -Name $script:Db
    $null = Invoke-OpsSandboxSql -Database $script:Db -Sql 'CREATE FUNCTION ops_slow_probe() RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM pg_sleep(0.15) $$'
    1..3 | ForEach-Object { $null = Invoke-OpsSandboxSql -Database $script:Db -Sql 'SELECT ops_slow_probe()' }
    $null = Invoke-OpsSandboxSql -Database $script:Db -Sql 'SELECT 1 AS ops_fast_probe'
    $script:NoExt = 'opsrb_t_slow_noext'
    $script:NoExtCfg = New-OpsScratchDatabase -Name $script:NoExt -NoSchema
}

AfterAll {
    Remove-OpsScratchDatabase -Name $script:Db
    Remove-OpsScratchDatabase -Name $script:NoExt
}

Describe 'Get-OpsSlowQuery' {
    It 'catches a slow query from pg_stat_statements' {
        $q = @(Get-OpsSlowQuery -ConfigPath $script:Cfg)
        $probe = $q | Where-Object Query -match 'ops_slow_probe'
        $probe | Should -HaveCount 1
        $probe.Calls | Should -Be 3
        $probe.MeanTimeMs | Should -BeGreaterThan 140
        $probe.TotalTimeMs | Should -BeGreaterThan 420
        $probe.User | Should -Be 'postgres'
        $probe.Database | Should -Be $script:Db
        $q.Query | Should -Not -Match 'ops_fast_probe'
        $q | ForEach-Object { $_.Database | Should -Be $script:Db }
    }

    It 'honours -MinMeanTimeMs and -Top' {
        @(Get-OpsSlowQuery -ConfigPath $script:Cfg -MinMeanTimeMs 1000) | Where-Object Query -match 'ops_slow_probe' | Should -BeNullOrEmpty
        @(Get-OpsSlowQuery -ConfigPath $script:Cfg -MinMeanTimeMs 0 -Top 1) | Should -HaveCount 1
        @(Get-OpsSlowQuery -ConfigPath $script:Cfg -MinMeanTimeMs 100 -Top 10000 -AllDatabases).Query | Should -Contain (@(Get-OpsSlowQuery -ConfigPath $script:Cfg | Where-Object Query -match 'ops_slow_probe').Query)
    }

    It 'says how to fix it when the extension is not installed' {
        $err = $null
        try { Get-OpsSlowQuery -ConfigPath $script:NoExtCfg -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PgStatStatementsNotInstalled,OpsRunbook.Commands.GetOpsSlowQueryCommand'
        $err.ErrorDetails.RecommendedAction | Should -Match 'CREATE EXTENSION pg_stat_statements'
        $err.CategoryInfo.Category | Should -Be 'NotInstalled'
    }

    It 'says how to fix it when the library is not preloaded (own PostgreSQL without shared_preload_libraries)' {
        $pg = Start-OpsTestPostgres -MaxConnections 10
        try {
            $null = Invoke-OpsPsql -Socket $pg.Socket -Port $pg.Port -Database app -Sql 'CREATE EXTENSION pg_stat_statements'
            $cfg = New-OpsTestConfig -Name nopreload.yaml "environments:`n  production:`n    postgres: { host: 127.0.0.1, port: $($pg.Port), database: app, username: ops }`n"
            $err = $null
            try { Get-OpsSlowQuery -ConfigPath $cfg -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'PgStatStatementsNotPreloaded,OpsRunbook.Commands.GetOpsSlowQueryCommand'
            $err.ErrorDetails.RecommendedAction | Should -Match "shared_preload_libraries = 'pg_stat_statements'"
            $err.ErrorDetails.RecommendedAction | Should -Match 'restart'
            # Not installed and not preloaded: both fixes are named.
            $null = Invoke-OpsPsql -Socket $pg.Socket -Port $pg.Port -Database app -Sql 'DROP EXTENSION pg_stat_statements'
            try { Get-OpsSlowQuery -ConfigPath $cfg -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'PgStatStatementsNotInstalled,*'
            $err.ErrorDetails.RecommendedAction | Should -Match 'CREATE EXTENSION.*shared_preload_libraries'
        }
        finally { Stop-OpsTestPostgres $pg }
    }
}
