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

    It 'exits 1 and logs the failure when something is Critical; 2 when the config is broken' {
        $dir = Join-Path $TestDrive 'daily-bad'; $null = New-Item -ItemType Directory $dir
        $bad = New-OpsTestConfig -Directory $dir -Text "defaultEnvironment: t`nenvironments:`n  t:`n    services:`n      - { name: gone, kind: tcp, address: '127.0.0.1:1' }`n"
        $r = Invoke-OpsChildPwsh -WorkingDirectory $dir -Script "& '$script:Example' -ModulePath '$(Get-OpsModulePath)' -ConfigPath '$bad' -LogDirectory ./logs -PrometheusPath ./h.prom; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 1
        (Get-Content (Get-ChildItem (Join-Path $dir 'logs')).FullName -Raw) | Should -Match 'FAILED Health check failed in t: 1 Critical'
        Test-Path (Join-Path $dir 'h.prom') | Should -BeTrue
        $broken = New-OpsTestConfig -Directory $dir -Name 'broken.yaml' -Text "environments: [ nope"
        $r = Invoke-OpsChildPwsh -WorkingDirectory $dir -Script "& '$script:Example' -ModulePath '$(Get-OpsModulePath)' -ConfigPath '$broken' -LogDirectory ./logs; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 2
    }
}
