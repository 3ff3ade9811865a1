BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Db = 'opsrb_t_cost'
    $script:Cfg = New-OpsScratchDatabase -Name $script:Db
    # October 2026: openai 0.01 + 0.02 + 0.03 (users 1-3), stripe 0.5 (user 1), aws-s3 0.000001 (user 4); active users 1-5.
    # Rows in September and November must not count; user 6 is active in November only.
    $null = Invoke-OpsSandboxSql -Database $script:Db -Sql @'
INSERT INTO users (id, email, subscription_tier) VALUES (1, 'a@t.test', 'free'), (2, 'b@t.test', 'pro'), (3, 'c@t.test', 'pro'), (4, 'd@t.test', 'enterprise'), (5, 'e@t.test', 'free'), (6, 'f@t.test', 'free');
INSERT INTO cost_tracking (service, cost, user_id, created_at) VALUES
  ('openai', 0.010000, 1, '2026-10-01 00:00:00+00'), ('openai', 0.020000, 2, '2026-10-15 12:00:00+00'), ('openai', 0.030000, 3, '2026-10-31 23:59:59+00'),
  ('stripe', 0.500000, 1, '2026-10-20 08:00:00+00'), ('aws-s3', 0.000001, 4, '2026-10-02 00:00:00+00'),
  ('openai', 9.000000, 1, '2026-11-01 00:00:00+00'), ('stripe', 7.000000, 2, '2026-09-30 23:59:59+00');
INSERT INTO user_activity (user_id, action, created_at) VALUES
  (1, 'login', '2026-10-03'), (1, 'login', '2026-10-04'), (2, 'view', '2026-10-05'), (3, 'search', '2026-10-06'), (4, 'upload', '2026-10-07'),
  (5, 'login', '2026-10-31 23:00:00+00'), (6, 'login', '2026-11-02');
'@
    $null = Invoke-OpsSandboxSql -Database $script:Db -Sql "ALTER DATABASE $($script:Db) SET timezone TO 'UTC'"
}
AfterAll { Remove-OpsScratchDatabase -Name $script:Db }

