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
