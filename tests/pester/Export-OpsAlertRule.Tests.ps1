BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Add-Type -Path (Join-Path (Split-Path (Get-OpsModulePath)) 'Dependencies/YamlDotNet.dll') -ErrorAction Ignore
    $script:Dir = Join-Path $TestDrive 'rules'; $null = New-Item -ItemType Directory $script:Dir
    $script:Rules = Join-Path $script:Dir 'rules.yml'
    Export-OpsAlertRule -Path $script:Rules -ConfigPath (Get-OpsSandbox).ConfigPath
    $script:Doc = [YamlDotNet.Serialization.DeserializerBuilder]::new().Build().Deserialize((Get-Content $script:Rules -Raw))
    $script:AllRules = @($script:Doc['groups'] | ForEach-Object { $_['rules'] })
    function Get-Rule([string] $Alert) { $script:AllRules | Where-Object { $_['alert'] -eq $Alert } }
    function Get-Annotations([string] $Alert, [hashtable] $Labels = @{}) {
        # The rule's annotations with {{ $labels.x }} expanded, as Prometheus sends them.
        $a = [ordered]@{}
        foreach ($k in (Get-Rule $Alert)['annotations'].Keys) {
            $v = (Get-Rule $Alert)['annotations'][$k]
            foreach ($l in $Labels.Keys) { $v = $v.Replace("{{ `$labels.$l }}", $Labels[$l]) }
            $a[$k] = $v
        }
        $a
    }
    function Invoke-Promtool([string[]] $Arguments) {
        $out = & promtool @Arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($out | Out-String) }
    }
    function Test-Rules([string] $Name, [object[]] $Tests) {
        # A promtool unit-test file (JSON is YAML) next to the rules; promtool is the oracle.
        $file = Join-Path $script:Dir "$Name.test.yml"
        [ordered]@{ rule_files = @('rules.yml'); evaluation_interval = '1m'; tests = $Tests } | ConvertTo-Json -Depth 20 | Set-Content $file
        Invoke-Promtool @('test', 'rules', $file)
    }
    function Alert([hashtable] $Labels, [string] $Name) { @{ exp_labels = $Labels; exp_annotations = (Get-Annotations $Name $Labels) } }
}

