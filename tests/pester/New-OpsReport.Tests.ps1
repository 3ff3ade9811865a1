BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    # The screenshots the README shows live in docs/; a test run refreshes them only when asked
    # (OPSRUNBOOK_UPDATE_DOCS=1), so that running the tests leaves the clone clean.
    $script:Docs = if ($env:OPSRUNBOOK_UPDATE_DOCS -eq '1') { Join-Path (Get-OpsRepoRoot) 'docs' } else { Join-Path $TestDrive 'docs' }
    function Invoke-Chromium([string] $Html, [string] $Png) {
        # Headless Chromium (Debian package) loads the page: the DOM it built and its console messages come back.
        $profile = Join-Path $TestDrive "chromium-$(Get-Random)"
        $common = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', "--user-data-dir=$profile",
            '--enable-logging=stderr', '--v=0', '--hide-scrollbars', '--window-size=1100,1400')
        $err = Join-Path $TestDrive 'chromium.err'
        $dom = & timeout 120 chromium @common '--dump-dom' "file://$Html" 2> $err
        $dumpExit = $LASTEXITCODE
        $log = Get-Content $err -Raw
        if ($Png) { & timeout 120 chromium @common "--screenshot=$Png" "file://$Html" 2>> $err | Out-Null }
        [pscustomobject]@{ ExitCode = $dumpExit; Dom = ($dom -join "`n"); Log = $log; Console = @(($log -split "`n") | Where-Object { $_ -match 'CONSOLE|Refused to|ERR_' }) }
    }
    function Measure-Svg([string] $Dom) {
        [pscustomobject]@{
            Bars   = ([regex]::Matches($Dom, '<rect class="bar')).Count
            Points = ([regex]::Matches($Dom, '<circle class="point"')).Count
            Svgs   = ([regex]::Matches($Dom, '<svg ')).Count
        }
    }
}

