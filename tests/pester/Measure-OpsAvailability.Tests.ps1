BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $script:Config = New-OpsTestConfig -Text "defaultEnvironment: t`nenvironments:`n  t:`n    disk: { paths: [ / ] }`n    state: { path: '$(Join-Path $TestDrive 'state.db')' }`n"
    # 2 days of 5-minute samples ending now: api down for 30 minutes 1 day ago, web always up, then web silent for the last hour.
    $until = [DateTimeOffset]::new([DateTimeOffset]::UtcNow.Year, 1, 1, 0, 0, 0, [TimeSpan]::Zero).AddDays(200)
    $script:Until = $until
    $since = $until.AddDays(-2)
    $script:Since = $since
    $rows = for ($m = 0; $m -lt 2880; $m += 5) {
        $at = $since.AddMinutes($m)
        $down = $m -ge 1440 -and $m -lt 1470
        [OpsRunbook.Core.Health.HealthCheckResult]@{ Environment = 't'; Check = 'Service'; Target = 'api'; Status = $(if ($down) { 'Critical' } else { 'Healthy' }); Timestamp = $at }
        if ($m -lt 2820) { [OpsRunbook.Core.Health.HealthCheckResult]@{ Environment = 't'; Check = 'Service'; Target = 'web'; Status = 'Warning'; Timestamp = $at } }
    }
    $rows | Save-OpsHealth -ConfigPath $script:Config
}

Describe 'Measure-OpsAvailability' {
    It 'returns time-weighted availability, downtime and the longest outage per target' {
        $r = Measure-OpsAvailability -ConfigPath $script:Config -Since $script:Since -Until $script:Until
        $r.Count | Should -Be 2
        $api = $r | Where-Object Target -eq 'api'
        $api | Should -BeOfType OpsRunbook.Core.Health.AvailabilityResult
        $api.Samples | Should -Be 576
        $api.DowntimeMinutes | Should -Be 30
        $api.Availability | Should -Be (1 - 30 / 2880)
        $api.LongestOutage | Should -Be ([TimeSpan]::FromMinutes(30))
        $api.LongestOutageStart | Should -Be $script:Since.AddMinutes(1440)
        $api.LongestOutageEnd | Should -Be $script:Since.AddMinutes(1470)
        $web = $r | Where-Object Target -eq 'web'
        $web.UnknownMinutes | Should -Be 60 -Because 'the last sample is 65 minutes before the end: it stands for one interval, 60 minutes are Unknown'
        $web.Availability | Should -Be ((2880 - 60) / 2880)
        $web.DowntimeMinutes | Should -Be 0 -Because 'Warning is up'
    }

    It 'filters by target and shows a table' {
        $r = Measure-OpsAvailability -ConfigPath $script:Config -Since $script:Since -Until $script:Until -Target 'we*'
        $r.Target | Should -Be 'web'
        ($r | Out-String) | Should -Match 'web\s+97\.917 %'
    }

    It 'takes -Since 2d as typed (PowerShell reads an unquoted 2d as a number)' {
        @(Measure-OpsAvailability -ConfigPath $script:Config -Since 2d -Target none).Count | Should -Be 0
        (Measure-OpsAvailability -ConfigPath $script:Config -Since $script:Since -Until $script:Until -Target api -Interval 5s).Interval | Should -Be ([TimeSpan]::FromSeconds(5))
    }

    It 'feeds Export-OpsPrometheusMetric: opsrunbook_availability_ratio{check,target,window}, valid for promtool' {
        $prom = Join-Path $TestDrive 'a.prom'
        $a = Measure-OpsAvailability -ConfigPath $script:Config -Since $script:Since -Until $script:Until
        [OpsRunbook.Core.Health.HealthCheckResult]@{ Environment = 't'; Check = 'Disk'; Target = '/'; Status = 'Healthy'; Timestamp = $script:Until } |
            Export-OpsPrometheusMetric -Path $prom -Availability $a
        $text = Get-Content $prom -Raw
        $text | Should -Match ('opsrunbook_availability_ratio\{environment="t",check="Service",target="api",window="2d"\} ' + [regex]::Escape((1 - 30 / 2880).ToString('R', [cultureinfo]::InvariantCulture)))
        $text | Should -Match 'opsrunbook_health_status\{environment="t",check="Disk",target="/"\} 0'
        $check = $text | & promtool check metrics 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($check -join "`n")
    }

    It 'returns nothing for a window without samples' {
        @(Measure-OpsAvailability -ConfigPath $script:Config -Since $script:Until.AddDays(1) -Until $script:Until.AddDays(2)).Count | Should -Be 0
    }
}
