<#
    Logs benchmarks (issue 12), ratios printed in one run:
      1. Measure-OpsAccessLog -GroupBy Endpoint on a 1,000,000-line combined + $request_time log
         against GoAccess (goaccess LOG --log-format=COMBINED -o report.json). Goal <= 0.5.
      2. Measure-OpsAccessLog (one p95, -GroupBy None) against awk '{print $NF}' | sort -n | awk (one p95). Goal <= 0.2.
      3. Get-OpsLogError (count of ERROR lines) on a 1,000,000-line API log against rg -c ERROR. Goal <= 1.5.
      4. Peak working set (VmHWM of a fresh pwsh running Measure-OpsAccessLog) at 1M and at 4M lines. Goal < 200 MB,
         and no growth with the line count.
    Logs are generated once (python3, seeded) and cached in /tmp/opsrunbook-bench-logs. Every tool runs warm (one
    untimed run first); the median of -Runs timed runs is compared. The cmdlet figures are inside an open pwsh with
    the module loaded, as an operator runs it; the p95 computed by each side is checked to be equal.
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpsRunbook/OpsRunbook.psd1'), [int] $Runs = 3, [int] $Lines = 1000000)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath -Force

$Dir = '/tmp/opsrunbook-bench-logs'
$null = New-Item -ItemType Directory -Force $Dir
$access = Join-Path $Dir "access-$Lines.log"
$api = Join-Path $Dir "api-$Lines.log"
if (-not (Test-Path $access) -or -not (Test-Path $api)) {
    Write-Host "Generating $Lines-line access and API logs in $Dir (once; cached)..."
    $py = @'
import random, sys, datetime
n = int(sys.argv[1]); acc = sys.argv[2]; api = sys.argv[3]
r = random.Random(2026)
paths = ['/api/media/%d', '/api/users/%d/avatar', '/api/search?q=x%d', '/static/app.%d.js', '/api/orders/%d', '/api/health', '/', '/api/login']
agents = ['Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0', 'curl/8.5.0', 'okhttp/4.12.0', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)']
t0 = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
with open(acc, 'w') as f:
    for i in range(n):
        t = t0 + datetime.timedelta(milliseconds=i * 250)
        p = r.choice(paths)
        p = p % r.randint(1, 100000) if '%d' in p else p
        st = r.choices([200, 201, 304, 404, 500, 502], [80, 5, 6, 6, 2, 1])[0]
        rt = r.lognormvariate(3.0, 1.0) / 1000.0
        f.write('10.%d.%d.%d - - [%s] "GET %s HTTP/1.1" %d %d "-" "%s" %.3f\n' % (r.randint(0, 255), r.randint(0, 255), r.randint(1, 254),
                t.strftime('%d/%b/%Y:%H:%M:%S +0000'), p, st, r.randint(100, 50000), r.choice(agents), rt))
with open(api, 'w') as f:
    for i in range(n):
        t = t0 + datetime.timedelta(milliseconds=i * 250)
        s = t.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (i % 1000)
        if i % 50 == 0: f.write('%s ERROR Failed to process job media-processing:%d: timeout after 30000ms\n' % (s, i))
        elif i % 7 == 0: f.write('%s WARN Slow search query took %dms\n' % (s, r.randint(500, 3000)))
        else: f.write('%s INFO GET /api/search 200 %dms\n' % (s, r.randint(5, 400)))
'@
    $pyFile = Join-Path $Dir 'gen.py'; Set-Content $pyFile $py
    & python3 $pyFile $Lines $access $api
    if ($LASTEXITCODE) { throw 'generating the logs failed' }
}
$mb = (Get-Item $access).Length / 1MB
Write-Host ("Access log: {0:N0} lines, {1:N0} MB; API log: {2:N0} MB" -f $Lines, $mb, ((Get-Item $api).Length / 1MB))

function Time([scriptblock] $Block) {
    $null = & $Block   # warm
    $t = foreach ($i in 1..$Runs) { $sw = [Diagnostics.Stopwatch]::StartNew(); $null = & $Block; $sw.Elapsed.TotalSeconds }
    ($t | Sort-Object)[[int][math]::Floor($Runs / 2)]
}

