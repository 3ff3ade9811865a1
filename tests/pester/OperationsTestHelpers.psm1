# Helpers for the Operations tests: a service config, a fake systemctl, the Docker Engine stand-in.
$script:NodeDir = Join-Path $PSScriptRoot '../sandbox/node'
function New-ServiceConfig([string] $Services, [string] $Name = 'ops.yaml') {
    $path = Join-Path $TestDrive $Name
    Set-Content -Path $path -Value "defaultEnvironment: test`nenvironments:`n  test:`n    services:`n$(($Services -split "`n" | ForEach-Object { "      $_" }) -join "`n")`n"
    $path
}
# systemctl as systemd answers it: `show` reads the unit's state from a file, `restart` sets it (or fails).
function New-FakeSystemctl([string] $Dir) {
    $null = New-Item -ItemType Directory -Force $Dir
    $fake = Join-Path $Dir 'systemctl'
    Set-Content $fake @"
#!/bin/bash
echo "`$*" >> '$Dir/calls.log'
state() { cat "$Dir/`$1.state" 2>/dev/null || echo failed; }
case "`$1" in
  show)    s=`$(state "`$2"); printf 'LoadState=loaded\nActiveState=%s\nSubState=%s\n' "`$s" "`$s" ;;
  restart) if [ -f "$Dir/`$2.refuse" ]; then echo "Job for `$2 failed because the control process exited with error code." >&2; exit 1; fi
       if [ -f "$Dir/`$2.sleep" ]; then sleep `$(cat "$Dir/`$2.sleep"); fi
       cp "$Dir/`$2.after" "$Dir/`$2.state" 2>/dev/null || echo active > "$Dir/`$2.state" ;;
  stop|start) if [ -f "$Dir/`$2.fail-`$1" ]; then echo "Failed to `$1 `$2: injected" >&2; exit 1; fi
           if [ "`$1" = stop ]; then echo inactive > "$Dir/`$2.state"; else echo active > "$Dir/`$2.state"; fi ;;
  *)       echo "unsupported" >&2; exit 1 ;;
esac
"@
    & chmod +x $fake
    $fake
}
function Start-DockerStub([hashtable] $Containers) {
    $sock = Join-Path $TestDrive "docker-$([guid]::NewGuid().ToString('n').Substring(0, 8)).sock"
    $fixtures = "$sock.json"
    $Containers | ConvertTo-Json -Depth 5 | Set-Content $fixtures
    $psi = [System.Diagnostics.ProcessStartInfo]::new('node')
    foreach ($a in 'docker-engine-stub.mjs', $sock, $fixtures) { $psi.ArgumentList.Add($a) }
    $psi.WorkingDirectory = $script:NodeDir; $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
    $p = [System.Diagnostics.Process]::Start($psi)
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    while (-not (Test-Path $sock)) {
        if ($p.HasExited -or [DateTime]::UtcNow -gt $deadline) { $p.Kill($true); throw "docker-engine-stub did not start: $($p.StandardError.ReadToEnd())" }
        Start-Sleep -Milliseconds 50
    }
    [pscustomobject]@{ Process = $p; Socket = $sock; Log = "$sock.log" }
}

Export-ModuleMember -Function New-ServiceConfig, New-FakeSystemctl, Start-DockerStub
