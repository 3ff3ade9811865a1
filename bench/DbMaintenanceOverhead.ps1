<#
    Invoke-DbMaintenance's own overhead over running the same statements through psql.
    A scratch database in the sandbox (seed scale 3) gets ANALYZE, REINDEX TABLE CONCURRENTLY and
    VACUUM (ANALYZE) on media_items, embeddings and search_history, fifteen back-to-back pairs;
    both sides connect over TCP as the same user and set the same lock_timeout/statement_timeout.
    Prints the medians and the median per-pair ratio (target <= 1.10).
#>
param([string] $ModulePath)
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '..')
Import-Module (Join-Path $root 'tests/sandbox/Sandbox.psm1') -Force
Import-OpsSandboxEnvironment
Import-Module $ModulePath -Force
$sb = Get-OpsSandbox
$db = 'opsrb_bench_maint'
$null = Invoke-OpsSandboxSql -Database postgres -Sql "DROP DATABASE IF EXISTS $db WITH (FORCE)"
$null = Invoke-OpsSandboxSql -Database postgres -Sql "CREATE DATABASE $db OWNER ops"
$null = Invoke-OpsSandboxSql -Database $db -Sql (Get-Content (Join-Path $root 'tests/sandbox/schema.sql') -Raw)
& /usr/lib/postgresql/15/bin/psql -X -q -v ON_ERROR_STOP=1 -v scale=3 -h $sb.PgSocket -p $sb.Ports.Postgres -U postgres -d $db -f (Join-Path $root 'tests/sandbox/seed.sql') | Out-Null
if ($LASTEXITCODE -ne 0) { throw 'seeding failed' }
$cfg = Join-Path ([IO.Path]::GetTempPath()) "opsrb-bench-maint-$PID.yaml"
@"
environments:
  production:
    postgres: { host: 127.0.0.1, port: $($sb.Ports.Postgres), database: $db, username: ops, password: '`${env:DB_PASSWORD}' }
    maintenance: { tables: [media_items, embeddings, search_history], lockTimeoutSeconds: 10, statementTimeoutSeconds: 3600 }
"@ | Set-Content $cfg

$statements = foreach ($t in 'media_items', 'embeddings', 'search_history') {
    "ANALYZE `"public`".`"$t`""; "REINDEX TABLE CONCURRENTLY `"public`".`"$t`""; "VACUUM (ANALYZE) `"public`".`"$t`""
}
$psqlArgs = @('-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', "$($sb.Ports.Postgres)", '-U', 'ops', '-d', $db,
    '-c', "SELECT set_config('lock_timeout', '10000', false), set_config('statement_timeout', '3600000', false)") + @($statements | ForEach-Object { '-c'; $_ })
$env:PGPASSWORD = $env:DB_PASSWORD

function Measure-Psql { $sw = [Diagnostics.Stopwatch]::StartNew(); & /usr/lib/postgresql/15/bin/psql @psqlArgs | Out-Null; if ($LASTEXITCODE) { throw 'psql failed' }; $sw.Elapsed.TotalMilliseconds }
function Measure-Cmdlet {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $r = @(Invoke-DbMaintenance -ConfigPath $cfg -Operation Analyze, Reindex, Vacuum -Confirm:$false -ProgressAction SilentlyContinue)
    $ms = $sw.Elapsed.TotalMilliseconds
    if ($r.Count -ne 9 -or ($r.Status | Where-Object { $_ -ne 'Succeeded' })) { throw 'Invoke-DbMaintenance did not succeed on every item' }
    $ms
}
function Median([double[]] $v) { $s = $v | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }

$null = Measure-Psql; $null = Measure-Cmdlet   # warm-up (caches, JIT)
# Pairs run back to back (order alternating), so load from elsewhere on the machine hits both sides of a
# pair alike; the headline is the median of the per-pair ratios.
$runs = 15
$p = [Collections.Generic.List[double]]::new(); $c = [Collections.Generic.List[double]]::new(); $pairs = [Collections.Generic.List[double]]::new()
foreach ($i in 1..$runs) {
    if ($i % 2) { $a = Measure-Psql; $b = Measure-Cmdlet } else { $b = Measure-Cmdlet; $a = Measure-Psql }
    $p.Add($a); $c.Add($b); $pairs.Add($b / $a)
}
$mp = Median $p; $mc = Median $c; $ratio = Median $pairs
Write-Host ("DbMaintenanceOverhead: 9 statements (3 tables x ANALYZE, REINDEX CONCURRENTLY, VACUUM (ANALYZE)), seed scale 3, $runs back-to-back pairs")
Write-Host ("  psql:                 median {0:0} ms, fastest {1:0} ms" -f $mp, ($p | Measure-Object -Minimum).Minimum)
Write-Host ("  Invoke-DbMaintenance: median {0:0} ms, fastest {1:0} ms" -f $mc, ($c | Measure-Object -Minimum).Minimum)
Write-Host ("  per-pair ratios: {0}" -f (($pairs | ForEach-Object { $_.ToString('0.00') }) -join ' '))
Write-Host ("  ratio {0:0.00} (target <= 1.10)" -f $ratio)
# The fixed cost of one invocation (connect, config, catalog lookups, statistics reads), where the
# statement itself is nearly free: ANALYZE of a 10-row table. Fastest of 15 each.
$tiny = @('-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', "$($sb.Ports.Postgres)", '-U', 'ops', '-d', $db,
    '-c', "SELECT set_config('lock_timeout', '10000', false), set_config('statement_timeout', '3600000', false)", '-c', 'ANALYZE "public"."tiny"')
$null = Invoke-OpsSandboxSql -Database $db -Sql 'CREATE TABLE tiny AS SELECT generate_series(1, 10) AS id'
$fp = (1..15 | ForEach-Object { (Measure-Command { & /usr/lib/postgresql/15/bin/psql @tiny | Out-Null }).TotalMilliseconds } | Measure-Object -Minimum).Minimum
$fc = (1..15 | ForEach-Object { (Measure-Command { $null = Invoke-DbMaintenance -ConfigPath $cfg -Table tiny -Operation Analyze -Confirm:$false -ProgressAction SilentlyContinue }).TotalMilliseconds } | Measure-Object -Minimum).Minimum
Write-Host ("  fixed cost per invocation (ANALYZE of a 10-row table, fastest of 15): psql {0:0.0} ms, Invoke-DbMaintenance {1:0.0} ms" -f $fp, $fc)
$null = Invoke-OpsSandboxSql -Database postgres -Sql "DROP DATABASE IF EXISTS $db WITH (FORCE)"
Remove-Item $cfg -ErrorAction Ignore
