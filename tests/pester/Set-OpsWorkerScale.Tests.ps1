<#
    Set-/Get-OpsWorkerScale: `docker compose up --scale` through the Engine API stand-in (tests/sandbox/node/docker-engine-stub.mjs,
    which lists containers by label, creates, starts, stops and removes them in the Engine API's shapes), 1 -> 4 -> 2; and
    systemd template instances through a systemctl stand-in (no systemd here), 1 -> 3 -> 1.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'OperationsTestHelpers.psm1') -Force
    Import-OpsTestModule
    function script:New-Compose([hashtable] $New = @{}) {
        $labels = { param($svc, $n) @{ 'com.docker.compose.project' = 'shop'; 'com.docker.compose.service' = $svc; 'com.docker.compose.container-number' = "$n"; 'com.docker.compose.oneoff' = 'False' } }
        $fixtures = @{
            'shop-worker-1' = @{ Status = 'running'; Health = 'healthy'; Image = 'registry.example.com/platform/worker:1.42.0'; Labels = (& $labels 'worker' 1)
                Env = @('QUEUE=media-processing', 'NODE_ENV=production'); Cmd = @('node', 'worker.js'); Healthcheck = @{ Test = @('CMD', 'node', 'healthcheck.js'); Interval = 5000000000 }
                Networks = @{ shop_default = @{ Aliases = @('worker') } }; HostConfig = @{ RestartPolicy = @{ Name = 'unless-stopped' }; Memory = 536870912; NetworkMode = 'shop_default' } }
            'shop-api-1'    = @{ Status = 'running'; Health = 'healthy'; Labels = (& $labels 'api' 1) }
        }
        if ($New.Count) { $fixtures['_new'] = $New }
        $stub = Start-DockerStub $fixtures
        $cfg = New-ServiceConfig "- { name: worker, kind: docker, endpoint: 'unix://$($stub.Socket)', composeProject: shop }`n- { name: api, kind: docker, container: shop-api-1, endpoint: 'unix://$($stub.Socket)' }" -Name "compose-$([guid]::NewGuid().ToString('n').Substring(0, 6)).yaml"
        [pscustomobject]@{ Stub = $stub; Config = $cfg }
    }
}

