BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Db = 'opsrb_t_views'
    $script:Cfg = New-OpsScratchDatabase -Name $script:Db
    $null = Invoke-OpsSandboxSql -Database $script:Db -Sql @'
INSERT INTO users (id, email, subscription_tier) VALUES (1, 'a@t.test', 'pro'), (2, 'b@t.test', 'free');
INSERT INTO media_items (user_id, file_name, file_size, mime_type, processing_status) VALUES
  (1, 'p1', 1, 'image/png', 'pending'), (1, 'p2', 1, 'image/png', 'processing'), (1, 'c', 1, 'image/png', 'completed');
INSERT INTO search_history (user_id, query, created_at) VALUES (2, 'now', now()), (2, 'old', now() - interval '10 minutes');
'@
}

AfterAll { Remove-OpsScratchDatabase -Name $script:Db }

Describe 'Get-OpsActiveOperation' {
    It 'returns the active_operations view' {
        $a = @(Get-OpsActiveOperation -ConfigPath $script:Cfg)
        $a | Should -HaveCount 2
        ($a | Where-Object Operation -eq 'upload').Count | Should -Be 2
        ($a | Where-Object Operation -eq 'search').Count | Should -Be 1
    }

    It 'fails clearly when the view does not exist' {
        $null = Invoke-OpsSandboxSql -Database $script:Db -Sql 'ALTER VIEW active_operations RENAME TO active_operations_gone'
        try {
            { Get-OpsActiveOperation -ConfigPath $script:Cfg -ErrorAction Stop } | Should -Throw -ErrorId 'DbError,OpsRunbook.Commands.GetOpsActiveOperationCommand'
        }
        finally { $null = Invoke-OpsSandboxSql -Database $script:Db -Sql 'ALTER VIEW active_operations_gone RENAME TO active_operations' }
    }
}

Describe 'Get-OpsUserActivitySummary' {
    It 'returns the user_activity_summary view, busiest first' {
        $s = @(Get-OpsUserActivitySummary -ConfigPath $script:Cfg)
        $s | Should -HaveCount 2
        $s[0].Email | Should -Be 'a@t.test'
        $s[0].SubscriptionTier | Should -Be 'pro'
        $s[0].MediaCount | Should -Be 3
        $s[0].SearchCount | Should -Be 0
        $s[0].LastUpload | Should -BeOfType [DateTimeOffset]
        $s[0].LastSearch | Should -BeNullOrEmpty
        $s[1].SearchCount | Should -Be 2
    }

    It 'filters by -Email and -Top' {
        (Get-OpsUserActivitySummary -ConfigPath $script:Cfg -Email b@t.test).SearchCount | Should -Be 2
        @(Get-OpsUserActivitySummary -ConfigPath $script:Cfg -Top 1).Email | Should -Be 'a@t.test'
    }
}
