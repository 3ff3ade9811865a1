<#
    Get-OpsSchedule and Export-OpsSchedule: the runbook's seven cron jobs, schedule: overrides, the cron.d file and
    systemd units checked by systemd-analyze verify, and a job run exactly as cron and systemd would run it.
    (The next-10-runs comparison of every cron line with systemd-analyze calendar is in the xUnit ScheduleTests.)
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Runbooks = Join-Path (Get-OpsRepoRoot) 'examples/runbooks'
    # A config whose production environment carries extra keys (inserted right under its first line).
    function script:New-ScheduleConfig([string] $Extra, [string] $Name = 'ops.yaml') {
        $text = (Get-OpsSandboxConfigText) -replace '(?m)^(  production: &production\r?\n)', "`$1$Extra`n"
        New-OpsTestConfig -Text $text -Name $Name
    }
    # pwsh as a server has it (/usr/local/bin/pwsh): an executable file that runs this pwsh.
    $script:Bin = Join-Path $TestDrive 'bin'; $null = New-Item -ItemType Directory -Force $script:Bin
    $script:Pwsh = Join-Path $script:Bin 'pwsh'
    Set-Content $script:Pwsh "#!/bin/sh`nexec '$([Environment]::ProcessPath)' '$(Join-Path $PSHOME 'pwsh.dll')' `"`$@`""
    & chmod +x $script:Pwsh
    # The root-only environment file of README "Install on a server", with the sandbox's secrets.
    function script:New-EnvFile([string] $ConfigPath) {
        $vars = Get-OpsSandboxEnvironment
        $vars['OPSRUNBOOK_CONFIG'] = $ConfigPath
        $vars['PSModulePath'] = Join-Path (Get-OpsRepoRoot) 'out'
        $vars['NO_COLOR'] = '1'
        $file = Join-Path $TestDrive "secrets-$([guid]::NewGuid().ToString('n')).env"
        Set-Content $file ($vars.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })
        & chmod 600 $file
        $file
    }
}

Describe 'Get-OpsSchedule' {
    It "returns the runbook's seven jobs, each run by a runbook script that exists" {
        $jobs = @(Get-OpsSchedule)
        $jobs.Name | Should -Be @('DatabaseBackup', 'LogRotation', 'UsageReport', 'CostTracking', 'HealthCheck', 'CertificateCheck', 'DbMaintenance')
        $jobs.Cron | Should -Be @('0 */6 * * *', '0 2 * * *', '0 6 * * *', '0 * * * *', '*/5 * * * *', '0 0 * * 0', '0 3 15 * *')
        foreach ($j in $jobs) {
            $j | Should -BeOfType ([OpsRunbook.Core.Operations.ScheduledJob])
            $j.RunbookPath | Should -Exist -Because "the installed module carries $($j.Command)"
            Join-Path $script:Runbooks $j.Command | Should -Exist
            $j.NextRun | Should -BeGreaterThan ([DateTimeOffset]::Now)
            $j.NextRun | Should -BeLessOrEqual ([DateTimeOffset]::Now.AddDays(31))
        }
        $health = $jobs | Where-Object Name -eq HealthCheck
        ($health.NextRun - [DateTimeOffset]::Now).TotalMinutes | Should -BeLessOrEqual 5
        $health.NextRun.Minute % 5 | Should -Be 0
    }

    It 'schedule: in the config overrides a job, drops one and adds one' {
        $cfg = New-ScheduleConfig @'
    schedule:
      - { name: HealthCheck, cron: '*/10 * * * *' }
      - { name: CostTracking, enabled: false }
      - { name: Nightly, cron: '30 1 * * *', runbook: /opt/x/Nightly.ps1, description: Nightly extra }
'@
        $jobs = @(Get-OpsSchedule -ConfigPath $cfg)
        $jobs.Name | Should -Not -Contain 'CostTracking'
        ($jobs | Where-Object Name -eq HealthCheck).Cron | Should -Be '*/10 * * * *'
        ($jobs | Where-Object Name -eq HealthCheck).Source | Should -Be 'config'
        ($jobs | Where-Object Name -eq Nightly).OnCalendar | Should -Be '*-*-* 01:30:00'
        @(Get-OpsSchedule -ConfigPath $cfg -Name 'Health*', Nightly).Name | Should -Be @('HealthCheck', 'Nightly')
    }

    It 'names what is wrong: an unknown job, and a cron line cron and systemd would read differently' {
        { Get-OpsSchedule -Name NoSuchJob -ErrorAction Stop } | Should -Throw -ErrorId 'ScheduleJobNotFound,*'
        $cfg = New-ScheduleConfig "    schedule: [ { name: HealthCheck, cron: '0 0 1 * mon' } ]" 'bad.yaml'
        $problems = @(Test-OpsConfig -Path $cfg)
        ($problems.Message -join "`n") | Should -Match 'both day-of-month'
    }
}

