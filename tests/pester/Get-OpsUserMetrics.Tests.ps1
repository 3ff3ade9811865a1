BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Db = 'opsrb_t_metrics'
    $script:Cfg = New-OpsScratchDatabase -Name $script:Db
    # Today: 3 signups, activity by users 1 and 2 (3 rows), 4 uploads of 1 MiB, 5 searches.
    # Three days ago: 2 signups, activity by user 3, 2 uploads, 1 search.
    $null = Invoke-OpsSandboxSql -Database $script:Db -Sql @'
INSERT INTO users (id, email, created_at) VALUES
  (1, 'a@t.test', CURRENT_DATE + time '00:00:01'), (2, 'b@t.test', now()), (3, 'c@t.test', now()),
  (4, 'd@t.test', CURRENT_DATE - 3), (5, 'e@t.test', CURRENT_DATE - 3 + time '12:00');
INSERT INTO user_activity (user_id, action, created_at) VALUES
  (1, 'login', now()), (1, 'upload', now()), (2, 'search', CURRENT_DATE), (3, 'login', CURRENT_DATE - 3), (4, 'login', CURRENT_DATE - 1 + time '23:59:59');
INSERT INTO media_items (user_id, file_name, file_size, mime_type, created_at)
  SELECT 1, 'f' || g, 1048576, 'image/png', now() FROM generate_series(1, 4) g;
INSERT INTO media_items (user_id, file_name, file_size, mime_type, created_at)
  SELECT 2, 'old' || g, 5, 'image/png', CURRENT_DATE - 3 FROM generate_series(1, 2) g;
INSERT INTO search_history (user_id, query, created_at) SELECT 2, 'q', now() FROM generate_series(1, 5);
INSERT INTO search_history (user_id, query, created_at) VALUES (3, 'old', CURRENT_DATE - 3);
'@
    $script:Today = [datetime](Invoke-OpsSandboxSql -Database $script:Db -Sql "SELECT to_char(CURRENT_DATE, 'YYYY-MM-DD')")
}

AfterAll { Remove-OpsScratchDatabase -Name $script:Db }

Describe 'Get-OpsUserMetrics' {
    It "returns today's DAU, signups, uploads, MB uploaded and searches" {
        $m = Get-OpsUserMetrics -ConfigPath $script:Cfg
        $m.Date | Should -Be ([DateOnly]::FromDateTime($script:Today))
        $m.Database | Should -Be $script:Db
        $m.DailyActiveUsers | Should -Be 2
        $m.NewSignups | Should -Be 3
        $m.Uploads | Should -Be 4
        $m.UploadedBytes | Should -Be 4194304
        $m.UploadedMB | Should -Be 4
        $m.Searches | Should -Be 5
    }

    It 'reports another day with -Date, and days from the pipeline' {
        $m = Get-OpsUserMetrics -ConfigPath $script:Cfg -Date $script:Today.AddDays(-3)
        $m.DailyActiveUsers | Should -Be 1
        $m.NewSignups | Should -Be 2
        $m.Uploads | Should -Be 2
        $m.UploadedBytes | Should -Be 10
        $m.Searches | Should -Be 1
        $days = @($script:Today, $script:Today.AddDays(-1)) | Get-OpsUserMetrics -ConfigPath $script:Cfg
        $days | Should -HaveCount 2
        $days[1].DailyActiveUsers | Should -Be 1
        $days[1].Uploads | Should -Be 0
    }
}
