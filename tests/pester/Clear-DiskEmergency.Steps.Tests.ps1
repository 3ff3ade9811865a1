# The optional steps of Clear-DiskEmergency: journal vacuum (a journalctl stand-in on PATH that prints what
# the real one prints) and Docker prune (a stand-in speaking the Engine API on a unix socket).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $script:Stub = Join-Path $TestDrive 'bin'
    $null = New-Item -ItemType Directory $script:Stub
    $script:JournalLog = Join-Path $TestDrive 'journalctl.log'
    Set-Content -Path "$script:Stub/journalctl" -Value @"
#!/bin/sh
echo "`$@" >> '$script:JournalLog'
case "`$1" in
  --disk-usage) echo "Archived and active journals take up 1.5G in the file system." ;;
  --vacuum-time=*)
    echo "Deleted archived journal /var/log/journal/0/system@a.journal (512.0M)." >&2
    echo "Deleted archived journal /var/log/journal/0/system@b.journal (256.0M)." >&2
    echo "Vacuuming done, freed 768.0M of archived journals from /var/log/journal/0." >&2 ;;
esac
"@
    chmod +x "$script:Stub/journalctl"

    $script:Sock = Join-Path $TestDrive 'docker.sock'
    $script:DockerLog = "$script:Sock.log"   # the stand-in logs each request as 'METHOD URL HOST'
    $psi = [Diagnostics.ProcessStartInfo]::new('node')
    foreach ($a in (Join-Path (Get-OpsRepoRoot) 'tests/sandbox/node/docker-engine-stub.mjs'), $script:Sock) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $script:Docker = [Diagnostics.Process]::Start($psi)
    if ($script:Docker.StandardOutput.ReadLine() -ne 'ready') { throw 'The Docker API stand-in did not start.' }

    $script:Logs = Join-Path $TestDrive 'logs'; $null = New-Item -ItemType Directory $script:Logs
    $script:Config = New-OpsTestConfig -Text @"
environments:
  production:
    cleanup:
      - { name: old-logs, path: '$script:Logs', pattern: '*.log', olderThanDays: 7, action: delete }
    diskEmergency: { journalVacuumTime: 2d, dockerPrune: true, dockerEndpoint: 'unix://$script:Sock' }
"@
    $script:SavedPath = $env:PATH
    $env:PATH = "$($script:Stub):$env:PATH"
}

AfterAll {
    $env:PATH = $script:SavedPath
    if ($script:Docker -and -not $script:Docker.HasExited) { $script:Docker.Kill(); $script:Docker.WaitForExit() }
}

Describe 'Clear-DiskEmergency optional steps' {
    BeforeEach { Remove-Item $script:JournalLog, $script:DockerLog -ErrorAction Ignore }

    It '-WhatIf only reads: journal disk usage and Docker reclaimable space' {
        $r = @(Clear-DiskEmergency -ConfigPath $script:Config -WhatIf)
        $r.Policy | Should -Be @('old-logs', 'journal', 'docker')
        $j = $r | Where-Object Policy -eq journal
        $j.WhatIf | Should -BeTrue
        $j.BytesMatched | Should -Be 1.5GB
        $d = $r | Where-Object Policy -eq docker
        $d.BytesMatched | Should -Be 320000
        $d.FilesRemoved | Should -Be 0
        Get-Content $script:JournalLog | Should -Be @('--disk-usage')
        Get-Content $script:DockerLog | Should -Be @('GET /v1.41/system/df docker')
    }

    It '-Force vacuums the journal and prunes Docker, reporting what was freed' {
        $r = @(Clear-DiskEmergency -ConfigPath $script:Config -Force)
        $j = $r | Where-Object Policy -eq journal
        $j.BytesFreed | Should -Be 768MB
        $j.FilesRemoved | Should -Be 2
        $j.Errors | Should -Be 0
        Get-Content $script:JournalLog | Should -Contain '--vacuum-time=2d'
        $d = $r | Where-Object Policy -eq docker
        $d.BytesFreed | Should -Be 320000
        $d.FilesRemoved | Should -Be 5
        $calls = Get-Content $script:DockerLog
        $calls | Should -Contain 'POST /v1.41/containers/prune docker'
        $calls | Should -Contain 'POST /v1.41/images/prune?filters=%7B%22dangling%22%3A%5B%22false%22%5D%7D docker'
        $calls | Should -Contain 'POST /v1.41/volumes/prune docker'
        $calls | Should -Contain 'POST /v1.41/build/prune?all=true docker'
    }

    It 'runs one step by name' {
        $r = @(Clear-DiskEmergency -ConfigPath $script:Config -Policy docker -Force)
        $r.Policy | Should -Be 'docker'
        Test-Path $script:JournalLog | Should -BeFalse
    }

    It 'skips a step whose tool or socket is not present, and says so' {
        $cfg = New-OpsTestConfig -Name 'nosock.yaml' -Text @"
environments:
  production:
    cleanup:
      - { name: old-logs, path: '$script:Logs', pattern: '*.log', olderThanDays: 7, action: delete }
    diskEmergency: { dockerPrune: true, dockerEndpoint: 'unix://$TestDrive/none.sock' }
"@
        $out = Clear-DiskEmergency -ConfigPath $cfg -Force -Verbose 4>&1
        @($out | Where-Object { $_ -is [OpsRunbook.Core.Disk.CleanupResult] }).Policy | Should -Be 'old-logs'
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Skipped the docker step: the Docker socket .* does not exist'
    }

    It 'rejects a bad journalVacuumTime or endpoint in the config' {
        $cfg = New-OpsTestConfig -Name 'bad.yaml' -Text "environments: { production: { diskEmergency: { journalVacuumTime: 'two days', dockerEndpoint: 'tcp://x:2375' } } }"
        $p = @(Test-OpsConfig -ConfigPath $cfg)
        $p.Path | Should -Contain 'environments.production.diskEmergency.journalVacuumTime'
        $p.Path | Should -Contain 'environments.production.diskEmergency.dockerEndpoint'
    }
}
