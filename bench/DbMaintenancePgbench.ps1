<#
    Invoke-DbMaintenance while pgbench writes: pgbench (TPC-B, 4 clients, 15 s) runs against a scratch
    database in the sandbox once alone and once while Invoke-DbMaintenance runs ANALYZE, REINDEX TABLE
    CONCURRENTLY and VACUUM (ANALYZE) on the pgbench tables in a loop. Reports pgbench's failed
    transactions (must be 0) and the p95 latency of each run, computed from pgbench's per-transaction
    log (--log). Exits 1 when pgbench saw any error.
#>
param([string] $ModulePath)
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '..')
Import-Module (Join-Path $root 'tests/sandbox/Sandbox.psm1') -Force
Import-OpsSandboxEnvironment
Import-Module $ModulePath -Force
$sb = Get-OpsSandbox
$db = 'opsrb_bench_pgbench'
$seconds = 15
$null = Invoke-OpsSandboxSql -Database postgres -Sql "DROP DATABASE IF EXISTS $db WITH (FORCE)"
$null = Invoke-OpsSandboxSql -Database postgres -Sql "CREATE DATABASE $db OWNER ops"
$env:PGPASSWORD = $env:DB_PASSWORD
$conn = @('-h', '127.0.0.1', '-p', "$($sb.Ports.Postgres)", '-U', 'ops')
& pgbench @conn -i -q -s 5 $db 2>&1 | Out-Null
if ($LASTEXITCODE) { throw 'pgbench -i failed' }
$cfg = Join-Path ([IO.Path]::GetTempPath()) "opsrb-bench-pgbench-$PID.yaml"
@"
environments:
  production:
    postgres: { host: 127.0.0.1, port: $($sb.Ports.Postgres), database: $db, username: ops, password: '`${env:DB_PASSWORD}' }
    maintenance: { tables: [pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history], lockTimeoutSeconds: 5, statementTimeoutSeconds: 600 }
"@ | Set-Content $cfg

function Invoke-Pgbench([string] $Name, [scriptblock] $During) {
    $dir = Join-Path ([IO.Path]::GetTempPath()) "opsrb-pgbench-$Name-$PID"
    $null = New-Item -ItemType Directory -Force $dir
    $out = Join-Path $dir 'out.txt'
    $psi = [Diagnostics.ProcessStartInfo]::new('pgbench')
    foreach ($a in $conn + @('-n', '-c', '4', '-j', '2', '-T', "$seconds", '-l', '--log-prefix', (Join-Path $dir 'tx'), $db)) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
    $p = [Diagnostics.Process]::Start($psi)
    $stdout = $p.StandardOutput.ReadToEndAsync(); $stderr = $p.StandardError.ReadToEndAsync()
    $extra = if ($During) { & $During $p } else { $null }
    $p.WaitForExit()
    $text = $stdout.Result + $stderr.Result
    Set-Content $out $text
    # Per-transaction log lines: client_id transaction_no time(us) script_no time_epoch time_us ...
    $lat = [Collections.Generic.List[double]]::new()
    foreach ($f in Get-ChildItem $dir -Filter 'tx.*') { foreach ($line in [IO.File]::ReadLines($f.FullName)) { $lat.Add([double]($line.Split(' ')[2]) / 1000) } }
    $sorted = $lat.ToArray(); [Array]::Sort($sorted)
    $p95 = if ($sorted.Length) { $sorted[[int][math]::Ceiling(0.95 * $sorted.Length) - 1] } else { [double]::NaN }
    $failed = if ($text -match 'number of failed transactions: (\d+)') { [int]$Matches[1] } else { 0 }
    $errors = $failed + ([regex]::Matches($text, '(?m)^.*(ERROR|error|aborted).*$').Count)
    Remove-Item -Recurse -Force $dir
    [pscustomobject]@{ Name = $Name; ExitCode = $p.ExitCode; Transactions = $sorted.Length; Errors = $errors; P95Ms = $p95; Extra = $extra; Output = $text }
}

& pgbench @conn -n -c 4 -j 2 -T 5 $db 2>&1 | Out-Null   # warm-up, not measured
$base = Invoke-Pgbench 'baseline' $null
$maint = Invoke-Pgbench 'maintenance' {
    param($proc)
    Start-Sleep -Seconds 1
    $runs = 0; $failedItems = 0; $errs = @()
    while (-not $proc.HasExited) {
        $r = @(Invoke-DbMaintenance -ConfigPath $cfg -Confirm:$false -ProgressAction SilentlyContinue -ErrorVariable +errs -ErrorAction SilentlyContinue)
        $failedItems += @($r | Where-Object Status -ne 'Succeeded').Count
        $runs++
    }
    [pscustomobject]@{ Runs = $runs; FailedItems = $failedItems; Errors = $errs.Count }
}
Write-Host "DbMaintenancePgbench: pgbench TPC-B scale 5, 4 clients, $seconds s each, against $db in the sandbox"
Write-Host ("  without maintenance: {0} transactions, {1} errors, p95 latency {2:0.00} ms" -f $base.Transactions, $base.Errors, $base.P95Ms)
Write-Host ("  during maintenance:  {0} transactions, {1} errors, p95 latency {2:0.00} ms ({3} full Invoke-DbMaintenance passes over 4 tables, {4} items failed, {5} errors)" -f $maint.Transactions, $maint.Errors, $maint.P95Ms, $maint.Extra.Runs, $maint.Extra.FailedItems, $maint.Extra.Errors)
Write-Host ("  pgbench errors {0} (target 0); p95 ratio {1:0.00} during/without maintenance" -f ($base.Errors + $maint.Errors), ($maint.P95Ms / $base.P95Ms))
$null = Invoke-OpsSandboxSql -Database postgres -Sql "DROP DATABASE IF EXISTS $db WITH (FORCE)"
Remove-Item $cfg -ErrorAction Ignore
if ($base.ExitCode -or $maint.ExitCode -or $base.Errors -or $maint.Errors) { Write-Host $base.Output; Write-Host $maint.Output; exit 1 }
