<#
    Backup benchmarks, on a pgbench database (scale $env:OPSRUNBOOK_BENCH_SCALE, default 20) in the sandbox:

    (a) Restore: Test-BackupRestore -Path <local dump> -Jobs 2 (sha256 check, CREATE DATABASE, pg_restore -j2,
        exact row counts of every table, DROP DATABASE and confirm) against the plain shell
        `createdb S && pg_restore -j2 --no-owner --no-privileges --exit-on-error -d S dump && dropdb S` on the same dump.
        Target: ratio <= 1.1.
    (b) Backup: Backup-OpsDatabase to S3 (s3rver; pg_dump -Fc streamed into a multipart upload, sha256, manifest
        with exact row counts) against `pg_dump -Fc -d DB > file` to the local disk, for the pgbench database and
        for the sandbox's seed data at the same scale (a larger, less compressible dump that takes several parts).
        Target: ratio <= 1.2.

    Each side runs $Runs times, alternating; the figure is the median of the pairwise ratios (each pair ran back to
    back under the same background load). Prints 'ratio X (target <= Y)' lines. The databases are kept for later runs.
#>
param([string] $ModulePath, [int] $Runs = 7)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot '../tests/sandbox/Sandbox.psm1')
Import-OpsSandboxEnvironment
$sb = Get-OpsSandbox
$pgBin = '/usr/lib/postgresql/15/bin'
$scale = if ($env:OPSRUNBOOK_BENCH_SCALE) { [int]$env:OPSRUNBOOK_BENCH_SCALE } else { 20 }
$db = "bench_pgbench_s$scale"
$port = "$($sb.Ports.Postgres)"
$env:PGPASSWORD = $env:DB_PASSWORD
$conn = @('-h', '127.0.0.1', '-p', $port, '-U', 'ops')

function Invoke-Checked([string] $What, [scriptblock] $Command) {
    $out = & $Command 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit $LASTEXITCODE): $($out | Out-String)" }
}
function Measure-Seconds([scriptblock] $Body) { $sw = [Diagnostics.Stopwatch]::StartNew(); & $Body | Out-Null; $sw.Elapsed.TotalSeconds }
function Write-Result([string] $What, [string] $ShellName, [double[]] $Shell, [string] $OursName, [double[]] $Ours, [double] $Target) {
    # Runs alternate, so each pair saw the same background load: the median of the pairwise ratios is the figure.
    $ratios = for ($i = 0; $i -lt $Ours.Count; $i++) { $Ours[$i] / $Shell[$i] }
    $fmt = { param($v) ($v | ForEach-Object { $_.ToString('0.00') }) -join ', ' }
    Write-Host $What
    Write-Host ("  {0}: median {1:0.00} s ({2})" -f $ShellName, (Get-Median $Shell), (& $fmt $Shell))
    Write-Host ("  {0}: median {1:0.00} s ({2})" -f $OursName, (Get-Median $Ours), (& $fmt $Ours))
    Write-Host ("  {0} vs {1}: ratio {2:0.00} (target <= {3}) [median of pairwise ratios; ratio of medians {4:0.00}]" -f $OursName, $ShellName, (Get-Median $ratios), $Target, ((Get-Median $Ours) / (Get-Median $Shell)))
}
function Get-Median([double[]] $Values) { $s = $Values | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }

# The databases, made once and kept between runs: pgbench (scale 20, compresses to a few MB: one part) and the
# sandbox's own seed data at scale 20 (random values: a ~19 MB dump, so several multipart parts upload).
function Initialize-BenchDatabase([string] $Name, [scriptblock] $Fill) {
    if (Invoke-OpsSandboxSql -Database postgres "SELECT 1 FROM pg_database WHERE datname = '$Name'") { return }
    Write-Host "Creating $Name ..."
    $t = Measure-Seconds { Invoke-OpsSandboxSql -Database postgres "CREATE DATABASE $Name OWNER ops"; & $Fill }
    Write-Host ("  made in {0:0.0} s" -f $t)
}
Initialize-BenchDatabase $db { Invoke-Checked 'pgbench -i' { & pgbench @conn -i -q -s $scale $db } }
$seedDb = "bench_seed_s$scale"
Initialize-BenchDatabase $seedDb {
    Invoke-Checked 'schema.sql' { & "$pgBin/psql" -X -q -v ON_ERROR_STOP=1 @conn -d $seedDb -f (Join-Path $PSScriptRoot '../tests/sandbox/schema.sql') }
    Initialize-OpsSandboxData -Scale $scale -Database $seedDb
}
Write-Host ("Machine: {0} cores, load average {1}" -f [Environment]::ProcessorCount, ((Get-Content /proc/loadavg -Raw).Split(' ')[0..2] -join ' '))
foreach ($d in $db, $seedDb) {
    Write-Host ("Database {0}: {1:0} MB" -f $d, ([long](Invoke-OpsSandboxSql -Database postgres "SELECT pg_database_size('$d')") / 1MB))
}

