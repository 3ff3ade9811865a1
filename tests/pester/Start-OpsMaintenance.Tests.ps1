<#
    Maintenance windows that always resume: Start/Stop/Invoke/Get-OpsMaintenance with workers behind a fake systemctl
    and the Docker Engine stand-in, a real backup into the sandbox, the window in a state store of the test's own.
    After every failure injected (at the flag, at a worker, at the backup), a second Start, a failed change and a
    Ctrl+C in the middle of Invoke-OpsMaintenance, the flag and the workers are back as they were.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    Import-Module (Join-Path $PSScriptRoot 'OperationsTestHelpers.psm1') -Force
    $script:Sandbox = Get-OpsSandboxConfigText
    function script:SandboxLine([string] $Key) { ([regex]::Match($script:Sandbox, "(?m)^    $Key`:.*$")).Value }

    # A world of its own per test: flag folder, fake systemd worker, docker worker, state store.
    function script:New-MaintenanceWorld([string] $Name, [hashtable] $Docker = @{ Status = 'running' }, [string] $Extra = '', [string] $Postgres, [bool] $Backup = $false,
                                         [string] $FlagPath, [string] $SmokePath = '/api/health') {
        $dir = Join-Path $TestDrive $Name; $null = New-Item -ItemType Directory -Force $dir
        $fake = New-FakeSystemctl (Join-Path $dir 'systemd')
        Set-Content (Join-Path $dir 'systemd/worker.service.state') 'active'
        $stub = Start-DockerStub @{ 'queue-worker' = $Docker }
        $flag = if ($FlagPath) { $FlagPath } else { Join-Path $dir 'maintenance.flag' }
        $pg = if ($Postgres) { $Postgres } else { SandboxLine 'postgres' }
        $cfg = Join-Path $dir 'ops.yaml'
        Set-Content $cfg @"
defaultEnvironment: test
environments:
  test:
$pg
$(SandboxLine 's3')
$(SandboxLine 'api')
    state: { path: '$dir/state.db' }
    services:
      - { name: worker, kind: systemd, systemctl: '$fake' }
      - { name: queue-worker, kind: docker, endpoint: 'unix://$($stub.Socket)' }
    maintenance: { flagPath: '$flag', workers: [ worker, queue-worker ], backup: $($Backup.ToString().ToLowerInvariant()) }
    smokeTests:
      - { name: health, method: GET, path: '$SmokePath', expectStatus: 200 }
      - { name: auth, method: POST, path: /api/auth/test, expectStatus: 200 }
$Extra
"@
        $script:Stubs += @($stub.Process)
        [pscustomobject]@{ Dir = $dir; Config = $cfg; Flag = $flag; Stub = $stub; SystemdState = Join-Path $dir 'systemd/worker.service.state' }
    }
    function script:Get-WorldState($w) {
        $docker = (Invoke-RestMethod -UnixSocket $w.Stub.Socket "http://docker/v1.43/containers/queue-worker/json").State.Status
        [pscustomobject]@{ Flag = (Test-Path $w.Flag); Systemd = (Get-Content $w.SystemdState).Trim(); Docker = $docker
                           Open = @(Get-OpsMaintenance -ConfigPath $w.Config).Count }
    }
    function script:Assert-AsBefore($w) {
        $s = Get-WorldState $w
        "$($s.Flag) $($s.Systemd) $($s.Docker) $($s.Open)" | Should -Be 'False active running 0' -Because 'the flag and the workers are back as they were, no window open'
    }
    $script:Stubs = @()
}

AfterAll { foreach ($p in $script:Stubs) { if (-not $p.HasExited) { $p.Kill($true); $p.WaitForExit() } } }

