# Prometheus for the fleet: the sandbox's real Prometheus (Debian prometheus, started by Start-SandboxMetrics) scrapes
# two node_exporter textfile collectors (Debian prometheus-node-exporter, one per SSH host, instance ops-host-a/-b) and
# a real Pushgateway (Debian prometheus-pushgateway, honor_labels). The hosts write their .prom files over SSH, the
# fleet runbook pushes, and PromQL over Prometheus's HTTP API gives each host's health status.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Fleet = Install-OpsFleetModule
    $script:Ssh = @{ KeyFilePath = $script:Fleet.KeyFilePath; Options = $script:Fleet.SshOptions }
    $script:Prom = $script:Fleet.PrometheusUrl
    function script:Invoke-PromQL([string] $Query) {
        $r = Invoke-RestMethod -TimeoutSec 10 -Uri "$script:Prom/api/v1/query" -Body @{ query = $Query }
        $r.status | Should -Be 'success'
        @($r.data.result)
    }
    function script:Wait-PromQL([string] $Query, [int] $Count, [int] $TimeoutSeconds = 60) {
        # Bounded: Prometheus scrapes every second; a minute without the series is a failure with the last answer.
        $deadline = (Get-Date).AddSeconds($TimeoutSeconds)
        do {
            $rows = Invoke-PromQL $Query
            if ($rows.Count -ge $Count) { return $rows }
            Start-Sleep -Milliseconds 500
        } until ((Get-Date) -gt $deadline)
        throw "Prometheus gave $($rows.Count) series for '$Query' within $TimeoutSeconds s, expected $Count."
    }
    # Each host writes its own textfile, where its node_exporter reads it (as DailyHealthCheck.ps1 -PrometheusPath does).
    $script:Written = @{}
    $script:WrittenAfter = [math]::Floor([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1000)
    foreach ($h in $script:Fleet.Hosts) {
        $path = Join-Path $h.TextfileDirectory 'opsrunbook.prom'
        $rows = @(Invoke-Command -HostName $h.HostName @script:Ssh -ArgumentList $path -ScriptBlock {
                param($path) Get-OpsHealth -TimeoutSeconds 10 | Export-OpsPrometheusMetric -Path $path -PassThru })
        $script:Written[$h.Name] = [OpsRunbook.Core.Health.HealthCheckResult[]]$rows
    }
}

Describe 'Prometheus scraping the fleet' {
    It 'gives the health status of both hosts from their node_exporter textfiles (PromQL over the HTTP API)' {
        # Until Prometheus has scraped the files just written (their last-run stamp), not an older run's.
        $null = Wait-PromQL "opsrunbook_health_last_run_timestamp_seconds{job=`"node`"} >= $script:WrittenAfter" 2
        $rows = Wait-PromQL 'max by (instance) (opsrunbook_health_status{job="node"})' 2
        ($rows.metric.instance | Sort-Object) | Should -Be @('ops-host-a', 'ops-host-b')
        foreach ($r in $rows) {
            $expected = [int](($script:Written[$r.metric.instance].Status | Measure-Object -Maximum).Maximum)
            [int]$r.value[1] | Should -Be $expected -Because "the worst status $($r.metric.instance) wrote"
        }
        $n = Invoke-PromQL 'count by (instance) (opsrunbook_health_status{job="node"})'
        foreach ($r in $n) { [int]$r.value[1] | Should -Be $script:Written[$r.metric.instance].Count }
    }

    It 'gives it from the Pushgateway too, after FleetHealthCheck.ps1 -PushgatewayUrl (job opsrunbook, instance = the host)' {
        $runbook = Join-Path (Get-OpsRepoRoot) 'examples/runbooks/FleetHealthCheck.ps1'
        $hosts = ($script:Fleet.HostName | ForEach-Object { "'$_'" }) -join ','
        $opts = ($script:Fleet.SshOptions.GetEnumerator() | ForEach-Object { "$($_.Key) = '$($_.Value)'" }) -join '; '
        $csv = Join-Path $TestDrive 'fleet.csv'
        $r = Invoke-OpsChildPwsh -TimeoutSeconds 180 -Script "& '$runbook' -HostName $hosts -KeyFilePath '$($script:Fleet.KeyFilePath)' -SshOptions @{ $opts } -TimeoutSeconds 10 -CsvPath '$csv' -PushgatewayUrl '$($script:Fleet.PushgatewayUrl)' -ModulePath '$(Get-OpsModulePath)'; exit `$LASTEXITCODE"
        $r.StdErr | Should -BeNullOrEmpty
        $pushed = Import-Csv $csv
        $null = Wait-PromQL "opsrunbook_health_last_run_timestamp_seconds{job=`"opsrunbook`"} >= $script:WrittenAfter" 2
        $rows = Wait-PromQL 'max by (instance) (opsrunbook_health_status{job="opsrunbook"})' 2
        ($rows.metric.instance | Sort-Object) | Should -Be @('ops-host-a', 'ops-host-b')
        foreach ($row in $rows) {
            $mine = $pushed | Where-Object ComputerName -eq $row.metric.instance
            $worst = ($mine | ForEach-Object { [int][OpsRunbook.Core.Health.HealthStatus]$_.Status } | Measure-Object -Maximum).Maximum
            [int]$row.value[1] | Should -Be $worst
        }
        # The numbers behind the results came through remoting too (opsrunbook_health_detail), as a textfile has them.
        $detail = Wait-PromQL 'count by (instance) (opsrunbook_health_detail{job="opsrunbook",check="Disk",name="used_percent"})' 2
        ($detail.metric.instance | Sort-Object) | Should -Be @('ops-host-a', 'ops-host-b')
        # The Pushgateway's own record of the groups: one per host, under job opsrunbook.
        $groups = (Invoke-RestMethod -TimeoutSec 10 -Uri "$($script:Fleet.PushgatewayUrl)/api/v1/metrics").data
        @($groups | Where-Object { $_.labels.job -eq 'opsrunbook' }).labels.instance | Sort-Object | Should -Be @('ops-host-a', 'ops-host-b')
    }

    It 'loads the alert rules of Export-OpsAlertRule without errors (/api/v1/rules after a reload)' {
        $dir = Join-Path (Get-OpsSandbox).Directory 'prometheus/rules'
        $file = Join-Path $dir 'opsrunbook.yml'
        Export-OpsAlertRule -Path $file
        & promtool check rules $file 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        try {
            $procId = [int](Get-Content (Join-Path (Get-OpsSandbox).Directory 'prometheus/prometheus.pid') -Raw).Trim()
            & kill -HUP $procId
            $expected = @((Get-Content $file) | Where-Object { $_ -match '^\s+- (alert|record):' }).Count
            $deadline = (Get-Date).AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 500
                $rules = @((Invoke-RestMethod -TimeoutSec 10 -Uri "$script:Prom/api/v1/rules").data.groups.rules)
                $evaluated = @($rules | Where-Object health -eq 'ok')
            } until (($rules.Count -ge $expected -and $evaluated.Count -eq $rules.Count) -or (Get-Date) -gt $deadline)
            $rules.Count | Should -Be $expected -Because 'every rule of the file is loaded'
            @($rules | Where-Object health -ne 'ok' | ForEach-Object { "$($_.name): $($_.health) $($_.lastError)" }) | Should -BeNullOrEmpty
            $alerts = @($rules | Where-Object type -eq 'alerting').name
            $alerts | Should -Contain 'HighCpuUsage'
        }
        finally {
            Remove-Item $file -ErrorAction Ignore
            & kill -HUP $procId
        }
    }
}
