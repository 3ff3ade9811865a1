<#
    Get-OpsLargeFile -Top 20 against `du -ab DIR | sort -rn | head -20` on a generated tree of 300,000 files
    (30 x 100 directories of 100 sparse files, random apparent sizes up to 1 MiB; built once and cached in
    /tmp/opsrunbook-bench-largefile). Both run warm (one untimed run each first), alternating, 5 timed runs
    each; the median is compared. Target (issue 6): ratio <= 0.8.
    The in-session figure is the one that counts (the cmdlet inside an open pwsh, as an operator runs it);
    a cold figure (new pwsh process + Import-Module + scan) is printed for information.
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpsRunbook/OpsRunbook.psd1'), [int] $Runs = 5)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath -Force

$Tree = '/tmp/opsrunbook-bench-largefile'
$Files = 300000
$marker = "$Tree.complete-$Files"   # beside the tree, so it is not counted in it
if (Test-Path (Join-Path $Tree ".complete-$Files")) { Move-Item (Join-Path $Tree ".complete-$Files") $marker -Force }
if (-not (Test-Path $marker)) {
    if (Test-Path $Tree) { Remove-Item $Tree -Recurse -Force }
    $null = New-Item -ItemType Directory $Tree
    Write-Host "Generating $Files files under $Tree (once; cached)..."
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $rng = [Random]::new(2026)
    $n = 0
    :outer for ($a = 0; $a -lt 30; $a++) {
        for ($b = 0; $b -lt 100; $b++) {
            $dir = [IO.Directory]::CreateDirectory("$Tree/app$a/part$b").FullName
            for ($c = 0; $c -lt 100; $c++) {
                $fs = [IO.File]::Create("$dir/file$c.dat")
                $fs.SetLength($rng.Next(0, 1MB))
                $fs.Dispose()
                if (++$n -ge $Files) { break outer }
            }
        }
    }
    $null = New-Item -ItemType File $marker
    Write-Host ("Generated in {0:0.0} s" -f $sw.Elapsed.TotalSeconds)
}

function Measure-Du {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $out = bash -c "du -ab '$Tree' | sort -rn 2>/dev/null | head -20"
    $sw.Stop()
    if (@($out).Count -ne 20) { throw "du pipeline returned $(@($out).Count) lines" }
    $sw.Elapsed.TotalSeconds
}
function Measure-Ops {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $out = Get-OpsLargeFile -Path $Tree -Top 20
    $sw.Stop()
    if (@($out).Count -ne 20) { throw "Get-OpsLargeFile returned $(@($out).Count) entries" }
    $sw.Elapsed.TotalSeconds
}
function Get-Median([double[]] $v) { $s = $v | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }

$null = Measure-Du; $null = Measure-Ops   # warm the page and dentry caches for both
$du = [System.Collections.Generic.List[double]]::new()
$ops = [System.Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Runs; $i++) { $du.Add((Measure-Du)); $ops.Add((Measure-Ops)) }

$cold = [System.Collections.Generic.List[double]]::new()
$pwsh = [Environment]::ProcessPath
for ($i = 0; $i -lt 3; $i++) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    & $pwsh (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command "`$ProgressPreference='SilentlyContinue'; Import-Module '$ModulePath'; `$null = Get-OpsLargeFile -Path '$Tree' -Top 20"
    $cold.Add($sw.Elapsed.TotalSeconds)
}

$scan = Get-OpsLargeFile -Path $Tree -Top 20 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Select-Object -Last 1
$mDu = Get-Median $du; $mOps = Get-Median $ops; $mCold = Get-Median $cold
Write-Host "tree: $Tree ($Files files); $($scan.Message)"
Write-Host ("du -ab | sort -rn | head -20 : median {0:0.000} s  runs {1}" -f $mDu, (($du | ForEach-Object { $_.ToString('0.000') }) -join ' '))
Write-Host ("Get-OpsLargeFile -Top 20    : median {0:0.000} s  runs {1}" -f $mOps, (($ops | ForEach-Object { $_.ToString('0.000') }) -join ' '))
Write-Host ("cold (new pwsh + import)    : median {0:0.000} s  (ratio {1:0.00}, for information)" -f $mCold, ($mCold / $mDu))
$ratio = $mOps / $mDu
Write-Host ("ratio {0:0.00} (target <= 0.8)" -f $ratio)
if ($ratio -gt 0.8) { Write-Warning "Get-OpsLargeFile is slower than the target." }
