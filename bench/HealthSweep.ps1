<#
    Get-OpsHealth speed, measured warm inside one pwsh session (pwsh start-up excluded):
    (a) a full sweep against the sandbox vs its slowest single probe, target ratio <= 1.2: (a1) against
        the slowest probe's own Duration in the same sweep, (a2) against the slowest family run alone;
    (b) the runbook's sequential bash health check (bench/health-check.sh: pgrep, curl, /dev/tcp, df,
        psql, redis-cli, curl | jq, zcat | awk) against the same services vs Get-OpsHealth, target >= 5.
    Each figure is the median of -Runs interleaved runs after -Warmup runs.
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpsRunbook/OpsRunbook.psd1'), [int] $Runs = 15, [int] $Warmup = 3)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
if (-not $env:OPSRUNBOOK_CONFIG) {
    Import-Module (Join-Path $PSScriptRoot '../tests/sandbox/Sandbox.psm1')
    Import-OpsSandboxEnvironment
}

function Measure-Ms([scriptblock] $Block) { $sw = [Diagnostics.Stopwatch]::StartNew(); $null = & $Block; $sw.Elapsed.TotalMilliseconds }
function Get-Median([double[]] $Values) { $s = @($Values | Sort-Object); $s[[int][math]::Floor($s.Count / 2)] }

$loadBefore = (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' '
$families = @(Get-OpsHealth | Select-Object -ExpandProperty Check -Unique)
$bad = Get-OpsHealth | Where-Object Status -ne Healthy
if ($bad) { Write-Warning "Not all healthy: $(($bad | ForEach-Object ToString) -join '; ')" }

# (a) full sweep vs slowest single probe, two ways:
#   (a1) in the same sweep: the sweep's wall time / the longest Duration among its results (what the
#        parallel runner adds on top of the slowest probe: scheduling, config, output);
#   (a2) against each family run alone: the sweep's wall time / the slowest `Get-OpsHealth -Check X`
#        (stricter: on a busy 2-core machine the other probes' CPU slows the slowest one down).
# Rounds interleave the full sweep and each family alone, so load from other processes weighs on both alike.
$samples = @{ '*' = [System.Collections.Generic.List[double]]::new(); 'inner' = [System.Collections.Generic.List[double]]::new() }
foreach ($f in $families) { $samples[$f] = [System.Collections.Generic.List[double]]::new() }
for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
    $sw = [Diagnostics.Stopwatch]::StartNew(); $r = Get-OpsHealth; $full = $sw.Elapsed.TotalMilliseconds
    $slowestInSweep = ($r | ForEach-Object { $_.Duration.TotalMilliseconds } | Measure-Object -Maximum).Maximum
    if ($i -ge $Warmup) { $samples['*'].Add($full); $samples['inner'].Add($full / $slowestInSweep) }
    foreach ($f in $families) { $t = Measure-Ms { Get-OpsHealth -Check $f }; if ($i -ge $Warmup) { $samples[$f].Add($t) } }
}
$full = Get-Median $samples['*']
$single = foreach ($f in $families) { [pscustomobject]@{ Check = $f; Ms = (Get-Median $samples[$f]) } }
$slowest = $single | Sort-Object Ms -Descending | Select-Object -First 1
'Load average before: {0}' -f $loadBefore
foreach ($s in $single) { '  {0,-9} alone  {1,7:0.0} ms (median of {2})' -f $s.Check, $s.Ms, $Runs }
'Full sweep {0:0.0} ms; slowest single probe {1} {2:0.0} ms' -f $full, $slowest.Check, $slowest.Ms
'ratio {0:0.00} (target <= 1.2)  (a1) full sweep / slowest probe in the same sweep (median per sweep)' -f (Get-Median $samples['inner'])
'ratio {0:0.00} (target <= 1.2)  (a2) full sweep / slowest family run alone' -f ($full / $slowest.Ms)

# (b) the runbook's sequential bash script vs Get-OpsHealth
$cfg = Get-OpsConfig
$svc = @{}; foreach ($s in $cfg.Services) { $svc[$s.Name] = $s }
$redisHost, $redisPort = $cfg.Redis.Configuration.Split(',')[0].Split(':')
$vars = @{
    NGINX_PROCESS = 'nginx'; API_HEALTH_URL = $svc['api'].Url; PG_TCP = $svc['postgres'].Address; REDIS_TCP = $svc['redis'].Address
    DISK_PATH = $cfg.Disk.Paths[0]; PGHOST = $cfg.Postgres.Host; PGPORT = $cfg.Postgres.Port; PGUSER = $cfg.Postgres.Username
    PGDATABASE = $cfg.Postgres.Database; PGPASSWORD = $env:DB_PASSWORD; REDIS_HOST = $redisHost; REDIS_PORT = $redisPort
    REDISCLI_AUTH = $env:REDIS_PASSWORD; QUEUE_STATS_URL = $cfg.Api.BaseUrl.TrimEnd('/') + '/api/admin/queues/stats'; LOG_DIR = $cfg.Logs.Directory
}
foreach ($kv in $vars.GetEnumerator()) { [Environment]::SetEnvironmentVariable($kv.Key, [string]$kv.Value) }
$script = Join-Path $PSScriptRoot 'health-check.sh'
$out = & bash $script 2>&1
if ($LASTEXITCODE -ne 0 -or ($out -join "`n") -notmatch 'Health check complete') { throw "health-check.sh failed:`n$($out -join "`n")" }
$bashT = [System.Collections.Generic.List[double]]::new(); $opsT = [System.Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
    $b = Measure-Ms { & bash $script *> $null }; $o = Measure-Ms { Get-OpsHealth }
    if ($i -ge $Warmup) { $bashT.Add($b); $opsT.Add($o) }
}
$bash = Get-Median $bashT; $ops = Get-Median $opsT
'bash health-check.sh {0:0.0} ms; Get-OpsHealth {1:0.0} ms (medians of {2}, interleaved)' -f $bash, $ops, $Runs
$ratioB = $bash / $ops
'ratio {0:0.00} (target >= 5)  sequential bash script / Get-OpsHealth' -f $ratioB
