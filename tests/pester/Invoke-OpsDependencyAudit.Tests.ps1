<#
    Invoke-OpsDependencyAudit: real npm (`npm audit --json`) on a fixture app (tests/pester/fixtures/npm-audit/app: a
    package.json and its lockfile), asking a registry stand-in (tests/sandbox/node/npm-registry-stub.mjs, sandbox port
    base+24) that serves the audit endpoint and packuments saved from registry.npmjs.org. The registry here answers the
    audit endpoint with 405, which is also tested (report-failed.json is npm's own output for it).
    The oracle is npm itself: report.json is what npm 11 printed for the same app and registry, and the live run must give
    the same rows.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $script:Fixtures = Join-Path $PSScriptRoot 'fixtures/npm-audit'
    $script:Report = Join-Path $script:Fixtures 'report.json'
    $script:Port = (Get-OpsSandbox).Ports.NpmRegistry
    $script:Registry = "http://127.0.0.1:$script:Port/"
    if (-not (Get-Command npm -ErrorAction Ignore)) { throw 'npm is not on PATH: these tests run the real npm audit. Install it with: dotnet pwsh ./build.ps1 Bootstrap' }

    function script:Start-Registry([string] $Mode = 'serve') {
        $stub = Start-Process node -ArgumentList @((Join-Path (Get-OpsRepoRoot) 'tests/sandbox/node/npm-registry-stub.mjs')) -PassThru `
            -Environment @{ PORT = $script:Port; DIR = (Join-Path $script:Fixtures 'registry'); MODE = $Mode } -RedirectStandardOutput (Join-Path $TestDrive "stub-$Mode.log")
        $until = [DateTime]::UtcNow.AddSeconds(20)
        while ([DateTime]::UtcNow -lt $until) {
            try { $c = [Net.Sockets.TcpClient]::new('127.0.0.1', $script:Port); $c.Dispose(); return $stub } catch { Start-Sleep -Milliseconds 100 }
        }
        $stub.Kill($true)
        throw "The npm registry stand-in did not listen on 127.0.0.1:$script:Port within 20 s (is the port taken?)."
    }
    function script:Stop-Registry($Stub) { if ($Stub -and -not $Stub.HasExited) { $Stub.Kill($true); $Stub.WaitForExit(5000) } }
    function script:New-App {
        $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        Copy-Item (Join-Path $script:Fixtures 'app') $dir -Recurse
        $dir
    }
    # The rows without Project, for comparing a live run with the saved report.
    function script:Rows($Advisories) { $Advisories | Select-Object * -ExcludeProperty Project | ConvertTo-Json -Depth 3 }
    # npm caches packuments; a cache of its own keeps the runs independent of each other and of the home directory.
    $script:NpmEnv = @{ npm_config_cache = (Join-Path $TestDrive 'npm-cache'); npm_config_update_notifier = 'false' }
}

Describe 'Invoke-OpsDependencyAudit' {
    It 'reads a saved npm audit report: one object per advisory, the fix as npm words it' {
        $a = @(Invoke-OpsDependencyAudit -ReportPath $script:Report)
        $a.Count | Should -Be 6
        $a[0] | Should -BeOfType ([OpsRunbook.Core.Security.DependencyAdvisory])
        $a.Package | Should -Be @('lodash', 'lodash', 'lodash', 'minimist', 'minimist', 'mkdirp')
        $a[0].Title | Should -Be 'Prototype Pollution in lodash'
        $a[0].Severity | Should -Be 'High'
        $a[0].Range | Should -Be '>=3.7.0 <4.17.19'
        $a[0].Id | Should -Be 'GHSA-p6mc-m468-83gw'
        $a[0].FixAvailable | Should -BeTrue
        $a[0].Fix | Should -Be 'npm audit fix'
        $a[0].Project | Should -Be $script:Report
        ($a | Where-Object Id -eq 'GHSA-xvch-5gv4-984h').Fix | Should -Be 'npm audit fix --force (installs minimist@1.2.8, breaking)'
        $a[5].Title | Should -Be 'Depends on vulnerable versions of minimist'
        @($a | Where-Object Severity -ge High).Count | Should -Be 4 -Because 'lodash has two High advisories, minimist one Critical, and mkdirp is Critical through minimist'
        @(Invoke-OpsDependencyAudit -ReportPath $script:Report -Severity Moderate).Title | Should -Be @('Regular Expression Denial of Service (ReDoS) in lodash', 'Prototype Pollution in minimist')
        @(Invoke-OpsDependencyAudit -ReportPath (Join-Path $script:Fixtures 'report-clean.json')).Count | Should -Be 0
    }

    It 'has a readable default view, CSV columns and a view for deserialized results' {
        $table = Invoke-OpsDependencyAudit -ReportPath $script:Report | Out-String -Width 220
        $table | Should -Match 'Project: .*report\.json'
        $table | Should -Match 'High\s+lodash\s+>=3\.7\.0 <4\.17\.19\s+Prototype Pollution in lodash\s+npm audit fix'
        $table | Should -Match 'Critical\s+mkdirp\s+0\.4\.1 - 0\.5\.1\s+Depends on vulnerable versions of minimist'
        $csv = Invoke-OpsDependencyAudit -ReportPath $script:Report | ConvertTo-Csv | ConvertFrom-Csv
        $csv[0].Package | Should -Be 'lodash'
        $csv[0].Severity | Should -Be 'High'
        $csv[0].Fix | Should -Be 'npm audit fix'
        $csv[0].Cwe | Should -Be 'CWE-770, CWE-1321'
        $xml = Join-Path $TestDrive 'a.xml'
        Invoke-OpsDependencyAudit -ReportPath $script:Report | Export-Clixml $xml
        (Import-Clixml $xml | Out-String -Width 220) | Should -Match 'Critical\s+minimist\s+<0\.2\.4\s+Prototype Pollution in minimist\s+npm audit fix --force'
    }

    It 'a saved report of a failed audit, or of something else, is DependencyAuditReportInvalid' {
        { Invoke-OpsDependencyAudit -ReportPath (Join-Path $script:Fixtures 'report-failed.json') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DependencyAuditReportInvalid,OpsRunbook.Commands.InvokeOpsDependencyAuditCommand'
        { Invoke-OpsDependencyAudit -ReportPath (Join-Path $PSScriptRoot 'fixtures/trivy/app-image.json') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DependencyAuditReportInvalid,OpsRunbook.Commands.InvokeOpsDependencyAuditCommand'
    }

    Context 'running npm audit' {
        BeforeAll {
            $script:Stub = Start-Registry
            foreach ($kv in $script:NpmEnv.GetEnumerator()) { Set-Item "env:$($kv.Key)" $kv.Value }
        }
        AfterAll {
            Stop-Registry $script:Stub
            foreach ($k in $script:NpmEnv.Keys) { Remove-Item "env:$k" -ErrorAction Ignore }
        }

        It 'gives the rows npm itself wrote for the same app; the registry was asked for the lockfile''s versions' {
            $app = New-App
            $live = @(Invoke-OpsDependencyAudit -Path $app -Registry $script:Registry -Verbose 4>(Join-Path $TestDrive 'verbose.txt'))
            $live.Count | Should -Be 6
            $live[0].Project | Should -Be $app
            Rows $live | Should -Be (Rows (Invoke-OpsDependencyAudit -ReportPath $script:Report))
            $calls = @(Invoke-RestMethod "$($script:Registry)_calls")
            $calls.Count | Should -Be 1
            $calls[0].lodash | Should -Be '4.17.15'
            $calls[0].minimist | Should -Be '0.0.8'
            $calls[0].mkdirp | Should -Be '0.5.1'
            Get-Content (Join-Path $TestDrive 'verbose.txt') -Raw | Should -Match 'audit --json \(in .*, registry http://127\.0\.0\.1'
            # -WhatIf runs nothing: the registry sees no second request.
            @(Invoke-OpsDependencyAudit -Path $app -Registry $script:Registry -WhatIf).Count | Should -Be 0
            @(Invoke-RestMethod "$($script:Registry)_calls").Count | Should -Be 1
        }

        It 'takes app directories from the pipeline, -ProductionOnly and -Severity' {
            $a, $b = (New-App), (New-App)
            $rows = @(Get-Item $a, $b | Invoke-OpsDependencyAudit -Registry $script:Registry -ProductionOnly -Severity Critical -Verbose 4>(Join-Path $TestDrive 'v2.txt'))
            # Per app: minimist's Critical advisory and mkdirp (Critical through minimist), in pipeline order.
            $rows.Project | Should -Be @($a, $a, $b, $b)
            $rows.Package | Should -Be @('minimist', 'mkdirp', 'minimist', 'mkdirp')
            @($rows.Severity | Sort-Object -Unique) | Should -Be @('Critical')
            Get-Content (Join-Path $TestDrive 'v2.txt') -Raw | Should -Match 'audit --json --omit=dev'
        }

        It 'a directory without a lockfile, without package.json, or missing is DependencyAuditNoLockfile' {
            $dir = Join-Path $TestDrive 'nolock'
            $null = New-Item -ItemType Directory $dir
            Set-Content (Join-Path $dir 'package.json') '{"name": "x", "version": "1.0.0", "dependencies": {"lodash": "4.17.15"}}'
            $e = { Invoke-OpsDependencyAudit -Path $dir -Registry $script:Registry -ErrorAction Stop } | Should -Throw -ErrorId 'DependencyAuditNoLockfile,OpsRunbook.Commands.InvokeOpsDependencyAuditCommand' -PassThru
            $e.ErrorDetails.RecommendedAction | Should -Match 'npm install --package-lock-only'
            Remove-Item (Join-Path $dir 'package.json')
            { Invoke-OpsDependencyAudit -Path $dir -ErrorAction Stop } | Should -Throw -ErrorId 'DependencyAuditNoLockfile,OpsRunbook.Commands.InvokeOpsDependencyAuditCommand'
            { Invoke-OpsDependencyAudit -Path (Join-Path $TestDrive 'missing') -ErrorAction Stop } | Should -Throw -ErrorId 'DependencyAuditNoLockfile,OpsRunbook.Commands.InvokeOpsDependencyAuditCommand'
        }
    }

    It 'a registry that refuses, or answers the audit request with an error, is DependencyAuditUnavailable with npm''s reason; credentials in the URL are not shown' {
        $app = New-App
        $closed = Get-OpsFreePort
        $r = Invoke-OpsChildPwsh -Environment $script:NpmEnv -Script @"
try { Invoke-OpsDependencyAudit -Path '$app' -Registry 'http://ci:s3cretpass@127.0.0.1:$closed/' -Verbose } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message; `$_.ErrorDetails.RecommendedAction }
"@
        $r.StdOut | Should -Match 'DependencyAuditUnavailable,OpsRunbook.Commands.InvokeOpsDependencyAuditCommand'
        $r.StdOut | Should -Match 'ECONNREFUSED'
        $r.StdOut | Should -Match '-ReportPath'
        "$($r.StdOut)$($r.StdErr)" | Should -Not -Match 's3cretpass'
        # A registry that answers 503, as a mirror without the audit endpoint answers 404 or 405.
        $stub = Start-Registry -Mode error
        try {
            { Invoke-OpsDependencyAudit -Path $app -Registry $script:Registry -ErrorAction Stop } |
                Should -Throw -ErrorId 'DependencyAuditUnavailable,OpsRunbook.Commands.InvokeOpsDependencyAuditCommand' -ExpectedMessage '*503 Service Unavailable*'
        }
        finally { Stop-Registry $stub }
    }

    It 'a registry that accepts and never answers costs -Timeout, then ProcessTimeout' {
        $app = New-App
        $stub = Start-Registry -Mode hang
        try {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $r = Invoke-OpsChildPwsh -Environment $script:NpmEnv -Script "try { Invoke-OpsDependencyAudit -Path '$app' -Registry '$script:Registry' -Timeout 4s } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 30 -Because 'the bound is 4 s, plus starting pwsh'
            $r.StdOut | Should -Match 'ProcessTimeout,OpsRunbook.Commands.InvokeOpsDependencyAuditCommand'
            $r.StdOut | Should -Match 'npm audit --json did not finish within 4 s'
        }
        finally { Stop-Registry $stub }
        # No npm process is left behind in the app directory.
        @(Get-Process node -ErrorAction Ignore | Where-Object { (Get-Item "/proc/$($_.Id)/cwd" -ErrorAction Ignore).Target -eq $app }).Count | Should -Be 0
    }

    It 'without npm on PATH it is NpmNotInstalled, saying how to install it or use -ReportPath' {
        $empty = Join-Path $TestDrive 'emptybin'
        $null = New-Item -ItemType Directory $empty -Force
        $r = Invoke-OpsChildPwsh -Environment @{ PATH = $empty } -Script "try { Invoke-OpsDependencyAudit -Path '$(New-App)' } catch { `$_.FullyQualifiedErrorId; `$_.ErrorDetails.RecommendedAction }"
        $r.StdOut | Should -Match 'NpmNotInstalled,OpsRunbook.Commands.InvokeOpsDependencyAuditCommand'
        $r.StdOut | Should -Match 'apt-get install npm'
        $r.StdOut | Should -Match '-ReportPath'
    }
}
