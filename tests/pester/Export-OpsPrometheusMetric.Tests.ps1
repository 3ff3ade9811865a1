BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    function script:Test-Promtool([string] $Path) {
        $out = Get-Content $Path -Raw | & promtool check metrics 2>&1
        [pscustomobject]@{ Ok = ($LASTEXITCODE -eq 0); Output = ($out -join "`n") }
    }
}

Describe 'Export-OpsPrometheusMetric' {
    It 'writes the sandbox health results in a form promtool accepts' {
        Assert-OpsSandbox
        $path = Join-Path $TestDrive 'opsrunbook.prom'
        $results = @(Get-OpsHealth)
        $results | Export-OpsPrometheusMetric -Path $path
        $check = Test-Promtool $path
        $check.Ok | Should -BeTrue -Because $check.Output
        $check.Output | Should -BeNullOrEmpty -Because 'promtool lint finds nothing to complain about'
        $text = Get-Content $path -Raw
        $text | Should -Match '# TYPE opsrunbook_health_status gauge'
        $text | Should -Match 'opsrunbook_health_status\{environment="production",check="Database",target="app/connections"\} 0'
        $text | Should -Match 'opsrunbook_health_value\{environment="production",check="Disk",target="/",unit="%"\} [\d.]+'
        $text | Should -Match 'opsrunbook_health_detail\{environment="production",check="Queue",target="media-processing",name="waiting"\} \d+'
        $text | Should -Match 'opsrunbook_health_duration_seconds\{'
        $text | Should -Match 'opsrunbook_health_last_run_timestamp_seconds\{environment="production"\} \d+'
        ($text -split "`n" | Where-Object { $_ -like 'opsrunbook_health_status*' }).Count | Should -Be $results.Count
    }

    It 'escapes label values (quotes, backslashes, newlines) so promtool still accepts them' {
        $r = [OpsRunbook.Core.Health.HealthCheckResult]::new()
        $r.Environment = 'prod'; $r.Check = 'Service'; $r.Target = "we`"ird\name`nx"; $r.Status = 'Critical'; $r.Value = 1.5; $r.Unit = 'ms'
        $path = Join-Path $TestDrive 'escape.prom'
        $r | Export-OpsPrometheusMetric -Path $path
        (Test-Promtool $path).Ok | Should -BeTrue
        Get-Content $path -Raw | Should -Match ([regex]::Escape('target="we\"ird\\name\nx"} 3'))
    }

    It 'replaces the file atomically and leaves no temp file behind' {
        $dir = Join-Path $TestDrive 'textfile'; $null = New-Item -ItemType Directory $dir
        $path = Join-Path $dir 'ops.prom'
        Set-Content $path 'old content'
        $r = [OpsRunbook.Core.Health.HealthCheckResult]::new(); $r.Environment = 'e'; $r.Check = 'Disk'; $r.Target = '/'
        $inodeBefore = (& stat -c %i $path)
        $r | Export-OpsPrometheusMetric -Path $path
        (& stat -c %i $path) | Should -Not -Be $inodeBefore -Because 'a rename puts a new file in place; an in-place rewrite would keep the inode'
        Get-Content $path -Raw | Should -Not -Match 'old content'
        @(Get-ChildItem $dir -Force).Name | Should -Be @('ops.prom')
    }

    It 'writes nothing under -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.prom'
        $r = [OpsRunbook.Core.Health.HealthCheckResult]::new(); $r.Environment = 'e'; $r.Check = 'Disk'; $r.Target = '/'
        $r | Export-OpsPrometheusMetric -Path $path -WhatIf
        Test-Path $path | Should -BeFalse
    }

    It 'passes results through with -PassThru' {
        $r = [OpsRunbook.Core.Health.HealthCheckResult]::new(); $r.Environment = 'e'; $r.Check = 'Disk'; $r.Target = '/'
        $out = $r | Export-OpsPrometheusMetric -Path (Join-Path $TestDrive 'pt.prom') -PassThru
        [object]::ReferenceEquals($out, $r) | Should -BeTrue
    }

    It 'fails with PrometheusDirectoryNotFound when the directory is missing' {
        $r = [OpsRunbook.Core.Health.HealthCheckResult]::new(); $r.Environment = 'e'; $r.Check = 'Disk'; $r.Target = '/'
        { $r | Export-OpsPrometheusMetric -Path (Join-Path $TestDrive 'no/such/dir.prom') -ErrorAction Stop } |
            Should -Throw -ErrorId 'PrometheusDirectoryNotFound,OpsRunbook.Commands.ExportOpsPrometheusMetricCommand'
    }
}

# A real Pushgateway (Debian prometheus-pushgateway), started with the sandbox (Start-SandboxFleet).
Describe 'Export-OpsPrometheusMetric -PushgatewayUrl' {
    BeforeAll {
        Assert-OpsSandbox
        $script:Pgw = (Get-OpsSandboxFleet).PushgatewayUrl
        function script:Get-PgwGroups { @((Invoke-RestMethod -TimeoutSec 10 -Uri "$script:Pgw/api/v1/metrics").data | Where-Object { $_.labels.job -eq 'opsrunbook-test' }) }
        function script:Remove-PgwGroups {
            # A group is deleted by its whole grouping key (job, instance and any other label), built as the module builds it.
            foreach ($g in Get-PgwGroups) {
                $labels = [System.Collections.Generic.List[System.Collections.Generic.KeyValuePair[string, string]]]::new()
                foreach ($l in $g.labels.PSObject.Properties | Where-Object Name -ne 'job') { $labels.Add([System.Collections.Generic.KeyValuePair[string, string]]::new($l.Name, [string]$l.Value)) }
                $null = Invoke-RestMethod -TimeoutSec 10 -Method Delete -Uri ([OpsRunbook.Core.Metrics.Pushgateway]::GroupUrl($script:Pgw, 'opsrunbook-test', $labels))
            }
            @(Get-PgwGroups).Count | Should -Be 0
        }
        function script:New-Result([string] $Target, [string] $Status = 'Healthy') {
            $r = [OpsRunbook.Core.Health.HealthCheckResult]::new()
            $r.Environment = 'production'; $r.Check = 'Disk'; $r.Target = $Target; $r.Status = $Status; $r.Value = 12.5; $r.Unit = '%'
            $r
        }
    }
    BeforeEach { Remove-PgwGroups }
    AfterAll { Remove-PgwGroups }
    It 'pushes the health results into the group job/instance, which the Pushgateway then serves' {
        $results = @(Get-OpsHealth -Check Disk, Database)
        $push = $results | Export-OpsPrometheusMetric -PushgatewayUrl $script:Pgw -Job opsrunbook-test -Instance web-1
        $push | Should -BeOfType ([OpsRunbook.Core.Metrics.PushgatewayPush])
        $push.Url | Should -Be "$script:Pgw/metrics/job/opsrunbook-test/instance/web-1"
        $push.Results | Should -Be $results.Count
        $push.StatusCode | Should -BeIn @(200, 202)
        $text = Invoke-RestMethod -TimeoutSec 10 -Uri "$script:Pgw/metrics"
        $lines = @($text -split "`n" | Where-Object { $_ -like 'opsrunbook_health_status{*' -and $_ -like '*job="opsrunbook-test"*' })
        $lines.Count | Should -Be $results.Count
        $lines | Should -Match 'instance="web-1"'
        $text | Should -Match 'opsrunbook_health_status\{check="Disk",environment="production",instance="web-1",job="opsrunbook-test",target="/"\} 0'
        $text | Should -Match 'opsrunbook_health_last_run_timestamp_seconds\{environment="production",instance="web-1",job="opsrunbook-test"\}'
    }

    It 'replaces the group on every push (PUT): the last run is what it holds' {
        @((New-Result '/a'), (New-Result '/b')) | Export-OpsPrometheusMetric -PushgatewayUrl $script:Pgw -Job opsrunbook-test -Instance web-2 | Out-Null
        New-Result '/a' 'Critical' | Export-OpsPrometheusMetric -PushgatewayUrl $script:Pgw -Job opsrunbook-test -Instance web-2 | Out-Null
        $text = Invoke-RestMethod -TimeoutSec 10 -Uri "$script:Pgw/metrics"
        $text | Should -Match 'opsrunbook_health_status\{check="Disk",environment="production",instance="web-2",job="opsrunbook-test",target="/a"\} 3'
        $text | Should -Not -Match 'instance="web-2",job="opsrunbook-test",target="/b"'
    }

    It 'defaults the instance to the host name, encodes awkward values and adds more grouping labels' {
        $push = New-Result '/' | Export-OpsPrometheusMetric -PushgatewayUrl $script:Pgw -Job opsrunbook-test
        $push.Instance | Should -Be ([Environment]::MachineName)
        $push = New-Result '/' | Export-OpsPrometheusMetric -PushgatewayUrl "$script:Pgw/" -Job opsrunbook-test -Instance 'rack 1/web 3' -GroupingLabel @{ site = 'fra1' }
        $push.Url | Should -Match '/metrics/job/opsrunbook-test/instance@base64/[A-Za-z0-9_-]+/site/fra1$'
        $g = Get-PgwGroups | Where-Object { $_.labels.instance -eq 'rack 1/web 3' }
        $g | Should -Not -BeNullOrEmpty
        $g.labels.site | Should -Be 'fra1'
    }

    It 'pushes nothing under -WhatIf' {
        New-Result '/' | Export-OpsPrometheusMetric -PushgatewayUrl $script:Pgw -Job opsrunbook-test -Instance whatif -WhatIf | Should -BeNullOrEmpty
        Get-PgwGroups | Where-Object { $_.labels.instance -eq 'whatif' } | Should -BeNullOrEmpty
    }

    It 'names the error: a Pushgateway that is not there, a bad URL, an error answer' {
        $closed = Get-OpsFreePort
        $sw = [Diagnostics.Stopwatch]::StartNew()
        { New-Result '/' | Export-OpsPrometheusMetric -PushgatewayUrl "http://127.0.0.1:$closed" -TimeoutSeconds 3 -ErrorAction Stop } |
            Should -Throw -ErrorId 'PushgatewayUnreachable,OpsRunbook.Commands.ExportOpsPrometheusMetricCommand'
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 10
        { New-Result '/' | Export-OpsPrometheusMetric -PushgatewayUrl 'pushgateway:9091' -ErrorAction Stop } |
            Should -Throw -ErrorId 'PushgatewayUrlInvalid,OpsRunbook.Commands.ExportOpsPrometheusMetricCommand'
        # A Pushgateway that answers with an error status (here 404: a path prefix it does not serve) is named, with its answer.
        { New-Result '/' | Export-OpsPrometheusMetric -PushgatewayUrl "$script:Pgw/not-here" -Job opsrunbook-test -Instance 'x' -ErrorAction Stop } |
            Should -Throw -ErrorId 'PushgatewayRejected,OpsRunbook.Commands.ExportOpsPrometheusMetricCommand'
    }
}