Describe 'Export-OpsSchedule' {
    It 'SystemdTimer: a .service and .timer per job that pass systemd-analyze verify, with the OnCalendar of the job' {
        $units = Join-Path $TestDrive 'units'
        $files = @(Export-OpsSchedule -Format SystemdTimer -Path $units -PwshPath $script:Pwsh -EnvironmentFile (New-EnvFile (Get-OpsSandbox).ConfigPath))
        $files.Count | Should -Be 14
        $files | ForEach-Object { $_.Written | Should -BeTrue; $_.Path | Should -Exist }
        $verify = & systemd-analyze verify @($files.Path) 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($verify -join "`n")
        foreach ($j in Get-OpsSchedule) {
            $timer = Get-Content ($files | Where-Object { $_.Job -eq $j.Name -and $_.Kind -eq 'timer' }).Path
            $timer | Should -Contain "OnCalendar=$($j.OnCalendar)"
            $service = Get-Content ($files | Where-Object { $_.Job -eq $j.Name -and $_.Kind -eq 'service' }).Path
            ($service | Where-Object { $_ -like 'ExecStart=*' }) | Should -BeLike "ExecStart=$script:Pwsh -NoProfile -NonInteractive -File $($j.RunbookPath) -Environment production*"
        }
    }

    It "SystemdTimer: the service's ExecStart runs its runbook as systemd would (clean environment + EnvironmentFile)" {
        $reports = Join-Path $TestDrive 'reports-systemd'
        $cfg = New-ScheduleConfig "    schedule: [ { name: UsageReport, arguments: '-OutputDirectory $reports' } ]" 'usage.yaml'
        $units = Join-Path $TestDrive 'units-usage'
        $files = @(Export-OpsSchedule -ConfigPath $cfg -Format SystemdTimer -Name UsageReport -Path $units -PwshPath $script:Pwsh -EnvironmentFile (New-EnvFile $cfg))
        $service = Get-Content ($files | Where-Object Kind -eq service).Path
        $envFile = ($service | Where-Object { $_ -like 'EnvironmentFile=*' }) -replace '^EnvironmentFile='
        $exec = ($service | Where-Object { $_ -like 'ExecStart=*' }) -replace '^ExecStart='
        $envArgs = @('-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin') + @(Get-Content $envFile)
        $out = & env @envArgs bash -c $exec 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        @(Get-ChildItem $reports -Filter 'usage-report-*.csv').Count | Should -Be 1
    }

    It 'Crontab: one cron.d line per job; a line runs its runbook as cron would (/bin/sh, minimal environment)' {
        $logs = Join-Path $TestDrive 'cronlogs'; $null = New-Item -ItemType Directory $logs
        Set-Content "$logs/old.log" 'yesterday'; (Get-Item "$logs/old.log").LastWriteTimeUtc = [DateTime]::UtcNow.AddDays(-2)
        $cfg = New-OpsTestConfig -Name 'cron.yaml' -Text ((Get-OpsSandboxConfigText) -replace "logs: \{ directory: '[^']*'", "logs: { directory: '$logs'")
        $cron = Join-Path $TestDrive 'cron.d'
        $file = Export-OpsSchedule -ConfigPath $cfg -Format Crontab -Path $cron -PwshPath $script:Pwsh -EnvironmentFile (New-EnvFile $cfg)
        $file.Path | Should -Be (Join-Path $cron 'opsrunbook')
        $lines = @(Get-Content $file.Path | Where-Object { $_ -match '^[^#A-Z\s]' })
        $lines.Count | Should -Be 7
        $line = $lines | Where-Object { $_ -like '*LogRotation.ps1*' }
        $line | Should -BeLike '0 2 * * * root set -a; . *; set +a; * -NoProfile -NonInteractive -File */LogRotation.ps1 -Environment production'
        $command = ($line -split '\s+', 7)[6]
        $out = & env -i SHELL=/bin/sh PATH=/usr/bin:/bin HOME=/root LOGNAME=root /bin/sh -c $command 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        "$logs/old.log.gz" | Should -Exist
        "$logs/old.log" | Should -Not -Exist
    }

    It '-WhatIf writes nothing; a missing runbook is RunbookNotFound' {
        $dir = Join-Path $TestDrive 'whatif'
        $r = @(Export-OpsSchedule -Format SystemdTimer -Path $dir -WhatIf)
        $r.Count | Should -Be 14
        $r.Written | Should -Not -Contain $true
        $dir | Should -Not -Exist
        $cfg = New-ScheduleConfig "    schedule: [ { name: Extra, cron: '@daily', runbook: /nonexistent/Extra.ps1 } ]" 'missing.yaml'
        { Export-OpsSchedule -ConfigPath $cfg -Format Crontab -Path $dir -ErrorAction Stop } | Should -Throw -ErrorId 'RunbookNotFound,*'
        $dir | Should -Not -Exist
    }
}
