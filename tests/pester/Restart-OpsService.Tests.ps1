<#
    Restart-OpsService: systemd through a fake systemctl speaking its interface (restart, show), docker through the
    Docker Engine stand-in (POST /containers/{id}/restart), and a restartCommand; the wait for the health check is
    bounded (ServiceDidNotRecover, never a hang); -WhatIf restarts nothing.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    Import-Module (Join-Path $PSScriptRoot 'OperationsTestHelpers.psm1') -Force
}

Describe 'Restart-OpsService' {
    It 'systemd: systemctl restart, then waits until the unit is active; returns Before, After, Duration, Healthy' {
        $dir = Join-Path $TestDrive 'sd1'; $fake = New-FakeSystemctl $dir
        Set-Content "$dir/worker.service.state" 'failed'
        $cfg = New-ServiceConfig "- { name: worker, kind: systemd, systemctl: '$fake' }"
        $r = Restart-OpsService -ConfigPath $cfg -Name worker -Confirm:$false
        $r | Should -BeOfType ([OpsRunbook.Core.Operations.ServiceRestartResult])
        "$($r.Before),$($r.After),$($r.Healthy)" | Should -Be 'Critical,Healthy,True'
        $r.Method | Should -Be "$fake restart worker.service"
        $r.DurationMs | Should -BeGreaterThan 0
        Get-Content "$dir/calls.log" | Should -Contain 'restart worker.service --no-ask-password'
    }

    It 'systemd: a refused restart is ServiceRestartFailed with systemctl''s reason' {
        $dir = Join-Path $TestDrive 'sd2'; $fake = New-FakeSystemctl $dir
        Set-Content "$dir/worker.service.refuse" ''
        $cfg = New-ServiceConfig "- { name: worker, kind: systemd, systemctl: '$fake' }"
        $err = $null
        Restart-OpsService -ConfigPath $cfg -Name worker -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ServiceRestartFailed,*'
        $err[0].Exception.Message | Should -Match 'control process exited with error code'
    }

    It 'a unit that does not come back is ServiceDidNotRecover within -TimeoutSeconds, never a hang' {
        $dir = Join-Path $TestDrive 'sd3'; $fake = New-FakeSystemctl $dir
        Set-Content "$dir/worker.service.after" 'failed'
        $cfg = New-ServiceConfig "- { name: worker, kind: systemd, systemctl: '$fake' }"
        $sw = [Diagnostics.Stopwatch]::StartNew()
        { Restart-OpsService -ConfigPath $cfg -Name worker -Confirm:$false -TimeoutSeconds 2 -ErrorAction Stop } | Should -Throw -ErrorId 'ServiceDidNotRecover,*'
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 6
        # A restart call that itself hangs is cut at the timeout too.
        Remove-Item "$dir/worker.service.after"; Set-Content "$dir/worker.service.sleep" '30'
        $sw.Restart()
        { Restart-OpsService -ConfigPath $cfg -Name worker -Confirm:$false -TimeoutSeconds 2 -ErrorAction Stop } | Should -Throw -ErrorId 'ServiceRestartFailed,*'
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 6
    }

    It 'docker: the Engine API restart call, then waits while the health check is starting' {
        $stub = Start-DockerStub @{ web = @{ Status = 'exited'; ExitCode = 137; Health = 'unhealthy'; RecoverAfterMs = 1500 }; dead = @{ Status = 'exited'; AfterRestart = @{ Status = 'exited' } } }
        try {
            $cfg = New-ServiceConfig "- { name: web, kind: docker, endpoint: 'unix://$($stub.Socket)' }`n- { name: dead, kind: docker, endpoint: 'unix://$($stub.Socket)' }"
            $r = Restart-OpsService -ConfigPath $cfg -Name web -Confirm:$false -TimeoutSeconds 20
            "$($r.Before),$($r.After),$($r.Healthy)" | Should -Be 'Critical,Healthy,True'
            $r.Duration.TotalSeconds | Should -BeGreaterOrEqual 1.4
            $r.Checks | Should -BeGreaterThan 1
            Get-Content $stub.Log | Should -Contain 'POST /v1.43/containers/web/restart?t=10 docker'
            { Restart-OpsService -ConfigPath $cfg -Name dead -Confirm:$false -TimeoutSeconds 2 -ErrorAction Stop } | Should -Throw -ErrorId 'ServiceDidNotRecover,*'
            { Restart-OpsService -ConfigPath (New-ServiceConfig "- { name: ghost, kind: docker, endpoint: 'unix://$($stub.Socket)' }" 'ghost.yaml') -Name ghost -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'ServiceRestartFailed,*'
        }
        finally { $stub.Process.Kill($true); $stub.Process.WaitForExit() }
    }

    It 'restartCommand: any kind restarts with the configured command; tcp/http without one is ServiceKindNotSupported' {
        $marker = Join-Path $TestDrive 'restarted'
        $redis = "127.0.0.1:$((Get-OpsSandbox).Ports.Redis)"
        $cfg = New-ServiceConfig "- { name: cache, kind: tcp, address: '$redis', restartCommand: 'echo done > $marker' }`n- { name: api, kind: http, url: 'http://127.0.0.1:1/' }"
        $r = Restart-OpsService -ConfigPath $cfg -Name cache -Confirm:$false
        $r.Healthy | Should -BeTrue
        $r.Method | Should -Be "echo done > $marker"
        Get-Content $marker | Should -Be 'done'
        { Restart-OpsService -ConfigPath $cfg -Name api -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ServiceKindNotSupported,*'
        { Restart-OpsService -ConfigPath $cfg -Name nope -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ServiceNotConfigured,*'
    }

    It '-WhatIf restarts nothing' {
        $dir = Join-Path $TestDrive 'sd4'; $fake = New-FakeSystemctl $dir
        $stub = Start-DockerStub @{ web = @{ Status = 'running' } }
        try {
            $cfg = New-ServiceConfig "- { name: worker, kind: systemd, systemctl: '$fake' }`n- { name: web, kind: docker, endpoint: 'unix://$($stub.Socket)' }"
            Restart-OpsService -ConfigPath $cfg -Name worker, web -WhatIf | Should -BeNullOrEmpty
            "$dir/calls.log" | Should -Not -Exist
            @(Get-Content $stub.Log -ErrorAction Ignore | Where-Object { $_ -like 'POST*' }).Count | Should -Be 0
        }
        finally { $stub.Process.Kill($true); $stub.Process.WaitForExit() }
    }
}
