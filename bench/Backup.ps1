<#
    Backup benchmarks, on a pgbench database (scale $env:OPSRUNBOOK_BENCH_SCALE, default 20) in the sandbox:

    (a) Restore: Test-BackupRestore -Path <local dump> -Jobs 2 (sha256 check, CREATE DATABASE, pg_restore -j2,
        exact row counts of every table, DROP DATABASE and confirm) against the plain shell
        `createdb S && pg_restore -j2 --no-owner --no-privileges --exit-on-error -d S dump && dropdb S` on the same dump.
        Target: ratio <= 1.1.
    (b) Backup: Backup-OpsDatabase to S3 (s3rver; pg_dump -Fc streamed into a multipart upload, sha256, manifest
        with exact row counts) against `pg_dump -Fc -d DB > file` to the local disk. Target: ratio <= 1.2.

    Each side runs $Runs times, alternating; the median is compared. Prints 'ratio X (target <= Y)' lines.
#>
param([string] $ModulePath, [int] $Runs = 5)
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
function Get-Median([double[]] $Values) { $s = $Values | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }

# The pgbench database, made once and kept between runs.
$exists = Invoke-OpsSandboxSql -Database postgres "SELECT 1 FROM pg_database WHERE datname = '$db'"
if (-not $exists) {
    Write-Host "Creating $db (pgbench -i -s $scale) ..."
    $t = Measure-Seconds {
        Invoke-OpsSandboxSql -Database postgres "CREATE DATABASE $db OWNER ops"
        Invoke-Checked 'pgbench -i' { & pgbench @conn -i -q -s $scale $db }
    }
    Write-Host ("  made in {0:0.0} s" -f $t)
}
$size = [long](Invoke-OpsSandboxSql -Database postgres "SELECT pg_database_size('$db')")
Write-Host ("Database {0}: {1:0} MB" -f $db, ($size / 1MB))

# A config whose environment points at the bench database and an isolated S3 prefix.
$work = Join-Path ([IO.Path]::GetTempPath()) "opsrunbook-bench-$([guid]::NewGuid().ToString('n'))"
$null = New-Item -ItemType Directory $work
$prefix = "bench-$([guid]::NewGuid().ToString('n').Substring(0, 8))/"
$cfgPath = Join-Path $work 'ops.yaml'
(Get-Content $sb.ConfigPath -Raw) -replace 'postgresPrefix: postgres/', "postgresPrefix: $prefix" -replace 'database: app_staging', "database: $db" -replace 'database: app,', "database: $db," |
    Set-Content $cfgPath

try {
    # (b) Backup: pg_dump -Fc to a local file vs Backup-OpsDatabase to S3, alternating.
    $shellDump = Join-Path $work 'shell.dump'
    $ours = [Collections.Generic.List[double]]::new(); $shell = [Collections.Generic.List[double]]::new()
    $last = $null
    for ($i = 0; $i -lt $Runs; $i++) {
        Remove-Item $shellDump -ErrorAction Ignore
        $shell.Add((Measure-Seconds { Invoke-Checked 'pg_dump' { bash -c "'$pgBin/pg_dump' -h 127.0.0.1 -p $port -U ops -Fc -d $db > '$shellDump'" } }))
        $ours.Add((Measure-Seconds { $script:last = Backup-OpsDatabase -ConfigPath $cfgPath }))
    }
    $b = Get-Median $ours; $s = Get-Median $shell
    Write-Host ("Backup: pg_dump -Fc > file {0:0.00} s (median of {1}: {2}); Backup-OpsDatabase to S3 {3:0.00} s (median of {1}: {4}); dump {5:0.0} MB, {6} rows" -f
        $s, $Runs, (($shell | ForEach-Object { $_.ToString('0.00') }) -join ', '), $b, (($ours | ForEach-Object { $_.ToString('0.00') }) -join ', '), ($last.SizeBytes / 1MB), $last.Rows)
    Write-Host ("Backup-OpsDatabase vs pg_dump -Fc > file: ratio {0:0.00} (target <= 1.2)" -f ($b / $s))

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
    $b = Get-Median $ours; $s = Get-Median $shell
    Write-Host ("Restore: shell createdb && pg_restore -j2 && dropdb {0:0.00} s (median of {1}: {2}); Test-BackupRestore {3:0.00} s (median of {1}: {4}); restore phase {5:0.00} s, verify {6:0.00} s, {7} tables, {8} rows checked" -f
        $s, $Runs, (($shell | ForEach-Object { $_.ToString('0.00') }) -join ', '), $b, (($ours | ForEach-Object { $_.ToString('0.00') }) -join ', '),
        $result.RestoreDuration.TotalSeconds, $result.VerifyDuration.TotalSeconds, $result.TablesChecked, $result.RowsChecked)
    Write-Host ("Test-BackupRestore vs shell createdb/pg_restore -j2/dropdb: ratio {0:0.00} (target <= 1.1)" -f ($b / $s))
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
