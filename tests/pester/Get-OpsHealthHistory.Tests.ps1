BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    # The sandbox's environments with a state store of this test's own.
    function New-HistoryConfig {
        $db = Join-Path $TestDrive "h-$([guid]::NewGuid().ToString('n'))/state.db"
        $text = (Get-OpsSandboxConfigText) -replace "state: \{ path: '[^']*' \}", "state: { path: '$db' }"
        $text | Should -Match ([regex]::Escape($db))
        [pscustomobject]@{ Path = (New-OpsTestConfig -Text $text -Name "h-$([guid]::NewGuid().ToString('n')).yaml"); Db = $db }
    }
    function New-Result([string] $Check, [string] $Target, [string] $Status, [DateTimeOffset] $At, [string] $Environment = 'production') {
        [OpsRunbook.Core.Health.HealthCheckResult]@{ Environment = $Environment; Check = $Check; Target = $Target; Status = $Status; Timestamp = $At; Message = "$Status"; Duration = [TimeSpan]::FromMilliseconds(2) }
    }
}

Describe 'Get-OpsHealth -Record and Get-OpsHealthHistory' {
    It 'stores every result of a run and reads them back with their fields' {
        $c = New-HistoryConfig
        $live = @(Get-OpsHealth -Check Disk, Database -Record -ConfigPath $c.Path)
        $live.Count | Should -BeGreaterThan 1
        $stored = @(Get-OpsHealthHistory -ConfigPath $c.Path)
        $stored.Count | Should -Be $live.Count
        $stored[0] | Should -BeOfType OpsRunbook.Core.Health.HealthCheckResult
        foreach ($r in $live) {
            $s = $stored | Where-Object { $_.Check -eq $r.Check -and $_.Target -eq $r.Target }
            $s.Status | Should -Be $r.Status
            $s.Environment | Should -Be 'production'
            $s.Value | Should -Be $r.Value
            $s.Timestamp.ToUnixTimeMilliseconds() | Should -Be $r.Timestamp.ToUnixTimeMilliseconds()
            $s.DurationMs | Should -BeGreaterThan 0
            $s.ComputerName | Should -Be $r.ComputerName
        }
        $live[0].ComputerName | Should -Be ([Environment]::MachineName)
        # the sqlite3 CLI sees the same rows
        & sqlite3 $c.Db 'SELECT count(*) FROM health_results' | Should -Be $live.Count
    }

    It 'keeps the host of each result (a fleet''s rows saved together) and shows it with the time in its view' {
        $c = New-HistoryConfig
        $now = [DateTimeOffset]::UtcNow
        $a = New-Result Disk '/' Healthy $now.AddMinutes(-2); $a.ComputerName = 'web-1'
        $b = New-Result Disk '/' Critical $now.AddMinutes(-1); $b.ComputerName = 'web-2'
        $a, $b | Save-OpsHealth -ConfigPath $c.Path
        $rows = @(Get-OpsHealthHistory -ConfigPath $c.Path)
        $rows.ComputerName | Should -Be @('web-1', 'web-2')
        $rows[0].PSObject.TypeNames[0] | Should -Be 'OpsRunbook.Core.Health.HealthCheckResult#History'
        $text = $rows | Out-String -Width 200
        $text | Should -Match 'Timestamp\s+ComputerName\s+Status\s+Check\s+Target'
        $text | Should -Match "$($a.Timestamp.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ss'))Z\s+web-1\s+Healthy\s+Disk\s+/"
        $text | Should -Match 'web-2\s+Critical'
        (& sqlite3 $c.Db 'SELECT computer_name FROM health_results ORDER BY recorded_at') | Should -Be @('web-1', 'web-2')
        ($rows | ConvertTo-Csv | ConvertFrom-Csv).ComputerName | Should -Be @('web-1', 'web-2')
    }

    It 'filters by check, target (wildcards), status and time, and keeps environments apart' {
        $c = New-HistoryConfig
        $now = [DateTimeOffset]::UtcNow
        @(
            New-Result Disk '/' Healthy $now.AddHours(-30)
            New-Result Disk '/' Warning $now.AddMinutes(-10)
            New-Result Disk '/srv' Critical $now.AddMinutes(-5)
            New-Result Service 'api' Healthy $now.AddMinutes(-5)
            New-Result Service 'api' Critical $now.AddMinutes(-5) -Environment staging
        ) | Save-OpsHealth -ConfigPath $c.Path
        @(Get-OpsHealthHistory -ConfigPath $c.Path).Count | Should -Be 3 -Because 'the default is the last 24 h of this environment'
        @(Get-OpsHealthHistory -ConfigPath $c.Path -Since 2d).Count | Should -Be 4
        @(Get-OpsHealthHistory -ConfigPath $c.Path -Since 2d -Until 1d).Count | Should -Be 1
        @(Get-OpsHealthHistory -ConfigPath $c.Path -Check Disk -Target '/s*').Target | Should -Be '/srv'
        @(Get-OpsHealthHistory -ConfigPath $c.Path -Status Warning, Critical).Count | Should -Be 2
        @(Get-OpsHealthHistory -ConfigPath $c.Path -Environment staging).Status | Should -Be 'Critical'
        { Get-OpsHealthHistory -ConfigPath $c.Path -Status Bad } | Should -Throw
    }

    It 'Save-OpsHealth -WhatIf stores nothing; -PassThru passes results on' {
        $c = New-HistoryConfig
        $r = New-Result Disk '/' Healthy ([DateTimeOffset]::UtcNow)
        $r | Save-OpsHealth -ConfigPath $c.Path -WhatIf
        @(Get-OpsHealthHistory -ConfigPath $c.Path).Count | Should -Be 0
        ($r | Save-OpsHealth -ConfigPath $c.Path -PassThru).Target | Should -Be '/'
        @(Get-OpsHealthHistory -ConfigPath $c.Path).Count | Should -Be 1
    }

    It 'prunes results older than state.healthRetention when a run records' {
        $c = New-HistoryConfig
        (Get-Content $c.Path -Raw) -replace "state: \{ path: '([^']*)' \}", "state: { path: '`$1', healthRetention: 2d }" | Set-Content $c.Path
        New-Result Disk '/' Healthy ([DateTimeOffset]::UtcNow.AddDays(-3)) | Save-OpsHealth -ConfigPath $c.Path
        @(Get-OpsHealthHistory -ConfigPath $c.Path -Since 10d).Count | Should -Be 0 -Because 'the same run pruned it'
        New-Result Disk '/' Healthy ([DateTimeOffset]::UtcNow.AddDays(-1)) | Save-OpsHealth -ConfigPath $c.Path
        $null = Get-OpsHealth -Check Disk -Record -ConfigPath $c.Path
        @(Get-OpsHealthHistory -ConfigPath $c.Path -Since 10d).Count | Should -BeGreaterThan 1
    }

    It 'outputs the results and writes StateStoreCorrupt (non-terminating) when the store is damaged' {
        $c = New-HistoryConfig
        $null = New-Item -ItemType Directory -Force (Split-Path $c.Db)
        [IO.File]::WriteAllBytes($c.Db, [byte[]](1..200))
        $out = @(Get-OpsHealth -Check Disk -Record -ConfigPath $c.Path -ErrorVariable e -ErrorAction SilentlyContinue)
        $out.Count | Should -BeGreaterThan 0
        $e[0].FullyQualifiedErrorId | Should -BeLike 'StateStoreCorrupt*'
        $e[0].Exception.Message | Should -Match ([regex]::Escape($c.Db))
        { Get-OpsHealthHistory -ConfigPath $c.Path -ErrorAction Stop } | Should -Throw -ErrorId 'StateStoreCorrupt*'
    }
}

Describe 'DailyHealthCheck.ps1 records by default' {
    It 'stores the run in the health history, and -NoRecord does not' {
        $c = New-HistoryConfig
        $example = Join-Path (Get-OpsRepoRoot) 'examples/runbooks/DailyHealthCheck.ps1'
        $r = Invoke-OpsChildPwsh -WorkingDirectory $TestDrive -Script "& '$example' -ModulePath '$(Get-OpsModulePath)' -ConfigPath '$($c.Path)' -LogDirectory '' -PrometheusPath ''; exit `$LASTEXITCODE"
        @(0, 1) | Should -Contain $r.ExitCode -Because "$($r.StdOut)$($r.StdErr)"
        $n = @(Get-OpsHealthHistory -ConfigPath $c.Path).Count
        $n | Should -BeGreaterThan 5
        $r = Invoke-OpsChildPwsh -WorkingDirectory $TestDrive -Script "& '$example' -ModulePath '$(Get-OpsModulePath)' -ConfigPath '$($c.Path)' -Plugin -NoRecord; exit `$LASTEXITCODE"
        @(Get-OpsHealthHistory -ConfigPath $c.Path).Count | Should -Be $n
    }
}
