BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Db = 'opsrb_t_unusual'
    $script:Cfg = New-OpsScratchDatabase -Name $script:Db
    # User 1: 101 uploads over the last 5 days (flagged at the default 100). User 2: exactly 100 (not flagged).
    # User 3: 501 searches today (flagged at 500). User 4: 600 searches 3 days ago (outside the window).
    $null = Invoke-OpsSandboxSql -Database $script:Db -Sql @'
INSERT INTO users (id, email) VALUES (1, 'uploader@t.test'), (2, 'edge@t.test'), (3, 'searcher@t.test'), (4, 'old@t.test');
INSERT INTO media_items (user_id, file_name, file_size, mime_type, created_at)
  SELECT 1, 'f' || g, 10, 'image/png', now() - (g % 5) * interval '1 day' FROM generate_series(1, 101) g;
INSERT INTO media_items (user_id, file_name, file_size, mime_type, created_at)
  SELECT 2, 'f' || g, 10, 'image/png', now() FROM generate_series(1, 100) g;
INSERT INTO search_history (user_id, query, created_at) SELECT 3, 'q', now() FROM generate_series(1, 501);
INSERT INTO search_history (user_id, query, created_at) SELECT 4, 'q', now() - interval '3 days' FROM generate_series(1, 600);
'@
}

AfterAll { Remove-OpsScratchDatabase -Name $script:Db }

Describe 'Get-OpsUnusualActivity' {
    It "flags users over the runbook's thresholds (100 uploads in 7 days, 500 searches)" {
        $u = @(Get-OpsUnusualActivity -ConfigPath $script:Cfg)
        $u | Should -HaveCount 2
        $up = $u | Where-Object Kind -eq 'Uploads'
        $up.UserId | Should -Be 1
        $up.Email | Should -Be 'uploader@t.test'
        $up.Count | Should -Be 101
        $up.Threshold | Should -Be 100
        $s = $u | Where-Object Kind -eq 'Searches'
        $s.UserId | Should -Be 3
        $s.Count | Should -Be 501
        $s.Threshold | Should -Be 500
    }

    It 'takes thresholds as parameters' {
        $u = @(Get-OpsUnusualActivity -ConfigPath $script:Cfg -UploadThreshold 99 -SearchThreshold 1000)
        ($u | Where-Object Kind -eq 'Uploads').UserId | Sort-Object | Should -Be @(1, 2)
        $u | Where-Object Kind -eq 'Searches' | Should -BeNullOrEmpty
    }

    It 'pipes flagged users into Get-OpsUserActivitySummary' {
        $s = @(Get-OpsUnusualActivity -ConfigPath $script:Cfg | Get-OpsUserActivitySummary -ConfigPath $script:Cfg)
        $s.Email | Sort-Object | Should -Be @('searcher@t.test', 'uploader@t.test')
    }
}