Describe 'Export-OpsAlertRule' {
    It 'writes a file promtool check rules accepts' {
        $r = Invoke-Promtool @('check', 'rules', $script:Rules)
        $r.Output | Should -Match 'SUCCESS'
        $r.ExitCode | Should -Be 0 -Because $r.Output
        @($script:Doc['groups']).Count | Should -Be 4
    }

    It 'carries the runbook''s response steps as the runbook annotation of each of the three alerts' {
        (Get-Rule HighCpuUsage)['annotations']['runbook'] | Should -Match 'top -b -n 1'
        (Get-Rule HighCpuUsage)['annotations']['runbook'] | Should -Match 'pg_stat_activity'
        (Get-Rule HighCpuUsage)['for'] | Should -Be '5m'
        (Get-Rule HighCpuUsage)['expr'] | Should -Match '> 80$'
        (Get-Rule HighMemoryUsage)['annotations']['runbook'] | Should -Match 'ps aux --sort=-%mem'
        (Get-Rule HighMemoryUsage)['expr'] | Should -Match '> 90$'
        (Get-Rule QueueDepthHigh)['annotations']['runbook'] | Should -Match 'queues/failed'
        (Get-Rule QueueDepthHigh)['expr'] | Should -Match '> 1000$'
        (Get-Rule QueueDepthHigh)['annotations']['next'] | Should -Be 'Get-OpsHealth -Check Queue'
    }

    It 'has SLI recording rules for every workbook window and the KPI recording rules' {
        $records = @($script:AllRules | ForEach-Object { $_['record'] } | Where-Object { $_ })
        foreach ($w in '5m', '30m', '1h', '2h', '6h', '1d', '3d') {
            $records | Should -Contain "opsrunbook:slo_availability_errors:ratio_rate$w"
            $records | Should -Contain "opsrunbook:slo_latency_errors:ratio_rate$w"
        }
        $records | Should -Contain 'opsrunbook:kpi_p95_seconds:rate5m'
        $records | Should -Contain 'opsrunbook:kpi_availability:ratio_avg30d'
        (Get-Rule ApiAvailabilityErrorBudgetBurnFast)['expr'] | Should -Match 'ratio_rate1h > 0.0144 and opsrunbook:slo_availability_errors:ratio_rate5m > 0.0144'
        (Get-Rule ApiAvailabilityErrorBudgetBurnFast)['expr'] | Should -Match 'ratio_rate6h > 0.006 and .*ratio_rate30m > 0.006'
        (Get-Rule ApiAvailabilityErrorBudgetBurnSlow)['expr'] | Should -Match 'ratio_rate1d > 0.003 and .*ratio_rate2h > 0.003'
        (Get-Rule ApiAvailabilityErrorBudgetBurnSlow)['expr'] | Should -Match 'ratio_rate3d > 0.001 and .*ratio_rate6h > 0.001'
        (Get-Rule ApiLatencyErrorBudgetBurnFast)['expr'] | Should -Match 'ratio_rate1h > 0.72 and'
    }

    It 'HighCpuUsage fires after 5 minutes above 80% and not before (promtool test rules)' {
        $labels = @{ instance = 'a:9100'; severity = 'warning'; source = 'runbook' }
        $r = Test-Rules cpu @(@{
                interval = '1m'
                input_series = @(@{ series = 'node_cpu_seconds_total{cpu="0",mode="idle",instance="a:9100"}'; values = '0+6x30' })  # 10% idle
                alert_rule_test = @(
                    @{ eval_time = '4m'; alertname = 'HighCpuUsage'; exp_alerts = @() }
                    @{ eval_time = '10m'; alertname = 'HighCpuUsage'; exp_alerts = @(Alert $labels HighCpuUsage) })
            })
        $r.ExitCode | Should -Be 0 -Because $r.Output
    }

    It 'HighCpuUsage does NOT fire at 50% CPU (promtool test rules)' {
        $r = Test-Rules cpu-quiet @(@{
                interval = '1m'
                input_series = @(@{ series = 'node_cpu_seconds_total{cpu="0",mode="idle",instance="a:9100"}'; values = '0+30x30' })  # 50% idle
                alert_rule_test = @(@{ eval_time = '20m'; alertname = 'HighCpuUsage'; exp_alerts = @() })
            })
        $r.ExitCode | Should -Be 0 -Because $r.Output
    }

    It 'HighMemoryUsage fires at 95% used and not at 85% (promtool test rules)' {
        $labels = @{ instance = 'a:9100'; severity = 'warning'; source = 'runbook' }
        $r = Test-Rules memory @(
            @{
                interval = '1m'
                input_series = @(
                    @{ series = 'node_memory_MemTotal_bytes{instance="a:9100"}'; values = '1000x10' }
                    @{ series = 'node_memory_MemAvailable_bytes{instance="a:9100"}'; values = '50x10' })
                alert_rule_test = @(@{ eval_time = '5m'; alertname = 'HighMemoryUsage'; exp_alerts = @(Alert $labels HighMemoryUsage) })
            }
            @{
                interval = '1m'
                input_series = @(
                    @{ series = 'node_memory_MemTotal_bytes{instance="a:9100"}'; values = '1000x10' }
                    @{ series = 'node_memory_MemAvailable_bytes{instance="a:9100"}'; values = '150x10' })
                alert_rule_test = @(@{ eval_time = '5m'; alertname = 'HighMemoryUsage'; exp_alerts = @() })
            })
        $r.ExitCode | Should -Be 0 -Because $r.Output
    }

    It 'QueueDepthHigh fires on a backlog held for 5 minutes, not on a short spike (promtool test rules)' {
        $labels = @{ environment = 'production'; target = 'media-processing'; severity = 'warning'; source = 'runbook' }
        $r = Test-Rules queue @(@{
                interval = '1m'
                input_series = @(
                    @{ series = 'opsrunbook_health_value{check="Queue",environment="production",target="media-processing",unit="jobs waiting"}'; values = '1500x12' }
                    @{ series = 'opsrunbook_health_value{check="Queue",environment="production",target="embeddings",unit="jobs waiting"}'; values = '5000 5000 5000 10x9' })
                alert_rule_test = @(
                    @{ eval_time = '3m'; alertname = 'QueueDepthHigh'; exp_alerts = @() }
                    @{ eval_time = '10m'; alertname = 'QueueDepthHigh'; exp_alerts = @(Alert $labels QueueDepthHigh) })
            })
        $r.ExitCode | Should -Be 0 -Because $r.Output
    }

    It 'pages on a fast availability burn (5% errors) and opens only a ticket on a slow one (0.2%) (promtool test rules)' {
        $page = @{ slo = 'availability'; severity = 'page'; source = 'slo' }
        $ticket = @{ slo = 'availability'; severity = 'ticket'; source = 'slo' }
        $r = Test-Rules availability @(
            @{
                interval = '1m'
                input_series = @(
                    @{ series = 'http_request_duration_seconds_count{route="/api/search",method="GET",status="200"}'; values = '0+5700x60' }
                    @{ series = 'http_request_duration_seconds_count{route="/api/search",method="GET",status="500"}'; values = '0+300x60' })
                alert_rule_test = @(@{ eval_time = '15m'; alertname = 'ApiAvailabilityErrorBudgetBurnFast'; exp_alerts = @(Alert $page ApiAvailabilityErrorBudgetBurnFast) })
            }
            @{
                interval = '1m'
                input_series = @(
                    @{ series = 'http_request_duration_seconds_count{route="/api/search",method="GET",status="200"}'; values = '0+5988x60' }
                    @{ series = 'http_request_duration_seconds_count{route="/api/search",method="GET",status="500"}'; values = '0+12x60' })
                alert_rule_test = @(
                    @{ eval_time = '30m'; alertname = 'ApiAvailabilityErrorBudgetBurnFast'; exp_alerts = @() }
                    @{ eval_time = '30m'; alertname = 'ApiAvailabilityErrorBudgetBurnSlow'; exp_alerts = @(Alert $ticket ApiAvailabilityErrorBudgetBurnSlow) })
            })
        $r.ExitCode | Should -Be 0 -Because $r.Output
    }

    It 'pages on a latency burn (half the requests over 500 ms) (promtool test rules)' {
        $page = @{ slo = 'latency'; severity = 'page'; source = 'slo' }
        $r = Test-Rules latency @(@{
                interval = '1m'
                input_series = @(
                    @{ series = 'http_request_duration_seconds_bucket{route="/api/search",method="GET",status="200",le="0.5"}'; values = '0+3000x60' }
                    @{ series = 'http_request_duration_seconds_bucket{route="/api/search",method="GET",status="200",le="+Inf"}'; values = '0+6000x60' }
                    @{ series = 'http_request_duration_seconds_count{route="/api/search",method="GET",status="200"}'; values = '0+6000x60' })
                alert_rule_test = @(
                    @{ eval_time = '15m'; alertname = 'ApiLatencyErrorBudgetBurnFast'; exp_alerts = @(Alert $page ApiLatencyErrorBudgetBurnFast) }
                    @{ eval_time = '15m'; alertname = 'ApiAvailabilityErrorBudgetBurnFast'; exp_alerts = @() })
            })
        $r.ExitCode | Should -Be 0 -Because $r.Output
    }

    It 'takes its targets from kpi: and thresholds: in the config' {
        $cfg = New-OpsTestConfig -Text "defaultEnvironment: t`nenvironments:`n  t:`n    kpi: { uptimePercent: 99.5 }`n    thresholds: { queueDepthWarn: 250 }`n"
        $out = Join-Path $TestDrive 'custom.yml'
        Export-OpsAlertRule -Path $out -ConfigPath $cfg -Selector 'job="api"'
        $text = Get-Content $out -Raw
        $text | Should -Match 'ratio_rate1h > 0.072 '
        $text | Should -Match '> 250'
        $text | Should -Match 'http_request_duration_seconds_count\{job="api"\}'
        (Invoke-Promtool @('check', 'rules', $out)).ExitCode | Should -Be 0
    }

    It 'does not overwrite without -Force, and -WhatIf writes nothing' {
        { Export-OpsAlertRule -Path $script:Rules -ErrorAction Stop } | Should -Throw -ErrorId 'RulesFileExists*'
        $new = Join-Path $TestDrive 'whatif.yml'
        Export-OpsAlertRule -Path $new -WhatIf
        Test-Path $new | Should -BeFalse
        (Export-OpsAlertRule -Path $script:Rules -Force -PassThru).FullName | Should -Be $script:Rules
    }
}