Describe 'Start-OpsMaintenance and Stop-OpsMaintenance' {
    It 'Start writes the flag, stops the workers, takes a backup and records the window; another session sees it; Stop resumes everything' {
        $w = New-MaintenanceWorld 'full' -Backup $true
        $r = Start-OpsMaintenance -ConfigPath $w.Config -Reason 'Upgrade PostgreSQL' -Duration 30m -Confirm:$false
        $r.Succeeded | Should -BeTrue -Because $r.Message
        "$($r.Steps.Name)" | Should -Be 'Flag StopWorker StopWorker Backup Record'
        "$($r.Steps.Status)" | Should -Be 'Done Done Done Done Done'
        $r.Window.BackupLocation | Should -BeLike 's3://backups/*'
        $s = Get-WorldState $w
        "$($s.Flag) $($s.Systemd) $($s.Docker)" | Should -Be 'True inactive exited'
        (Get-Content $w.Flag -Raw) | Should -Match 'Upgrade PostgreSQL'

        # Another session (a fresh pwsh) sees the window, who opened it and the time left.
        $other = Invoke-OpsChildPwsh -Script "Get-OpsMaintenance -ConfigPath '$($w.Config)' | ConvertTo-Json -Compress -Depth 3"
        $other.ExitCode | Should -Be 0 -Because $other.StdErr
        $seen = $other.StdOut | ConvertFrom-Json
        $seen.Reason | Should -Be 'Upgrade PostgreSQL'
        $seen.OpenedBy | Should -Be "$([Environment]::UserName)@$([Environment]::MachineName)"
        $seen.RemainingMs | Should -BeGreaterThan (29 * 60000)
        @($seen.Workers) | Should -Be @('worker', 'queue-worker')

        $stop = Stop-OpsMaintenance -ConfigPath $w.Config -Confirm:$false
        $stop.Succeeded | Should -BeTrue -Because $stop.Message
        "$($stop.Steps.Name)" | Should -Be 'SmokeTests StartWorker StartWorker RemoveFlag Close'
        Assert-AsBefore $w
        $closed = @(Get-OpsMaintenance -ConfigPath $w.Config -All)
        $closed.Count | Should -Be 1
        $closed[0].ClosedAt | Should -Not -BeNullOrEmpty
    }

    It 'a second Start while a window is open is refused with MaintenanceAlreadyOpen, and changes nothing' {
        $w = New-MaintenanceWorld 'twice'
        (Start-OpsMaintenance -ConfigPath $w.Config -Reason 'first' -Confirm:$false).Succeeded | Should -BeTrue
        Set-Content $w.SystemdState 'active'   # someone started the worker by hand meanwhile: the refused Start must not stop it
        { Start-OpsMaintenance -ConfigPath $w.Config -Reason 'second' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'MaintenanceAlreadyOpen,*'
        (Get-Content $w.SystemdState).Trim() | Should -Be 'active'
        (Get-Content $w.Flag -Raw) | Should -Match 'first'
        (Stop-OpsMaintenance -ConfigPath $w.Config -Confirm:$false).Succeeded | Should -BeTrue
        Assert-AsBefore $w
    }

    It 'a failure at the flag changes nothing else' {
        $w = New-MaintenanceWorld 'fail-flag' -FlagPath '/nonexistent-opsrunbook-dir/maintenance.flag'
        $err = $null
        $r = Start-OpsMaintenance -ConfigPath $w.Config -Reason 'x' -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $r.Succeeded | Should -BeFalse
        $r.FailedStep | Should -BeLike 'Flag *'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'MaintenanceStepFailed,*'
        @($r.Steps).Count | Should -Be 1
        Assert-AsBefore $w
    }

    It 'a failure at a worker undoes the worker already stopped and the flag' {
        $w = New-MaintenanceWorld 'fail-worker' -Docker @{ Status = 'running'; Fail = 'stop' }
        $r = Start-OpsMaintenance -ConfigPath $w.Config -Reason 'x' -Confirm:$false -ErrorAction SilentlyContinue
        $r.Succeeded | Should -BeFalse
        $r.FailedStep | Should -Be 'StopWorker queue-worker'
        "$($r.Steps.Status)" | Should -Be 'Undone Undone Failed'
        $r.Undone | Should -Be @('StopWorker worker', ('Flag ' + $w.Flag))
        $r.Message | Should -Match 'injected failure'
        Assert-AsBefore $w
    }

    It 'a failure at the backup undoes both workers and the flag' {
        $dead = (SandboxLine 'postgres') -replace 'port: \d+', "port: $(Get-OpsFreePort)"
        $w = New-MaintenanceWorld 'fail-backup' -Backup $true -Postgres $dead
        $r = Start-OpsMaintenance -ConfigPath $w.Config -Reason 'x' -Confirm:$false -ErrorAction SilentlyContinue
        $r.Succeeded | Should -BeFalse
        $r.FailedStep | Should -BeLike 'Backup*'
        "$($r.Steps.Status)" | Should -Be 'Undone Undone Undone Failed'
        Assert-AsBefore $w
    }

    It 'a worker already stopped before the window stays stopped after it' {
        $w = New-MaintenanceWorld 'already' -Docker @{ Status = 'exited' }
        $r = Start-OpsMaintenance -ConfigPath $w.Config -Reason 'x' -Confirm:$false
        ($r.Steps | Where-Object Target -eq 'queue-worker').Status | Should -Be 'Skipped'
        (Stop-OpsMaintenance -ConfigPath $w.Config -Confirm:$false).Succeeded | Should -BeTrue
        (Get-WorldState $w).Docker | Should -Be 'exited'
        (Get-WorldState $w).Systemd | Should -Be 'active'
    }

    It 'Stop keeps the site in maintenance when a smoke test fails; -Force resumes anyway' {
        $w = New-MaintenanceWorld 'smoke' -SmokePath '/api/no-such-endpoint'
        (Start-OpsMaintenance -ConfigPath $w.Config -Reason 'x' -Confirm:$false).Succeeded | Should -BeTrue
        $r = Stop-OpsMaintenance -ConfigPath $w.Config -Confirm:$false -ErrorAction SilentlyContinue
        $r.Succeeded | Should -BeFalse
        $r.FailedStep | Should -BeLike 'SmokeTests*'
        $s = Get-WorldState $w
        "$($s.Flag) $($s.Systemd) $($s.Docker) $($s.Open)" | Should -Be 'True inactive exited 1'
        (Stop-OpsMaintenance -ConfigPath $w.Config -Force -Confirm:$false).Succeeded | Should -BeTrue
        Assert-AsBefore $w
        { Stop-OpsMaintenance -ConfigPath $w.Config -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'MaintenanceNotOpen,*'
    }

    It '-WhatIf changes nothing' {
        $w = New-MaintenanceWorld 'whatif'
        Start-OpsMaintenance -ConfigPath $w.Config -Reason 'x' -WhatIf | Should -BeNullOrEmpty
        Assert-AsBefore $w
        "$($w.Dir)/systemd/calls.log" | Should -Not -Exist
    }

    It 'Get-OpsHealth: an open window is Healthy within its duration and a Warning past it' {
        $w = New-MaintenanceWorld 'health'
        (Get-OpsHealth -ConfigPath $w.Config -Check Maintenance).Status | Should -Be 'Healthy'
        (Start-OpsMaintenance -ConfigPath $w.Config -Reason 'short one' -Duration 1s -Confirm:$false).Succeeded | Should -BeTrue
        Start-Sleep -Milliseconds 1500
        $h = Get-OpsHealth -ConfigPath $w.Config -Check Maintenance
        $h.Status | Should -Be 'Warning'
        $h.Message | Should -Match "short one.*past its planned end"
        (Get-OpsMaintenance -ConfigPath $w.Config).Overdue | Should -BeTrue
        $null = Stop-OpsMaintenance -ConfigPath $w.Config -Confirm:$false
    }
}

Describe 'Invoke-OpsMaintenance' {
    It 'runs the change inside the window and closes it' {
        $w = New-MaintenanceWorld 'invoke-ok'
        $out = @(Invoke-OpsMaintenance -ConfigPath $w.Config -Reason 'change' -Confirm:$false -ScriptBlock { 'changed' })
        $out[0].Action | Should -Be 'Start'
        $out[1] | Should -Be 'changed'
        $out[-1].Action | Should -Be 'Stop'
        $out[-1].Succeeded | Should -BeTrue
        Assert-AsBefore $w
    }

    It 'an exception in the change still resumes the service, and the exception is passed on' {
        $w = New-MaintenanceWorld 'invoke-throw'
        { Invoke-OpsMaintenance -ConfigPath $w.Config -Reason 'change' -Confirm:$false -ScriptBlock { throw 'migration failed' } } | Should -Throw '*migration failed*'
        Assert-AsBefore $w
    }

    It 'Ctrl+C in the middle of the change still resumes the service' {
        $w = New-MaintenanceWorld 'invoke-ctrlc'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Get-OpsModulePath)'; Invoke-OpsMaintenance -ConfigPath '$($w.Config)' -Reason 'long change' -Confirm:`$false -ScriptBlock { Start-Sleep -Seconds 120 }")
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not ((Test-Path $w.Flag) -and @(Get-OpsMaintenance -ConfigPath $w.Config).Count -eq 1)) {
                if ([DateTime]::UtcNow -gt $deadline) { throw "the window did not open: $($ps.Streams.Error)" }
                Start-Sleep -Milliseconds 100
            }
            (Get-WorldState $w).Docker | Should -Be 'exited'
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()   # what Ctrl+C does to the running pipeline
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 30
        }
        finally { $ps.Dispose() }
        Assert-AsBefore $w
    }

    It 'a failed Start does not run the change' {
        $w = New-MaintenanceWorld 'invoke-failstart' -Docker @{ Status = 'running'; Fail = 'stop' }
        $marker = Join-Path $w.Dir 'ran'
        { Invoke-OpsMaintenance -ConfigPath $w.Config -Reason 'x' -Confirm:$false -ScriptBlock ([scriptblock]::Create("Set-Content '$marker' 'ran'")) -ErrorAction Stop } | Should -Throw -ErrorId 'MaintenanceStepFailed,*'
        $marker | Should -Not -Exist
        Assert-AsBefore $w
    }
}

