<#
    State store speed, measured warm inside one pwsh session (pwsh start-up excluded):
    (a) what -Record adds to a full Get-OpsHealth run against the sandbox (about 20 results), target at most +5 ms:
        the median of interleaved runs with and without -Record, and Save-OpsHealth of 20 results on its own;
    (b) Measure-OpsAvailability over 30 days of 5-minute samples for 20 targets (172,800 rows) on SQLite, target
        under 0.5 s, next to the same time-weighted query through the sqlite3 CLI (its process start included);
        the two must agree on every target's availability.
    Each figure is the median of -Runs interleaved runs after -Warmup runs.
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpsRunbook/OpsRunbook.psd1'), [int] $Runs = 15, [int] $Warmup = 3)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot '../tests/sandbox/Sandbox.psm1')
Import-OpsSandboxEnvironment
function Get-Median([double[]] $Values) { $s = @($Values | Sort-Object); $s[[int][math]::Floor($s.Count / 2)] }
$dir = Join-Path ([IO.Path]::GetTempPath()) "opsrunbook-bench-state-$PID"
$null = New-Item -ItemType Directory -Force $dir
try {
    'Load average before: {0}' -f ((Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ')

    # (a) -Record overhead
    $recordDb = Join-Path $dir 'record.db'
    $config = Join-Path $dir 'ops.yaml'
    (Get-Content (Get-OpsSandbox).ConfigPath -Raw) -replace "state: \{ path: '[^']*' \}", "state: { path: '$recordDb' }" | Set-Content $config
    $plain = [Collections.Generic.List[double]]::new(); $recorded = [Collections.Generic.List[double]]::new(); $save = [Collections.Generic.List[double]]::new()
    $count = 0
    for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
        $sw = [Diagnostics.Stopwatch]::StartNew(); $r = @(Get-OpsHealth -ConfigPath $config); $t1 = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); $null = Get-OpsHealth -ConfigPath $config -Record; $t2 = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); $r | Save-OpsHealth -ConfigPath $config; $t3 = $sw.Elapsed.TotalMilliseconds
        if ($i -ge $Warmup) { $plain.Add($t1); $recorded.Add($t2); $save.Add($t3) }
        $count = $r.Count
    }
    $p = Get-Median $plain; $w = Get-Median $recorded; $s = Get-Median $save
    'Get-OpsHealth ({0} results) {1:0.0} ms; with -Record {2:0.0} ms: {3:+0.0;-0.0} ms, ratio {4:0.000} (target: at most +5 ms)' -f $count, $p, $w, ($w - $p), ($w / $p)
    'Save-OpsHealth of the same {0} results alone (open, migrate check, insert, prune check): {1:0.00} ms (median of {2})' -f $count, $s, $Runs
    # The same difference on one quick family: the full sweep's own spread on a loaded machine (+-20 ms) hides a few ms.
    $d0 = [Collections.Generic.List[double]]::new(); $d1 = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $Warmup + 2 * $Runs; $i++) {
        $sw = [Diagnostics.Stopwatch]::StartNew(); $null = Get-OpsHealth -ConfigPath $config -Check Disk; $t1 = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); $null = Get-OpsHealth -ConfigPath $config -Check Disk -Record; $t2 = $sw.Elapsed.TotalMilliseconds
        if ($i -ge $Warmup) { $d0.Add($t1); $d1.Add($t2) }
    }
    $q0 = Get-Median $d0; $q1 = Get-Median $d1
    'Get-OpsHealth -Check Disk {0:0.0} ms; with -Record {1:0.0} ms: {2:+0.0;-0.0} ms (median of {3}; target: at most +5 ms)' -f $q0, $q1, ($q1 - $q0), (2 * $Runs)

    # (b) availability over 172,800 rows
    $db = Join-Path $dir 'avail.db'
    $aconfig = Join-Path $dir 'avail.yaml'
    Set-Content $aconfig "defaultEnvironment: bench`nenvironments:`n  bench:`n    state: { path: '$db' }`n"
    $until = [DateTimeOffset]::new(2026, 12, 1, 0, 0, 0, [TimeSpan]::Zero)
    $since = $until.AddDays(-30)
    [OpsRunbook.Core.Health.HealthCheckResult]@{ Environment = 'bench'; Check = 'Service'; Target = 'seed'; Status = 'Healthy'; Timestamp = $since.AddDays(-1) } | Save-OpsHealth -ConfigPath $aconfig
    $s0 = $since.ToUnixTimeMilliseconds(); $u0 = $until.ToUnixTimeMilliseconds()
    & sqlite3 $db @"
DELETE FROM health_results;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 20),
               s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 8639)
INSERT INTO health_results (environment, check_name, target, status, value, unit, duration_ms, recorded_at, message)
SELECT 'bench', 'Service', 'target-' || n, CASE WHEN (k + n * 37) % 997 < 2 * (n % 4) THEN 'Critical' WHEN k % 50 = 0 THEN 'Warning' ELSE 'Healthy' END,
       NULL, NULL, 1.5, $s0 + k * 300000, '' FROM t, s;
"@
    $rows = [int](& sqlite3 $db 'SELECT count(*) FROM health_results')
    $query = @"
WITH x AS (
  SELECT target, status, COALESCE(LEAD(recorded_at) OVER (PARTITION BY check_name, target ORDER BY recorded_at), $u0) - recorded_at AS span
  FROM health_results WHERE environment = 'bench' AND recorded_at >= $s0 AND recorded_at < $u0)
SELECT target, printf('%.12f', 1.0 * SUM(CASE WHEN status IN ('Healthy', 'Warning') THEN (CASE WHEN span > 900000 THEN 300000 ELSE span END) ELSE 0 END) / SUM(span)),
       SUM(CASE WHEN status = 'Critical' THEN (CASE WHEN span > 900000 THEN 300000 ELSE span END) ELSE 0 END) / 60000.0
FROM x GROUP BY target ORDER BY target;
"@
    $mine = [Collections.Generic.List[double]]::new(); $cli = [Collections.Generic.List[double]]::new()
    $a = $null; $c = $null
    for ($i = 0; $i -lt 2 + 5; $i++) {
        $sw = [Diagnostics.Stopwatch]::StartNew(); $a = @(Measure-OpsAvailability -ConfigPath $aconfig -Since $since -Until $until); $t1 = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); $c = @(& sqlite3 -separator ' ' $db $query); $t2 = $sw.Elapsed.TotalMilliseconds
        if ($i -ge 2) { $mine.Add($t1); $cli.Add($t2) }
    }
    $disagree = 0
    foreach ($line in $c) {
        $target, $ratio, $down = $line -split ' '
        $m = $a | Where-Object Target -eq $target
        if ([math]::Abs($m.Availability - [double]$ratio) -gt 1e-9 -or [math]::Abs($m.DowntimeMinutes - [double]$down) -gt 1e-6) { $disagree++ }
    }
    $m = Get-Median $mine; $q = Get-Median $cli
    'Measure-OpsAvailability over {0:N0} rows ({1} targets): {2:0} ms (target < 500 ms); sqlite3 CLI, same query: {3:0} ms; ratio {4:0.00}; targets that disagree: {5}' -f $rows, $a.Count, $m, $q, ($m / $q), $disagree
    'Load average after: {0}' -f ((Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ')
    if ($disagree) { throw "$disagree target(s): Measure-OpsAvailability and the sqlite3 query disagree" }
}
finally { Remove-Item $dir -Recurse -Force -ErrorAction Ignore }