# A config whose environment points at the bench database and an isolated S3 prefix.
$work = Join-Path ([IO.Path]::GetTempPath()) "opsrunbook-bench-$([guid]::NewGuid().ToString('n'))"
$null = New-Item -ItemType Directory $work
$prefix = "bench-$([guid]::NewGuid().ToString('n').Substring(0, 8))/"
$cfgPath = Join-Path $work 'ops.yaml'
(Get-Content $sb.ConfigPath -Raw) -replace 'postgresPrefix: postgres/', "postgresPrefix: $prefix" -replace 'database: app_staging', "database: $db" -replace 'database: app,', "database: $db," |
    Set-Content $cfgPath

try {
    # (b) Backup: pg_dump -Fc to a local file vs Backup-OpsDatabase to S3, alternating run by run.
    foreach ($d in $db, $seedDb) {
        $shellDump = Join-Path $work 'shell.dump'
        $ours = [Collections.Generic.List[double]]::new(); $shell = [Collections.Generic.List[double]]::new()
        $script:last = $null
        for ($i = 0; $i -lt $Runs; $i++) {
            Remove-Item $shellDump -ErrorAction Ignore
            $shell.Add((Measure-Seconds { Invoke-Checked 'pg_dump' { bash -c "'$pgBin/pg_dump' -h 127.0.0.1 -p $port -U ops -Fc -d $d > '$shellDump'" } }))
            $ours.Add((Measure-Seconds { $script:last = Backup-OpsDatabase -ConfigPath $cfgPath -Database $d }))
        }
        Write-Result "Backup $d ($('{0:0.0}' -f ($last.SizeBytes / 1MB)) MB dump, $([math]::Ceiling($last.SizeBytes / 16MB)) part(s), $($last.Rows) rows counted)" `
            'pg_dump -Fc > local file' $shell 'Backup-OpsDatabase to S3' $ours 1.2
    }

    # (a) Restore: the same local dump (with its manifest) through Test-BackupRestore vs the plain shell pipeline.
    $dump = Join-Path $work 'bench.dump'
    $null = Backup-OpsDatabase -ConfigPath $cfgPath -Path $dump
    $ours = [Collections.Generic.List[double]]::new(); $shell = [Collections.Generic.List[double]]::new()
    $result = $null
    for ($i = 0; $i -lt $Runs; $i++) {
        $scratch = "bench_shell_$i"
        $shell.Add((Measure-Seconds {
                    Invoke-Checked 'shell restore' { bash -c "'$pgBin/createdb' -h 127.0.0.1 -p $port -U ops $scratch && '$pgBin/pg_restore' -h 127.0.0.1 -p $port -U ops -j 2 --no-owner --no-privileges --exit-on-error -d $scratch '$dump' && '$pgBin/dropdb' -h 127.0.0.1 -p $port -U ops $scratch" }
                }))
        $ours.Add((Measure-Seconds { $script:result = Test-BackupRestore -ConfigPath $cfgPath -Environment staging -Path $dump -Jobs 2 }))
        if (-not $result.Success) { throw "Test-BackupRestore failed: $($result.Message)" }
    }
    Write-Result "Restore $db ($('{0:0.0}' -f ((Get-Item $dump).Length / 1MB)) MB dump; last run: restore $('{0:0.00}' -f $result.RestoreDuration.TotalSeconds) s, verify $('{0:0.00}' -f $result.VerifyDuration.TotalSeconds) s, $($result.TablesChecked) tables, $($result.RowsChecked) rows)" `
        'createdb && pg_restore -j2 && dropdb' $shell 'Test-BackupRestore -Jobs 2' $ours 1.1
}
finally {
    $s3 = (Get-OpsConfig -ConfigPath $cfgPath).S3
    $client = [OpsRunbook.Core.Storage.S3ClientFactory]::Create($s3)
    try {
        $keys = @(Get-OpsBackup -ConfigPath $cfgPath -NoManifest | ForEach-Object { $_.Key; $_.Key -replace '\.dump$', '.manifest.json' })
        foreach ($k in $keys) { $null = $client.DeleteObjectAsync($s3.Bucket, $k).GetAwaiter().GetResult() }
    }
    finally { $client.Dispose() }
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}