Describe 'Test-OpsSmoke' {
    It 'sends the configured requests and checks each status' {
        $w = New-MaintenanceWorld 'smoke-tests' -Extra "      - { name: teapot, method: GET, path: /api/health, expectStatus: 418 }`n      - { name: down, url: 'http://127.0.0.1:$(Get-OpsFreePort)/', expectStatus: 200, timeoutSeconds: 2 }"
        $r = @(Test-OpsSmoke -ConfigPath $w.Config)
        "$($r.Name)" | Should -Be 'health auth teapot down'
        "$($r.Passed)" | Should -Be 'True True False False'
        $r[1].Method | Should -Be 'POST'
        $r[2].StatusCode | Should -Be 200
        $r[3].StatusCode | Should -BeNullOrEmpty
        $r[3].Message | Should -Not -BeNullOrEmpty
        Test-OpsSmoke -ConfigPath $w.Config -Name health, auth -Quiet | Should -BeTrue
        Test-OpsSmoke -ConfigPath $w.Config -Quiet | Should -BeFalse
    }
}

Describe 'examples/runbooks/PlannedMaintenance.ps1' {
    It 'runs a change file inside the window and exits 0; a failing change exits 2 with the service resumed' {
        $w = New-MaintenanceWorld 'runbook'
        $change = Join-Path $w.Dir 'change.ps1'
        Set-Content $change "'applied the change'"
        $rb = Join-Path (Get-OpsRepoRoot) 'examples/runbooks/PlannedMaintenance.ps1'
        $r = Invoke-OpsChildPwsh -Script "& '$rb' -ConfigPath '$($w.Config)' -Reason 'runbook test' -Change '$change'; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match 'change: applied the change'
        $r.StdOut | Should -Match 'stop 5\. Close'
        Assert-AsBefore $w
        Set-Content $change "throw 'schema migration failed'"
        $r = Invoke-OpsChildPwsh -Script "& '$rb' -ConfigPath '$($w.Config)' -Reason 'runbook test 2' -Change '$change'; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 2 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match 'schema migration failed'
        Assert-AsBefore $w
    }
}