Describe 'Set-OpsWorkerScale (docker)' {
    BeforeAll { $script:W = New-Compose }
    AfterAll { $script:W.Stub.Process.Kill($true) }

    It 'scales 1 -> 4: clones the first container with the next container-number and waits for each one''s health' {
        $g = Get-OpsWorkerScale -ConfigPath $W.Config -Service worker
        $g.Replicas | Should -Be 1
        $g.Instances.Name | Should -Be 'shop-worker-1'
        $r = Set-OpsWorkerScale -ConfigPath $W.Config -Service worker -Replicas 4 -Confirm:$false
        $r | Should -BeOfType ([OpsRunbook.Core.Operations.WorkerScaleResult])
        "$($r.Previous) -> $($r.Replicas)" | Should -Be '1 -> 4'
        $r.Started | Should -Be @('shop-worker-2', 'shop-worker-3', 'shop-worker-4')
        $r.Instances.Number | Should -Be @(1, 2, 3, 4)
        $r.Instances.Health | Select-Object -Unique | Should -Be 'healthy'
        $created = @(Get-Content "$($W.Stub.Socket).create.jsonl" | ConvertFrom-Json)
        $created.name | Should -Be @('shop-worker-2', 'shop-worker-3', 'shop-worker-4')
        $b = $created[0].body
        $b.Image | Should -Be 'registry.example.com/platform/worker:1.42.0'
        $b.Labels.'com.docker.compose.container-number' | Should -Be '2'
        $b.Labels.'com.docker.compose.service' | Should -Be 'worker'
        $b.Env | Should -Be @('QUEUE=media-processing', 'NODE_ENV=production')
        $b.Healthcheck.Test | Should -Be @('CMD', 'node', 'healthcheck.js')
        $b.HostConfig.Memory | Should -Be 536870912
        $b.NetworkingConfig.EndpointsConfig.shop_default.Aliases | Should -Be @('worker')
        $b.PSObject.Properties.Name | Should -Not -Contain 'Hostname'
        $created[2].body.Labels.'com.docker.compose.container-number' | Should -Be '4'
        # Each new container was started, then its health polled until healthy, before the next one was created.
        $log = @(Get-Content $W.Stub.Log | ForEach-Object { ($_ -split ' ')[0..1] -join ' ' })
        $i2 = [array]::IndexOf($log, 'POST /v1.43/containers/shopworker2fedcba9876543210/start')
        $i3 = [array]::IndexOf($log, 'POST /v1.43/containers/create?name=shop-worker-3')
        $i2 | Should -BeGreaterThan -1
        @($log[$i2..$i3] | Where-Object { $_ -eq 'GET /v1.43/containers/shop-worker-2/json' }).Count | Should -BeGreaterThan 1 -Because 'it waits while the health is starting'
    }

    It 'scales 4 -> 2: stops and removes the newest first; other services are left alone' {
        $r = Set-OpsWorkerScale -ConfigPath $W.Config -Service worker -Replicas 2 -Confirm:$false
        "$($r.Previous) -> $($r.Replicas)" | Should -Be '4 -> 2'
        $r.Stopped | Should -Be @('shop-worker-4', 'shop-worker-3')
        $r.Instances.Name | Should -Be @('shop-worker-1', 'shop-worker-2')
        $log = @(Get-Content $W.Stub.Log | ForEach-Object { ($_ -split ' ')[0..1] -join ' ' })
        $stop4 = [array]::IndexOf($log, 'POST /v1.43/containers/shopworker4fedcba9876543210/stop?t=10')
        $del4 = [array]::IndexOf($log, 'DELETE /v1.43/containers/shopworker4fedcba9876543210')
        $stop3 = [array]::IndexOf($log, 'POST /v1.43/containers/shopworker3fedcba9876543210/stop?t=10')
        $stop4 | Should -BeGreaterThan -1
        $stop4 | Should -BeLessThan $del4
        $del4 | Should -BeLessThan $stop3
        (Get-OpsWorkerScale -ConfigPath $W.Config -Service worker).Replicas | Should -Be 2
        @(Get-OpsHealth -ConfigPath $W.Config -Check Service | Where-Object Target -eq 'api').Status | Should -Be 'Healthy'
    }

    It '-WhatIf changes nothing' {
        $before = @(Get-Content $W.Stub.Log).Count
        Set-OpsWorkerScale -ConfigPath $W.Config -Service worker -Replicas 5 -WhatIf
        @(Get-Content $W.Stub.Log | Select-Object -Skip $before | Where-Object { $_ -notmatch '^GET ' }).Count | Should -Be 0
        (Get-OpsWorkerScale -ConfigPath $W.Config -Service worker).Replicas | Should -Be 2
    }

    It 'a service that cannot be scaled is WorkerScaleNotSupported' {
        { Set-OpsWorkerScale -ConfigPath $W.Config -Service api -Replicas 2 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'WorkerScaleNotSupported,OpsRunbook.Commands.SetOpsWorkerScaleCommand'
    }
}

Describe 'Set-OpsWorkerScale: a new replica that never becomes healthy' {
    It 'is WorkerDidNotBecomeHealthy within -TimeoutSeconds' {
        $w = New-Compose -New @{ NewHealth = 'unhealthy'; NewHealthyAfterMs = 100 }
        try {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            { Set-OpsWorkerScale -ConfigPath $w.Config -Service worker -Replicas 2 -TimeoutSeconds 2 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'WorkerDidNotBecomeHealthy,OpsRunbook.Commands.SetOpsWorkerScaleCommand'
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 15
        }
        finally { $w.Stub.Process.Kill($true) }
    }
}

Describe 'Set-OpsWorkerScale (systemd template)' {
    It 'starts worker@2 and worker@3, then stops the newest first' {
        $dir = Join-Path $TestDrive 'systemd'; $null = New-Item -ItemType Directory -Force $dir
        $fake = Join-Path $dir 'systemctl'
        Set-Content $fake @"
#!/bin/bash
echo "`$*" >> '$dir/calls.log'
case "`$1" in
  list-units) for f in '$dir'/*.state; do [ -e "`$f" ] || continue; u=`$(basename "`$f" .state); s=`$(cat "`$f"); echo "`$u loaded `$s `$([ "`$s" = active ] && echo running || echo dead) Media worker"; done ;;
  start) echo active > '$dir'/"`$2".state ;;
  stop)  echo inactive > '$dir'/"`$2".state ;;
  show)  s=`$(cat '$dir'/"`$2".state 2>/dev/null || echo inactive); printf 'LoadState=loaded\nActiveState=%s\nSubState=%s\n' "`$s" "`$s" ;;
  *) exit 1 ;;
esac
"@
        & chmod +x $fake
        Set-Content (Join-Path $dir 'worker@1.service.state') 'active'
        $cfg = New-ServiceConfig "- { name: worker, kind: systemd, unit: worker@.service, systemctl: '$fake' }" -Name 'systemd.yaml'
        (Get-OpsWorkerScale -ConfigPath $cfg).Replicas | Should -Be 1
        $r = Set-OpsWorkerScale -ConfigPath $cfg -Service worker -Replicas 3 -Confirm:$false
        "$($r.Previous) -> $($r.Replicas)" | Should -Be '1 -> 3'
        $r.Started | Should -Be @('worker@2.service', 'worker@3.service')
        $r = Set-OpsWorkerScale -ConfigPath $cfg -Service worker -Replicas 1 -Confirm:$false
        $r.Replicas | Should -Be 1
        $r.Stopped | Should -Be @('worker@3.service', 'worker@2.service')
        $calls = @(Get-Content (Join-Path $dir 'calls.log') | Where-Object { $_ -match '^(start|stop) ' } | ForEach-Object { ($_ -split ' ')[0..1] -join ' ' })
        $calls | Should -Be @('start worker@2.service', 'start worker@3.service', 'stop worker@3.service', 'stop worker@2.service')
    }
}
