# Reliability of the state store under the health history's writer: concurrent processes, a crash mid-write.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    # Starts a pwsh that runs $Script with the module and the sandbox's variables; returns the Process (output to files).
    function Start-Writer([string] $Script, [string] $Name) {
        $file = Join-Path $TestDrive "$Name.ps1"
        Set-Content $file ("`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module '$(Get-OpsModulePath)'`n" + $Script)
        $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
        foreach ($kv in (Get-OpsSandboxEnvironment).GetEnumerator()) { $psi.Environment[$kv.Key] = [string]$kv.Value }
        $p = [System.Diagnostics.Process]::Start($psi)
        [pscustomobject]@{ Process = $p; Out = $p.StandardOutput.ReadToEndAsync(); Err = $p.StandardError.ReadToEndAsync() }
    }
    # Each writer records 1000 results, one Save-OpsHealth (one transaction) per result, as 1000 cron runs would.
    $script:WriterScript = @'
$config = '{0}'
$t0 = [DateTimeOffset]::UtcNow
foreach ($i in 1..1000) {{
    [OpsRunbook.Core.Health.HealthCheckResult]@{{ Environment = 'production'; Check = 'Service'; Target = '{1}'; Status = 'Healthy'; Timestamp = $t0.AddMilliseconds($i); Message = "$i" }} |
        Save-OpsHealth -ConfigPath $config
}}
'done'
'@
    function Invoke-TwoWriters([string] $Config) {
        $a = Start-Writer ($script:WriterScript -f $Config, 'writer-a') 'a'
        $b = Start-Writer ($script:WriterScript -f $Config, 'writer-b') 'b'
        foreach ($w in $a, $b) {
            if (-not $w.Process.WaitForExit(600000)) { $w.Process.Kill($true); throw 'a writer did not finish in 10 minutes' }
            $w.Process.WaitForExit()
            $w.Process.ExitCode | Should -Be 0 -Because $w.Err.Result
            $w.Err.Result | Should -BeNullOrEmpty
            $w.Out.Result.Trim() | Should -Be 'done'
        }
        foreach ($t in 'writer-a', 'writer-b') {
            $rows = @(Get-OpsHealthHistory -ConfigPath $Config -Target $t -Since 1h)
            $rows.Count | Should -Be 1000
            @($rows.Message | Sort-Object -Unique).Count | Should -Be 1000
        }
    }
}

Describe 'Two processes recording at once' {
    It 'SQLite: all 2,000 rows are there and neither process got an error' {
        $db = Join-Path $TestDrive 'two/state.db'
        $config = New-OpsTestConfig -Name 'two.yaml' -Text "defaultEnvironment: production`nenvironments:`n  production:`n    state: { path: '$db' }`n"
        Invoke-TwoWriters $config
        & sqlite3 $db 'PRAGMA integrity_check; SELECT count(*) FROM health_results;' | Should -Be @('ok', '2000')
    }

    It 'PostgreSQL: all 2,000 rows are there and neither process got an error' {
        $schema = "st_two_$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $pg = ((Get-OpsSandboxConfigText) -split "`n" | Where-Object { $_ -match '^\s+postgres: \{' } | Select-Object -First 1).Trim()
        $config = New-OpsTestConfig -Name 'two-pg.yaml' -Text "defaultEnvironment: production`nenvironments:`n  production:`n    state: { $pg, schema: $schema }`n"
        try {
            Invoke-TwoWriters $config
            $s = Get-OpsState -ConfigPath $config
            $s.Backend | Should -Be 'PostgreSql'
            $s.Location | Should -Match "schema $schema"
            ($s.Tables | Where-Object Table -eq 'health_results').Rows | Should -Be 2000
        }
        finally {
            $c = New-OpsNpgsqlConnection -Port (Get-OpsSandbox).Ports.Postgres -User ops -Password (Get-OpsSandboxEnvironment).DB_PASSWORD
            try { $null = Invoke-OpsNpgsql -Connection $c -Sql "DROP SCHEMA IF EXISTS $schema CASCADE" } finally { $c.Dispose() }
        }
    }
}

Describe 'A crash mid-write' {
    It 'kill -9 during a batch loses at most that batch; the file passes PRAGMA integrity_check and opens' {
        $db = Join-Path $TestDrive 'crash/state.db'
        $config = New-OpsTestConfig -Name 'crash.yaml' -Text "defaultEnvironment: production`nenvironments:`n  production:`n    state: { path: '$db' }`n"
        # Batches of 5,000 results, each one transaction, until killed.
        $w = Start-Writer @"
`$t0 = [DateTimeOffset]::UtcNow
foreach (`$b in 0..1000) {
    `$batch = foreach (`$i in 1..5000) { [OpsRunbook.Core.Health.HealthCheckResult]@{ Environment = 'production'; Check = 'Disk'; Target = "/b`$b"; Status = 'Healthy'; Timestamp = `$t0.AddMilliseconds(`$i) } }
    `$batch | Save-OpsHealth -ConfigPath '$config'
}
"@ 'crash'
        # Wait until a few batches are in (the file and its WAL past 4 MB), then kill somewhere inside a batch.
        $deadline = [DateTime]::UtcNow.AddMinutes(3)
        # The WAL comes and goes as each Save-OpsHealth closes the store: a file gone between listing and reading counts 0.
        function Get-StoreBytes { (@($db, "$db-wal") | ForEach-Object { Get-Item -LiteralPath $_ -ErrorAction Ignore } | ForEach-Object Length | Measure-Object -Sum).Sum }
        do { Start-Sleep -Milliseconds 200 } until ((Get-StoreBytes) -gt 4MB -or [DateTime]::UtcNow -gt $deadline -or $w.Process.HasExited)
        $w.Process.HasExited | Should -BeFalse -Because "the writer should still be writing (store at $(Get-StoreBytes) bytes)"
        Start-Sleep -Milliseconds (Get-Random -Minimum 50 -Maximum 400)   # somewhere inside a batch
        & /bin/kill -KILL $w.Process.Id   # SIGKILL, as kill -9 (in pwsh `kill` is Stop-Process)
        if (-not $w.Process.WaitForExit(10000)) { $w.Process.Kill(); throw 'the writer survived SIGKILL' }
        & sqlite3 $db 'PRAGMA integrity_check;' | Should -Be 'ok'
        $count = [int](& sqlite3 $db 'SELECT count(*) FROM health_results')
        $count % 5000 | Should -Be 0 -Because 'a batch is one transaction: it is all there or not at all'
        $count | Should -BeGreaterThan 0
        $s = Get-OpsState -ConfigPath $config
        $s.Status | Should -Be 'Ok'
        $s.Rows | Should -Be $count
        # and it takes new results
        [OpsRunbook.Core.Health.HealthCheckResult]@{ Environment = 'production'; Check = 'Disk'; Target = '/after'; Status = 'Healthy'; Timestamp = [DateTimeOffset]::UtcNow } | Save-OpsHealth -ConfigPath $config
        @(Get-OpsHealthHistory -ConfigPath $config -Target '/after').Count | Should -Be 1
    }
}