$report = Join-Path $Dir 'report.json'
$goaccess = Time { & goaccess $access --log-format=COMBINED -o $report 2>$null; if ($LASTEXITCODE) { throw 'goaccess failed' } }
$opsEndpoint = Time { Measure-OpsAccessLog -Path $access -GroupBy Endpoint -WarningAction SilentlyContinue }
$awkCmd = "awk '{print `$NF}' '$access' | sort -n | awk '{a[NR]=`$1} END {i=int(NR*0.95); if (i<NR*0.95) i++; print a[i]}'"
$awk = Time { bash -c $awkCmd }
$opsP95 = Time { Measure-OpsAccessLog -Path $access -WarningAction SilentlyContinue }
$awkP95 = [int]([decimal](bash -c $awkCmd) * 1000)
$ours = (Measure-OpsAccessLog -Path $access).P95Ms
if ($awkP95 -ne $ours) { throw "p95 differs: awk $awkP95 ms, Measure-OpsAccessLog $ours ms" }

$rg = Time { & rg -c ERROR $api }
$opsErr = Time { Get-OpsLogError -Path $api -Since '2000-01-01' }
$rgCount = [int](& rg -c ERROR $api)
$ourCount = (Get-OpsLogError -Path $api -Since '2000-01-01' | Measure-Object Count -Sum).Sum
if ($rgCount -ne $ourCount) { throw "ERROR counts differ: rg $rgCount, Get-OpsLogError $ourCount" }

# Peak working set in a fresh pwsh: 1M lines, then 4M (the same file under 4 hard-linked names).
$links = foreach ($k in 1..3) { $l = Join-Path $Dir "access-$Lines.link$k.log"; if (-not (Test-Path $l)) { $null = New-Item -ItemType HardLink -Path $l -Target $access }; $l }
function PeakMb([string[]] $Paths) {  # -GroupBy Endpoint: groups grow with distinct endpoints, not lines
    $list = ($Paths | ForEach-Object { "'$_'" }) -join ','
    $script = "Import-Module '$ModulePath'; `$r = Measure-OpsAccessLog -Path $list -GroupBy Endpoint -WarningAction SilentlyContinue; `$s = Get-Content /proc/self/status; [pscustomobject]@{ Hwm = [int](((`$s -match '^VmHWM') -split '\s+')[1]) / 1024; Requests = (`$r | Measure-Object Requests -Sum).Sum } | ConvertTo-Json -Compress"
    $baseline = "`$s = Get-Content /proc/self/status; [int](((`$s -match '^VmHWM') -split '\s+')[1]) / 1024"
    $o = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script | ConvertFrom-Json
    $b = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; $baseline"
    [pscustomobject]@{ PeakMb = [math]::Round($o.Hwm); BaselineMb = [math]::Round([double]$b); Requests = $o.Requests }
}
$m1 = PeakMb @($access)
$m4 = PeakMb (@($access) + $links)

$rows = @(
    [pscustomobject]@{ Comparison = 'Measure-OpsAccessLog -GroupBy Endpoint vs goaccess (1M lines)'; OursS = $opsEndpoint; TheirsS = $goaccess; Goal = 0.5 }
    [pscustomobject]@{ Comparison = 'Measure-OpsAccessLog (p95) vs awk | sort -n | awk'; OursS = $opsP95; TheirsS = $awk; Goal = 0.2 }
    [pscustomobject]@{ Comparison = 'Get-OpsLogError vs rg -c ERROR (1M lines)'; OursS = $opsErr; TheirsS = $rg; Goal = 1.5 }
)
foreach ($r in $rows) { $r | Add-Member Ratio ([math]::Round($r.OursS / $r.TheirsS, 3)); $r | Add-Member Met ($r.OursS / $r.TheirsS -le $r.Goal); $r.OursS = [math]::Round($r.OursS, 3); $r.TheirsS = [math]::Round($r.TheirsS, 3) }
$rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
Write-Host ("Peak working set (VmHWM, pwsh + module + scan): {0} MB at {1:N0} lines, {2} MB at {3:N0} lines (pwsh + module alone: {4} MB). Goal < 200 MB, flat." -f $m1.PeakMb, $m1.Requests, $m4.PeakMb, $m4.Requests, $m1.BaselineMb)
Write-Host ("p95 checked equal to awk's: {0} ms; ERROR count equal to rg's: {1:N0}" -f $ours, $rgCount)
foreach ($r in $rows) { Write-Host ("RATIO {0}: {1}" -f $r.Comparison, $r.Ratio) }
