<#
    The fleet over SSH remoting, against the sandbox's two sshd hosts (tests/sandbox: Start-SandboxFleet):
    (a) Invoke-Command -HostName h1 -ScriptBlock { Get-OpsHealth } vs what users would otherwise run, plain ssh to the
        same host: ssh h1 'pwsh -NoProfile -c "Import-Module OpsRunbook; Get-OpsHealth | ConvertTo-Json"' (one remote pwsh
        start, module import and sweep each; objects vs JSON text). Target ratio <= 1.2.
    (b) both hosts at once (Invoke-Command -HostName h1,h2) vs one host: how well the fan-out overlaps (1.0 = free).
    (c) a warm session (New-PSSession once, Invoke-Command -Session): the sweep's cost per host when the remote pwsh is
        already running, the figure for a controller that keeps sessions open.
    Also: the remote pwsh's peak working set, and the Prometheus series one host adds.
    Medians of -Runs interleaved runs after -Warmup runs. The package is installed on the hosts first (Install-PSResource over SSH).
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpsRunbook/OpsRunbook.psd1'), [int] $Runs = 5, [int] $Warmup = 1)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot '../tests/sandbox/Sandbox.psm1')
Import-OpsSandboxEnvironment
$fleet = Get-OpsSandboxFleet
$null = Install-OpsSandboxFleetModule   # the package, with Install-PSResource on each host (build.ps1 Package first)
$ssh = @{ KeyFilePath = $fleet.KeyFilePath; Options = $fleet.SshOptions }
$h1 = $fleet.Hosts[0]
$sshArgs = @('-i', $fleet.KeyFilePath, '-p', $h1.Port) + @($fleet.SshOptions.GetEnumerator() | ForEach-Object { '-o'; "$($_.Key)=$($_.Value)" }) + @('root@127.0.0.1')
# Plain ssh runs the login shell, not the subsystem: give it the same environment the subsystem wrapper gives pwsh.
$remotePwsh = "sh -c 'set -a; . $(Join-Path (Get-OpsSandbox).Directory 'fleet/secrets.env'); set +a; HOME=$($h1.Home) $((Get-Process -Id $PID).Path) $(Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -c ""Import-Module OpsRunbook; Get-OpsHealth | ConvertTo-Json -Depth 3""'"

function Measure-Ms([scriptblock] $Block) { $sw = [Diagnostics.Stopwatch]::StartNew(); $null = & $Block; $sw.Elapsed.TotalMilliseconds }
function Get-Median([double[]] $Values) { $s = @($Values | Sort-Object); $s[[int][math]::Floor($s.Count / 2)] }

$load = (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' '
$s = @{ one = @(); two = @(); ssh = @(); warm = @(); local = @() }
$session = New-PSSession -HostName $h1.HostName @ssh
try {
    for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
        $one = Measure-Ms { Invoke-Command -HostName $h1.HostName @ssh -ScriptBlock { Get-OpsHealth } }
        $plain = Measure-Ms { $out = & ssh @sshArgs $remotePwsh; if ($LASTEXITCODE -ne 0 -or -not ($out | ConvertFrom-Json)) { throw "plain ssh failed: $out" } }
        $two = Measure-Ms { Invoke-Command -HostName $fleet.HostName @ssh -ScriptBlock { Get-OpsHealth } }
        $warm = Measure-Ms { Invoke-Command -Session $session -ScriptBlock { Get-OpsHealth } }
        $local = Measure-Ms { Get-OpsHealth }
        if ($i -ge $Warmup) { $s.one += $one; $s.ssh += $plain; $s.two += $two; $s.warm += $warm; $s.local += $local }
    }
    $rss = Invoke-Command -Session $session -ScriptBlock { ((Get-Content /proc/self/status) -match '^VmHWM') -replace '\s+', ' ' }
}
finally { Remove-PSSession $session }
$m = @{}; foreach ($k in $s.Keys) { $m[$k] = Get-Median $s[$k] }
Get-OpsHealth | Export-OpsPrometheusMetric -Path (Join-Path ([IO.Path]::GetTempPath()) 'fleet-bench.prom')
$lines = @(Get-Content (Join-Path ([IO.Path]::GetTempPath()) 'fleet-bench.prom') | Where-Object { $_ -and $_ -notmatch '^#' }).Count
'Fleet over SSH remoting (sandbox hosts; load average {0} before)' -f $load
'  (a) Invoke-Command -HostName h1 {{ Get-OpsHealth }}: {0:0} ms; plain ssh + pwsh -c + ConvertTo-Json: {1:0} ms; ratio {2:0.00} (target <= 1.2)' -f $m.one, $m.ssh, ($m.one / $m.ssh)
'  (b) two hosts at once: {0:0} ms; ratio to one host {1:0.00} (1.0: the fan-out is free)' -f $m.two, ($m.two / $m.one)
'  (c) warm session (Invoke-Command -Session): {0:0} ms per sweep; local Get-OpsHealth in this pwsh: {1:0} ms' -f $m.warm, $m.local
'  remote pwsh -sshs with the module, after a sweep: {0}' -f $rss
'  Prometheus series one host writes (opsrunbook_*): {0}' -f $lines
