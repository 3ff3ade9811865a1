<#
    Import-Module overhead: `pwsh -NoProfile -c "Import-Module out/OpsRunbook"` against a bare `pwsh -NoProfile -c 1`.
    Target (issue 2): under 0.5 s more. Both are started the same way (dotnet pwsh.dll), warm, median of N runs;
    uses hyperfine when present.
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpsRunbook/OpsRunbook.psd1'), [int] $Runs = 10)
$ErrorActionPreference = 'Stop'
$exe = [Environment]::ProcessPath
$dll = Join-Path $PSHOME 'pwsh.dll'
$bare = "'$exe' '$dll' -NoProfile -NonInteractive -c 1"
$import = "'$exe' '$dll' -NoProfile -NonInteractive -c `"Import-Module '$ModulePath'`""
$json = Join-Path ([IO.Path]::GetTempPath()) "opsrunbook-import-bench-$PID.json"
if (Get-Command hyperfine -ErrorAction Ignore) {
    & hyperfine --warmup 2 --runs $Runs --export-json $json --style basic -N $bare $import *> $null
    if ($LASTEXITCODE -ne 0) { throw "hyperfine failed ($LASTEXITCODE)" }
    $r = (Get-Content $json -Raw | ConvertFrom-Json).results
    Remove-Item $json
    $bareS = $r[0].median; $importS = $r[1].median
}
else {
    function Measure-Median([scriptblock] $b) {
        & $b; & $b
        $t = 1..$Runs | ForEach-Object { (Measure-Command $b).TotalSeconds } | Sort-Object
        $t[[int][math]::Floor($t.Count / 2)]
    }
    $bareS = Measure-Median { & $exe $dll -NoProfile -NonInteractive -c 1 | Out-Null }
    $importS = Measure-Median { & $exe $dll -NoProfile -NonInteractive -c "Import-Module '$ModulePath'" | Out-Null }
}
$extra = $importS - $bareS
"ImportModule: bare pwsh {0:N3} s, with Import-Module {1:N3} s (median of {2}); overhead {3:N3} s (target < 0.5 s) {4}" -f `
    $bareS, $importS, $Runs, $extra, $(if ($extra -lt 0.5) { 'OK' } else { 'MISSED' })
# The same import timed inside each fresh pwsh, wall and CPU (the CPU figure moves little when the machine is loaded,
# where process start-up times above can grow tenfold). Includes the dependency isolation (OpsRunbook.Loader).
$probe = "`$p = [Diagnostics.Process]::GetCurrentProcess(); `$c = `$p.TotalProcessorTime; `$w = [Diagnostics.Stopwatch]::StartNew(); " +
    "Import-Module '$ModulePath'; `$w.Stop(); `$p.Refresh(); '{0} {1}' -f `$w.Elapsed.TotalSeconds, (`$p.TotalProcessorTime - `$c).TotalSeconds"
$inside = 1..$Runs | ForEach-Object { $wall, $cpu = -split (& $exe $dll -NoProfile -NonInteractive -c $probe); [pscustomobject]@{ Wall = [double]$wall; Cpu = [double]$cpu } }
$mid = [int][math]::Floor($Runs / 2)
"ImportModule: Import-Module inside pwsh {0:N3} s wall, {1:N3} s CPU (medians of {2}; load average {3})" -f `
    @($inside.Wall | Sort-Object)[$mid], @($inside.Cpu | Sort-Object)[$mid], $Runs, ((Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ')[0]
