# Every runbook the schedule names that the backup and health tests do not already run, run end to end against the
# sandbox as cron would: LogRotation, UsageReport, CostTracking, CertificateCheck, MonthlyDbMaintenance.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Runbooks = Join-Path (Get-OpsRepoRoot) 'examples/runbooks'
    function script:Invoke-Runbook([string] $Name, [string] $Arguments) {
        Invoke-OpsChildPwsh -Script "& '$script:Runbooks/$Name' $Arguments; exit `$LASTEXITCODE" -TimeoutSeconds 300
    }
}

Describe 'Scheduled runbooks' {
    It 'every runbook of the default schedule is one of examples/runbooks' {
        foreach ($j in Get-OpsSchedule) { Join-Path $script:Runbooks $j.Command | Should -Exist }
    }

    It 'LogRotation.ps1 gzips yesterday''s logs, leaves today''s alone, expires old .gz; -WhatIf changes nothing' {
        $logs = Join-Path $TestDrive 'logs'; $null = New-Item -ItemType Directory $logs
        $content = (1..200 | ForEach-Object { "2026-12-01T10:00:00Z INFO line $_" }) -join "`n"
        Set-Content "$logs/api-old.log" $content; (Get-Item "$logs/api-old.log").LastWriteTimeUtc = [DateTime]::UtcNow.AddDays(-1).Date.AddHours(3)
        Set-Content "$logs/api-today.log" 'live'
        Set-Content "$logs/ancient.log.gz" 'x'; (Get-Item "$logs/ancient.log.gz").LastWriteTimeUtc = [DateTime]::UtcNow.AddDays(-30)
        $cfg = New-OpsTestConfig -Text ((Get-OpsSandboxConfigText) -replace "logs: \{ directory: '[^']*'", "logs: { directory: '$logs'")

        $before = Get-ChildItem $logs | ForEach-Object Name | Sort-Object
        $r = Invoke-Runbook LogRotation.ps1 "-ConfigPath '$cfg' -WhatIf"
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        Get-ChildItem $logs | ForEach-Object Name | Sort-Object | Should -Be $before

        $r = Invoke-Runbook LogRotation.ps1 "-ConfigPath '$cfg' -RetentionDays 14"
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match '1 compressed, 1 deleted, 0 failed'
        Get-ChildItem $logs | ForEach-Object Name | Sort-Object | Should -Be @('api-old.log.gz', 'api-today.log')
        $gz = [IO.Compression.GZipStream]::new([IO.File]::OpenRead("$logs/api-old.log.gz"), [IO.Compression.CompressionMode]::Decompress)
        try { [IO.StreamReader]::new($gz).ReadToEnd().TrimEnd() | Should -Be $content } finally { $gz.Dispose() }
    }

    It 'UsageReport.ps1 writes yesterday''s metrics and the busiest users as CSV' {
        $out = Join-Path $TestDrive 'reports'
        $r = Invoke-Runbook UsageReport.ps1 "-OutputDirectory '$out'"
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        $day = [DateTime]::Today.AddDays(-1).ToString('yyyy-MM-dd')
        $row = Import-Csv "$out/usage-report-$day.csv"
        [int]$row.DailyActiveUsers | Should -BeGreaterOrEqual 0
        @(Import-Csv "$out/usage-top-users-$day.csv").Count | Should -BeGreaterThan 0
        $r.StdOut | Should -Match "usage ${day}: \d+ active users"
    }

    It 'MonthlyDbMaintenance.ps1 maintains a table and reports it; -WhatIf runs nothing' {
        $r = Invoke-Runbook MonthlyDbMaintenance.ps1 '-Table search_history -WhatIf'
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match '0 operation\(s\), 0 failed'
        $r = Invoke-Runbook MonthlyDbMaintenance.ps1 '-Table search_history'
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match 'search_history Vacuum: Succeeded'
        $r.StdOut | Should -Match 'search_history Report: Succeeded'
    }

    It 'CertificateCheck.ps1 checks the sandbox certificate (certificates: in the config) and exits 0' {
        $r = Invoke-Runbook 'CertificateCheck.ps1' ''
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match "certificate 127\.0\.0\.1:$((Get-OpsSandbox).Ports.TlsValid): Healthy - valid until"
    }

    It 'CostTracking.ps1 writes the month-to-date cost report as CSV, the rows Get-OpsCostReport gives' {
        $r = Invoke-Runbook 'CostTracking.ps1' "-OutputDirectory '$TestDrive/cost'"
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        $month = [DateTime]::UtcNow.ToString('yyyy-MM')
        $csv = @(Import-Csv (Join-Path $TestDrive "cost/cost-$month.csv"))
        $expected = @(Get-OpsCostReport -Month $month)
        $csv.Count | Should -Be $expected.Count
        $csv.Service | Should -Be $expected.Service
        $r.StdOut | Should -Match "cost $month to date"
    }

    It 'every runbook dot-sources _Common.ps1 by its own folder, so pwsh -File runs it from any working directory' {
        foreach ($f in Get-ChildItem $script:Runbooks -Filter '*.ps1' | Where-Object Name -ne '_Common.ps1') {
            (Get-Content $f.FullName -Raw) | Should -Match ([regex]::Escape(". (Join-Path `$PSScriptRoot '_Common.ps1')")) -Because $f.Name
        }
        # As a schedule unit runs it: pwsh -NoProfile -File <ModuleBase>/runbooks/X.ps1, elsewhere, nothing on PSModulePath:
        # the runbook loads the module it was installed with; without any module it is Unknown (3) and says so.
        $pwsh = @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File')
        $installed = Join-Path (Split-Path (Get-OpsModulePath) -Parent) 'runbooks/CertificateCheck.ps1'
        $env:PSModulePath, $saved = (Join-Path $TestDrive 'no-modules'), $env:PSModulePath
        Push-Location $TestDrive
        try {
            $out = & ([Environment]::ProcessPath) @pwsh $installed 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
            ($out -join "`n") | Should -Match 'certificate 127\.0\.0\.1:\d+: Healthy'
            $out = & ([Environment]::ProcessPath) @pwsh (Join-Path $script:Runbooks 'UsageReport.ps1') 2>&1
            $LASTEXITCODE | Should -Be 3 -Because ($out -join "`n")
            ($out -join "`n") | Should -Match '^USAGE REPORT UNKNOWN - cannot load the OpsRunbook module'
        }
        finally { Pop-Location; $env:PSModulePath = $saved }
    }

    It 'each exits 3 (Unknown) on a broken config' {
        $broken = New-OpsTestConfig -Text 'environments: [ nope' -Name 'broken.yaml'
        foreach ($rb in 'LogRotation.ps1', 'UsageReport.ps1', 'MonthlyDbMaintenance.ps1', 'CertificateCheck.ps1') {
            $r = Invoke-Runbook $rb "-ConfigPath '$broken'"
            $r.ExitCode | Should -Be 3 -Because "$rb with a broken config: $($r.StdOut)"
        }
    }
}
