BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    function script:New-Result([string] $Check, [string] $Target, [string] $Status, [string] $Message = 'm') {
        $r = [OpsRunbook.Core.Health.HealthCheckResult]::new()
        $r.Environment = 'production'; $r.Check = $Check; $r.Target = $Target; $r.Status = $Status; $r.Message = $Message
        $r
    }
}

Describe 'Assert-OpsHealthy' {
    It 'passes healthy results silently, and on with -PassThru' {
        $in = @((New-Result Disk / Healthy), (New-Result Redis r Warning))
        $in | Assert-OpsHealthy | Should -BeNullOrEmpty
        $out = $in | Assert-OpsHealthy -PassThru
        $out.Count | Should -Be 2
        [object]::ReferenceEquals($out[0], $in[0]) | Should -BeTrue
    }

    It 'throws OpsHealthCritical with a one-line summary when anything is Critical' {
        $in = @((New-Result Disk / Healthy), (New-Result Service api Critical 'GET http://x/api/health -> 503 (expected status 2xx/3xx).'),
            (New-Result Queue backlog Warning '1200 waiting'), (New-Result Database app/latency Critical "Cannot reach`nPostgreSQL."))
        $err = $null
        try { $in | Assert-OpsHealthy -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'OpsHealthCritical,OpsRunbook.Commands.AssertOpsHealthyCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidResult'
        $msg = $err.Exception.Message
        $msg | Should -Not -Match "`n"
        $msg | Should -BeLike 'Health check failed in production: 2 Critical of 4 results. Critical Service/api: GET http://x/api/health -> 503*; Critical Database/app/latency: Cannot reach PostgreSQL.'
        $err.Exception.Results.Count | Should -Be 2
        $err.TargetObject.Count | Should -Be 2
    }

    It 'fails on warnings with -FailOn Warning, with id OpsHealthWarning' {
        { New-Result Queue backlog Warning | Assert-OpsHealthy -FailOn Warning } | Should -Throw -ErrorId 'OpsHealthWarning,OpsRunbook.Commands.AssertOpsHealthyCommand'
        { New-Result Errors api Unknown | Assert-OpsHealthy -FailOn Warning } | Should -Not -Throw
        { New-Result Errors api Unknown | Assert-OpsHealthy -FailOn Unknown } | Should -Throw -ErrorId 'OpsHealthUnknown,OpsRunbook.Commands.AssertOpsHealthyCommand'
    }

    It 'treats no input as a failure (OpsHealthNoResults)' {
        { @() | Assert-OpsHealthy } | Should -Throw -ErrorId 'OpsHealthNoResults,OpsRunbook.Commands.AssertOpsHealthyCommand'
    }

    It 'passes results through before it fails, so they can be logged' {
        $seen = [System.Collections.Generic.List[object]]::new()
        try { @((New-Result Disk / Healthy), (New-Result Disk /data Critical)) | Assert-OpsHealthy -PassThru | ForEach-Object { $seen.Add($_) } } catch { }
        $seen.Count | Should -Be 2
    }

    It 'carries the Nagios exit code on its exception (2 Critical, 1 Warning, 3 Unknown and no results)' {
        foreach ($case in @(@{ S = 'Critical'; Code = 2; FailOn = 'Critical' }, @{ S = 'Warning'; Code = 1; FailOn = 'Warning' }, @{ S = 'Unknown'; Code = 3; FailOn = 'Unknown' })) {
            $e = $null
            try { New-Result Disk / $case.S | Assert-OpsHealthy -FailOn $case.FailOn } catch { $e = $_ }
            $e.Exception.ExitCode | Should -Be $case.Code
        }
        try { @() | Assert-OpsHealthy } catch { $_.Exception.ExitCode | Should -Be 3 }
    }

    It '-Exit ends a scheduled pwsh with one plain line and the exit code; finally blocks run' {
        $bad = New-OpsTestConfig -Name 'bad-exit.yaml' -Text "defaultEnvironment: t`nenvironments:`n  t:`n    services:`n      - { name: gone, kind: tcp, address: '127.0.0.1:1' }`n"
        $r = Invoke-OpsChildPwsh -Script "try { Get-OpsHealth -ConfigPath '$bad' | Assert-OpsHealthy -Exit; 'not reached' } finally { 'cleanup ran' }" -Environment @{ NO_COLOR = $null }
        $r.ExitCode | Should -Be 2
        $r.StdErr | Should -BeNullOrEmpty
        $lines = @($r.StdOut -split "`r?`n" | Where-Object { $_ })
        $lines.Count | Should -Be 2 -Because $r.StdOut
        $lines[0] | Should -Match '^CRITICAL Health check failed in t: 1 Critical of 1 results\. Critical Service/gone: Cannot connect to 127\.0\.0\.1:1'
        $lines[1] | Should -Be 'cleanup ran'
        $ok = Invoke-OpsChildPwsh -Script 'Get-OpsHealth | Assert-OpsHealthy -Exit; "still running"'
        $ok.ExitCode | Should -Be 0
        $ok.StdOut.Trim() | Should -Be 'still running'
    }

    It 'writes no escape sequences into redirected output, even without NO_COLOR' {
        $bad = New-OpsTestConfig -Name 'bad-plain.yaml' -Text "defaultEnvironment: t`nenvironments:`n  t:`n    services:`n      - { name: gone, kind: tcp, address: '127.0.0.1:1' }`n"
        $r = Invoke-OpsChildPwsh -Script "Get-OpsHealth -ConfigPath '$bad' | Format-Table | Out-Host; Get-OpsHealth -ConfigPath '$bad' | Assert-OpsHealthy" -Environment @{ NO_COLOR = $null }
        $r.ExitCode | Should -Not -Be 0
        ($r.StdOut + $r.StdErr) | Should -Match 'Health check failed in t'
        ($r.StdOut + $r.StdErr) | Should -Not -Match "`e\["
    }

    It 'makes a scheduled pwsh exit non-zero on Critical, and zero when healthy' {
        Assert-OpsSandbox
        $bad = New-OpsTestConfig -Name 'bad.yaml' -Text "defaultEnvironment: t`nenvironments:`n  t:`n    services:`n      - { name: gone, kind: tcp, address: '127.0.0.1:1' }`n"
        $r = Invoke-OpsChildPwsh -Script "Get-OpsHealth -ConfigPath '$bad' | Assert-OpsHealthy"
        $r.ExitCode | Should -Not -Be 0
        $text = ($r.StdErr + $r.StdOut) -replace '\s*\|\s*', ' ' -replace '\s+', ' '
        $text | Should -Match 'Health check failed in t: 1 Critical of 1 results\. Critical Service/gone: Cannot connect to 127\.0\.0\.1:1'
        $ok = Invoke-OpsChildPwsh -Script 'Get-OpsHealth | Assert-OpsHealthy; "exit-ok"'
        $ok.ExitCode | Should -Be 0 -Because $ok.StdErr
        $ok.StdOut | Should -Match 'exit-ok'
    }
}

Describe 'examples/runbooks/DailyHealthCheck.ps1' {
    BeforeAll { $script:Example = Join-Path (Get-OpsRepoRoot) 'examples/runbooks/DailyHealthCheck.ps1' }

    It 'runs against the sandbox: writes the log and a promtool-valid .prom, exits 0' {
        Assert-OpsSandbox
        $dir = Join-Path $TestDrive 'daily'; $null = New-Item -ItemType Directory $dir
        $r = Invoke-OpsChildPwsh -WorkingDirectory $dir -Script "& '$script:Example' -ModulePath '$(Get-OpsModulePath)' -LogDirectory ./logs -PrometheusPath ./health.prom; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        $log = Get-ChildItem (Join-Path $dir 'logs') -Filter 'health-check-*.log'
        $text = Get-Content $log.FullName -Raw
        $text | Should -Match 'Starting Daily Health Check'
        $text | Should -Match 'Healthy +Database'
        $text | Should -Match 'Health check complete: \d+ Healthy'
        $check = Get-Content (Join-Path $dir 'health.prom') -Raw | & promtool check metrics 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($check -join "`n")
    }

    It 'follows the Nagios exit codes: 2 and a logged next step when something is Critical, 3 when the config is broken' {
        $dir = Join-Path $TestDrive 'daily-bad'; $null = New-Item -ItemType Directory $dir
        $bad = New-OpsTestConfig -Directory $dir -Text "defaultEnvironment: t`nenvironments:`n  t:`n    services:`n      - { name: gone, kind: tcp, address: '127.0.0.1:1' }`n"
        $r = Invoke-OpsChildPwsh -WorkingDirectory $dir -Script "& '$script:Example' -ModulePath '$(Get-OpsModulePath)' -ConfigPath '$bad' -LogDirectory ./logs -PrometheusPath ./h.prom; exit `$LASTEXITCODE" -Environment @{ NO_COLOR = $null }
        $r.ExitCode | Should -Be 2 -Because "Critical is 2 (Nagios CRITICAL): $($r.StdOut)"
        $logText = Get-Content (Get-ChildItem (Join-Path $dir 'logs')).FullName -Raw
        $logText | Should -Match 'CRITICAL Service/gone: Cannot connect to 127\.0\.0\.1:1'
        $logText | Should -Match 'next step: Complete Service Outage: is gone running'
        Test-Path (Join-Path $dir 'h.prom') | Should -BeTrue
        # Not a terminal: one plain line per event, no escape sequences.
        $r.StdOut | Should -Not -Match "`e\["
        @($r.StdOut -split "`n" | Where-Object { $_ -match 'CRITICAL Service/gone' }).Count | Should -Be 1
        $broken = New-OpsTestConfig -Directory $dir -Name 'broken.yaml' -Text "environments: [ nope"
        $r = Invoke-OpsChildPwsh -WorkingDirectory $dir -Script "& '$script:Example' -ModulePath '$(Get-OpsModulePath)' -ConfigPath '$broken' -LogDirectory ./logs; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 3 -Because 'a broken config is Unknown (3)'
        $r.StdOut | Should -Match 'UNKNOWN the health check could not run \[ConfigSyntaxError'
    }

    It '-Plugin prints one status line with perfdata that a Nagios perfdata parser reads back exactly' {
        $dir = Join-Path $TestDrive 'plugin'; $null = New-Item -ItemType Directory $dir
        $r = Invoke-OpsChildPwsh -WorkingDirectory $dir -Script "& '$script:Example' -ModulePath '$(Get-OpsModulePath)' -Plugin; exit `$LASTEXITCODE"
        $lines = @($r.StdOut -split "`r?`n" | Where-Object { $_ })
        $lines.Count | Should -Be 1 -Because "a plugin prints one line: $($r.StdOut)$($r.StdErr)"
        @(Get-ChildItem $dir).Count | Should -Be 0 -Because '-Plugin writes no files unless asked'
        # As Nagios does: the text before the first '|' is the status, the rest the perfdata; the exit code is the state.
        $text, $perf = $lines[0] -split '\|', 2
        $text | Should -Match '^OPSRUNBOOK (OK|WARNING|CRITICAL|UNKNOWN) - \d+ critical, \d+ warning, \d+ unknown of \d+ checks'
        $state = @{ OK = 0; WARNING = 1; CRITICAL = 2; UNKNOWN = 3 }[($text -split ' ')[1]]
        $r.ExitCode | Should -Be $state
        $r.ExitCode | Should -Be 0 -Because 'the sandbox is healthy'
        # The oracle: Monitoring::Plugin::Performance (the Perl library Nagios plugins are built with) parses the perfdata.
        $parsed = $perf.Trim() | & perl -MMonitoring::Plugin::Performance -e '
            my $s = do { local $/; <STDIN> };
            for my $p (Monitoring::Plugin::Performance->parse_perfstring($s)) {
                printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", $p->label, $p->value, $p->uom // "", ($p->threshold->warning->is_set ? $p->threshold->warning->end : ""),
                    ($p->threshold->critical->is_set ? $p->threshold->critical->end : ""), $p->min // "", $p->max // "";
            }'
        $LASTEXITCODE | Should -Be 0
        $rows = @($parsed | ConvertFrom-Csv -Delimiter "`t" -Header Label, Value, Uom, Warn, Crit, Min, Max)
        $items = @($perf.Trim() -split ' ')
        $rows.Count | Should -Be $items.Count -Because "every perfdata item parses: $perf"
        $rows.Count | Should -BeGreaterThan 10
        $byLabel = @{}; foreach ($row in $rows) { $byLabel[$row.Label] = $row }
        $byLabel['database_app/latency_ms'].Uom | Should -Be 'ms'
        $byLabel['database_app/latency_ms'].Warn | Should -Be '1000' -Because 'thresholds.latencyWarnMs'
        $byLabel['database_app/connections_pct'].Uom | Should -Be '%'
        $byLabel['database_app/connections_pct'].Crit | Should -Be '95'
        $byLabel['database_app/connections_pct'].Max | Should -Be '100'
        $byLabel['backup_s'].Uom | Should -Be 's'
        $byLabel['backup_s'].Crit | Should -Be '93600' -Because 'backup.maximumAge 26h in seconds'
        $byLabel['errors'].Warn | Should -Be '100'
        foreach ($row in $rows) { [double]$row.Value | Should -BeGreaterOrEqual 0 }
    }
}