Describe 'Get-OpsCostReport' {
    It 'returns cost by service for the month, money as decimal, largest first, with the cost per active user' {
        $r = @(Get-OpsCostReport -ConfigPath $script:Cfg -Month 2026-10)
        ($r.Service -join ',') | Should -Be 'stripe,openai,aws-s3'
        $r[0] | Should -BeOfType ([OpsRunbook.Core.Payments.ServiceCost])
        $r[0].TotalCost.GetType() | Should -Be ([decimal])
        $r[1].ApiCalls | Should -Be 3
        $r[1].TotalCost | Should -Be 0.06d
        $r[1].AvgCost | Should -Be 0.02d
        $r[2].TotalCost | Should -Be 0.000001d
        $r[0].ActiveUsers | Should -Be 5
        $r[0].CostPerActiveUser | Should -Be 0.1d
        $r[1].CostPerActiveUser | Should -Be 0.012d
        ($r | Measure-Object CostPerActiveUser -Sum).Sum | Should -Be 0.112
        $r.Month | Sort-Object -Unique | Should -Be '2026-10'
    }

    It 'returns cost by tier: users, total, average per user and per call' {
        $r = @(Get-OpsCostReport -ConfigPath $script:Cfg -Month 2026-10 -By Tier)
        ($r.Tier -join ',') | Should -Be 'free,pro,enterprise'
        $r[0].Users | Should -Be 1
        $r[0].TotalCost | Should -Be 0.51d
        $r[0].AvgCostPerUser | Should -Be 0.51d
        $r[0].AvgCost | Should -Be 0.255d
        $r[1].Users | Should -Be 2
        $r[1].AvgCostPerUser | Should -Be 0.025d
        $r[1].ApiCalls | Should -Be 2
    }

    It "agrees with the runbook's own two queries, run by psql on the same month" {
        $bounded = { param($sql) $sql -replace "DATE_TRUNC\('month', CURRENT_DATE - INTERVAL '1 month'\)", "DATE '2026-10-01' AND ct.created_at < DATE '2026-11-01'" }
        $svc = Invoke-OpsSandboxSql -Database $script:Db -Sql (& $bounded @"
SELECT service, COUNT(*) as api_calls, SUM(cost) as total_cost, AVG(cost) as avg_cost
FROM cost_tracking ct WHERE created_at >= DATE_TRUNC('month', CURRENT_DATE - INTERVAL '1 month') GROUP BY service ORDER BY total_cost DESC;
"@)
        $mine = Get-OpsCostReport -ConfigPath $script:Cfg -Month 2026-10
        for ($i = 0; $i -lt $svc.Count; $i++) {
            $f = $svc[$i] -split '\|'
            $mine[$i].Service | Should -Be $f[0]
            $mine[$i].ApiCalls | Should -Be ([long]$f[1])
            $mine[$i].TotalCost | Should -Be ([decimal]::Parse($f[2], [cultureinfo]::InvariantCulture))
            $mine[$i].AvgCost | Should -Be ([decimal]::Round([decimal]::Parse($f[3], [cultureinfo]::InvariantCulture), 6))
        }
        $tier = Invoke-OpsSandboxSql -Database $script:Db -Sql (& $bounded @"
SELECT u.subscription_tier, COUNT(DISTINCT ct.user_id) as users, SUM(ct.cost) as total_cost
FROM cost_tracking ct JOIN users u ON ct.user_id = u.id WHERE ct.created_at >= DATE_TRUNC('month', CURRENT_DATE - INTERVAL '1 month') GROUP BY u.subscription_tier ORDER BY 3 DESC;
"@)
        $mineT = Get-OpsCostReport -ConfigPath $script:Cfg -Month 2026-10 -By Tier
        ($mineT | ForEach-Object { "$($_.Tier)|$($_.Users)|$($_.TotalCost.ToString([cultureinfo]::InvariantCulture))" }) -join ';' |
            Should -Be (($tier | ForEach-Object { $f = $_ -split '\|'; "$($f[0])|$($f[1])|$(([decimal]::Parse($f[2], [cultureinfo]::InvariantCulture)).ToString([cultureinfo]::InvariantCulture))" }) -join ';')
    }

    It 'returns cost by user, largest first' {
        $r = @(Get-OpsCostReport -ConfigPath $script:Cfg -Month 2026-10 -By User)
        $r[0].UserId | Should -Be 1
        $r[0].Email | Should -Be 'a@t.test'
        $r[0].TotalCost | Should -Be 0.51d
        $r.Count | Should -Be 4
    }

    It 'defaults to last month on the database server and refuses a month that does not exist' {
        $last = Invoke-OpsSandboxSql -Database $script:Db -Sql "SELECT to_char(CURRENT_DATE - INTERVAL '1 month', 'YYYY-MM')"
        $r = @(Get-OpsCostReport -ConfigPath $script:Cfg)
        if ($r) { $r[0].Month | Should -Be $last }
        @(Get-OpsCostReport -ConfigPath $script:Cfg -Month 2025-01).Count | Should -Be 0
        { Get-OpsCostReport -ConfigPath $script:Cfg -Month 2026-13 -ErrorAction Stop } | Should -Throw -ErrorId 'CostMonthInvalid,OpsRunbook.Commands.GetOpsCostReportCommand'
        { Get-OpsCostReport -ConfigPath $script:Cfg -Month 'November' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OpsRunbook.Commands.GetOpsCostReportCommand'
    }
}

Describe 'examples/runbooks/MonthlyCostExport.ps1' {
    BeforeAll {
        # The sandbox config (AWS stand-in) with the scratch database's postgres line.
        $pgLine = (Get-Content $script:Cfg | Where-Object { $_ -match '^\s+postgres:' })
        $text = ((Get-OpsSandboxConfigText) -split "`n" | ForEach-Object { if ($_ -match '^    postgres:' -and -not $script:done) { $script:done = $true; $pgLine } else { $_ } }) -join "`n"
        $script:ReviewCfg = New-OpsTestConfig -Name review.yaml -Text $text
        $script:Runbook = Join-Path (Get-OpsRepoRoot) 'examples/runbooks/MonthlyCostExport.ps1'
    }

    It 'writes the Markdown report and CSVs, and exits 1 when the cost per active user is over $0.10' {
        $out = Join-Path $TestDrive 'review1'
        $r = Invoke-OpsChildPwsh -Script "& '$script:Runbook' -Month 2026-10 -ConfigPath '$script:ReviewCfg' -OutputDirectory '$out'; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 1 -Because ($r.StdOut + $r.StdErr)
        $r.StdOut | Should -Match 'platform \$0\.56, 5 active users, \$0\.1120 per active user \(OVER TARGET\)'
        $md = Get-Content (Join-Path $out 'cost-review-2026-10.md') -Raw
        $md | Should -Match '\| Platform cost_tracking \| \$0\.56 \|'
        $md | Should -Match '\*\*over target\*\*'
        $md | Should -Match '\| Amazon Simple Storage Service \| \$'
        $svc = Import-Csv (Join-Path $out 'cost-review-2026-10-services.csv')
        ($svc | Where-Object Service -eq 'openai').TotalCost | Should -Be '0.060000'
        @(Import-Csv (Join-Path $out 'cost-review-2026-10-aws.csv')).Count | Should -Be 8
        @(Import-Csv (Join-Path $out 'cost-review-2026-10-tiers.csv')).Count | Should -Be 3
    }

    It 'exits 0 on target once more users are active' {
        $null = Invoke-OpsSandboxSql -Database $script:Db -Sql "INSERT INTO users (id, email) SELECT g, 'x' || g || '@t.test' FROM generate_series(100, 109) g; INSERT INTO user_activity (user_id, action, created_at) SELECT g, 'login', '2026-10-10' FROM generate_series(100, 109) g;"
        $out = Join-Path $TestDrive 'review2'
        $r = Invoke-OpsChildPwsh -Script "& '$script:Runbook' -Month 2026-10 -ConfigPath '$script:ReviewCfg' -OutputDirectory '$out' -SkipAws; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 0 -Because ($r.StdOut + $r.StdErr)
        $r.StdOut | Should -Match '15 active users, \$0\.0373 per active user \(on target\)'
    }

    It 'still writes what it could read, and exits 2, when Cost Explorer refuses' {
        $out = Join-Path $TestDrive 'review3'
        $r = Invoke-OpsChildPwsh -Script "& '$script:Runbook' -Month 2026-10 -ConfigPath '$script:ReviewCfg' -OutputDirectory '$out'; exit `$LASTEXITCODE" -Environment @{ AWS_SECRET_ACCESS_KEY = 'wrong-secret' }
        $r.ExitCode | Should -Be 2 -Because ($r.StdOut + $r.StdErr)
        $r.StdOut | Should -Match 'NOT READ: AWS Cost Explorer \[AwsCostExplorerError\]'
        Get-Content (Join-Path $out 'cost-review-2026-10.md') -Raw | Should -Match 'Unavailable: AWS Cost Explorer'
    }
}