Describe 'New-OpsReport' {
    It 'Kpi: one HTML file that Chromium renders without console errors, one bar per KPI with a budget' {
        $path = Join-Path $TestDrive 'kpi.html'
        $f = New-OpsReport -Kind Kpi -Path $path -Since 2m
        $f.FullName | Should -Be $path
        $kpis = @(Get-OpsKpi -Since 2m)
        $html = Get-Content $path -Raw
        $html | Should -Not -Match '<script|<link |<img |(src|href)\s*='
        $null = New-Item -ItemType Directory -Force $script:Docs
        $r = Invoke-Chromium $path (Join-Path $script:Docs 'report-kpi.png')
        $r.ExitCode | Should -Be 0 -Because $r.Log
        $r.Console | Should -BeNullOrEmpty
        (Measure-Svg $r.Dom).Bars | Should -Be @($kpis | Where-Object { $null -ne $_.ErrorBudgetRemaining }).Count
        $r.Dom | Should -Match '<td>Uptime</td>'
        (Join-Path $script:Docs 'report-kpi.png') | Should -Exist
    }

    It 'WeeklyPerformance: p95 bars per endpoint, requests per hour as a line, slow queries, tables and Redis' {
        $path = Join-Path $TestDrive 'weekly.html'
        New-OpsReport -Kind WeeklyPerformance -Path $path | Out-Null
        $endpoints = @(Get-OpsApiMetric -Prometheus (Get-OpsConfig).Prometheus.Url -Range 7d | Where-Object { $null -ne $_.P95Ms })
        $hours = @(Measure-OpsAccessLog -GroupBy Hour -Since 7d -ErrorAction SilentlyContinue | Where-Object Requests -gt 0)
        $r = Invoke-Chromium $path (Join-Path $script:Docs 'report-weekly.png')
        $r.ExitCode | Should -Be 0 -Because $r.Log
        $r.Console | Should -BeNullOrEmpty
        $svg = Measure-Svg $r.Dom
        $svg.Bars | Should -Be $endpoints.Count
        $svg.Points | Should -Be $hours.Count
        $r.Dom | Should -Match 'Slowest queries'
        $r.Dom | Should -Match 'Largest tables'
        $r.Dom | Should -Match 'Hit ratio'
    }

    It 'Markdown: the same tables for a ticket or a wiki' {
        $path = Join-Path $TestDrive 'kpi.md'
        New-OpsReport -Kind Kpi -Path $path -Since 2m | Out-Null
        $md = Get-Content $path -Raw
        $md | Should -Match '\| KPI \| Value \| Target \| Status \| Budget left \| Burn rate \| Source \|'
        $md | Should -Match '\| ErrorRate \|'
        $md | Should -Not -Match '<svg'
    }

    It 'MonthlyCost: cost per service and per tier as bars, and cost per active user against the target, as Get-OpsCostReport gives them' {
        $path = Join-Path $TestDrive 'cost.html'
        New-OpsReport -Kind MonthlyCost -Path $path | Out-Null
        $month = [DateTime]::UtcNow.AddMonths(-1).ToString('yyyy-MM')
        $services = @(Get-OpsCostReport -Month $month -By Service)
        $tiers = @(Get-OpsCostReport -Month $month -By Tier)
        $services.Count | Should -BeGreaterThan 1 -Because 'the sandbox seeds cost_tracking rows for last month'
        $tiers.Count | Should -BeGreaterThan 1
        $null = New-Item -ItemType Directory -Force $script:Docs
        $r = Invoke-Chromium $path (Join-Path $script:Docs 'report-monthly-cost.png')
        $r.ExitCode | Should -Be 0 -Because $r.Log
        $r.Console | Should -BeNullOrEmpty
        # services + tiers + (all users + one per tier)
        (Measure-Svg $r.Dom).Bars | Should -Be ($services.Count + $tiers.Count + 1 + $tiers.Count)
        (Measure-Svg $r.Dom).Svgs | Should -Be 3
        $total = ($services | Measure-Object TotalCost -Sum).Sum
        $perUser = [Math]::Round($total / $services[0].ActiveUsers, 6)
        $r.Dom | Should -Match ([regex]::Escape('$' + $perUser.ToString('0.00##', [cultureinfo]::InvariantCulture)))
        foreach ($s in $services) { $r.Dom | Should -Match ('<td>' + [regex]::Escape($s.Service) + '</td>') }
        ([regex]::Matches($r.Dom, '<line [^>]*class="target"')).Count | Should -Be 1 -Because 'the cost-per-user chart draws kpi.costPerUser as a dashed target line'
        (Join-Path $script:Docs 'report-monthly-cost.png') | Should -Exist
    }

    It 'MonthlyCost names what is missing when cost_tracking is empty for the month; -WhatIf writes nothing; an existing file needs -Force' {
        $path = Join-Path $TestDrive 'cost-none.html'
        New-OpsReport -Kind MonthlyCost -Path $path -Until '2001-02-15' -WhatIf
        Test-Path $path | Should -BeFalse
        New-OpsReport -Kind MonthlyCost -Path $path -Until '2001-02-15' | Out-Null
        Get-Content $path -Raw | Should -Match 'Unknown: Get-OpsCostReport -Month 2001-01: no cost_tracking rows'
        { New-OpsReport -Kind MonthlyCost -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'ReportFileExists*'
    }
}

Describe 'WeeklyPerformanceReview.ps1 and MonthlyCostReview.ps1' {
    It 'write their pages and follow the exit-code contract' {
        $out = Join-Path $TestDrive 'reviews'; $null = New-Item -ItemType Directory $out
        $r = Invoke-OpsChildPwsh -WorkingDirectory $out -Script "& '$(Join-Path (Get-OpsRepoRoot) 'examples/runbooks/WeeklyPerformanceReview.ps1')' -OutputDirectory '$out'; exit `$LASTEXITCODE" -TimeoutSeconds 300
        $r.ExitCode | Should -BeIn @(0, 1) -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match 'kpi ErrorRate: Missed'
        $r.ExitCode | Should -Be 1 -Because 'the stand-in API answers 2 in 192 requests with a 5xx: the 0.1% error-rate KPI is missed'
        @(Get-ChildItem $out -Filter 'weekly-performance-*.html').Count | Should -Be 1
        @(Get-ChildItem $out -Filter 'kpi-*.html').Count | Should -Be 1
        $c = Invoke-OpsChildPwsh -WorkingDirectory $out -Script "& '$(Join-Path (Get-OpsRepoRoot) 'examples/runbooks/MonthlyCostReview.ps1')' -OutputDirectory '$out' -Markdown; exit `$LASTEXITCODE" -TimeoutSeconds 300
        $c.ExitCode | Should -Be 0 -Because "$($c.StdOut)$($c.StdErr)"
        $md = Get-Content (Get-ChildItem $out -Filter 'monthly-cost-*.md').FullName -Raw
        $md | Should -Match '\| Service \| API calls \| Total \| Average per call \| Share \|'
        $md | Should -Match '\| Active users \| Total \| Cost per active user \| Target \| Status \|'
    }
}
