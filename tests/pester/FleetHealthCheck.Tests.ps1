# SSH remoting across the sandbox's two hosts (two real sshd instances, tests/sandbox/Sandbox.psm1 Start-SandboxFleet,
# each with its own host name ops-host-a / ops-host-b and OpsRunbook in its own module path) and the fleet runbook.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Fleet = Install-OpsFleetModule
    $script:Ssh = @{ KeyFilePath = $script:Fleet.KeyFilePath; Options = $script:Fleet.SshOptions }
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $script:Remote = @(Invoke-Command -HostName $script:Fleet.HostName @script:Ssh -ScriptBlock { Get-OpsHealth -TimeoutSeconds 10 })
    $script:RemoteMs = $sw.ElapsedMilliseconds
    $script:Local = @(Get-OpsHealth -TimeoutSeconds 10)
    $script:Runbook = Join-Path (Get-OpsRepoRoot) 'examples/runbooks/FleetHealthCheck.ps1'
}

Describe 'Invoke-Command -HostName h1,h2 -ScriptBlock { Get-OpsHealth }' {
    It 'runs the health check on both hosts, each row naming its host' {
        Write-Host "    two hosts over SSH: $($script:Remote.Count) results in $($script:RemoteMs) ms (local run: $($script:Local.Count))"
        $script:Remote.Count | Should -Be (2 * $script:Local.Count)
        $groups = $script:Remote | Group-Object ComputerName | Sort-Object Name
        $groups.Name | Should -Be @('ops-host-a', 'ops-host-b')
        @($groups | ForEach-Object Count) | Should -Be @($script:Local.Count, $script:Local.Count)
        $script:Remote[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.OpsRunbook.Core.Health.HealthCheckResult'
        $script:Local[0].ComputerName | Should -Be ([Environment]::MachineName)
    }

    It 'formats with the module''s table view, as a local run does' {
        $remoteText = $script:Remote | Sort-Object ComputerName, Check, Target | Format-Table -ShowError | Out-String -Width 250
        $localText = $script:Local | Format-Table -ShowError | Out-String -Width 250
        $header = { param($t) ($t -split "`n" | Where-Object { $_ -match '\S' })[0].Trim() }
        (& $header $remoteText) | Should -Match '^Status\s+Check\s+Target\s+Value\s+Ms\s+Message'
        (& $header $remoteText) | Should -BeLike "$((& $header $localText))*" -Because 'the view matches Deserialized.OpsRunbook.Core.Health.HealthCheckResult'
        (& $header $remoteText) | Should -Match 'PSComputerName$' -Because 'remoting adds the host it asked, as for any command'
        $remoteText | Should -Not -Match '#ERR|Exception' -Because 'no script block of the view fails on a deserialised object'
        $remoteText | Should -Match '\d+(\.\d+)? %' -Because 'Value shows with its unit (the view''s FormatValue works without the object''s methods)'
    }

    It 'goes into Export-Csv with the local run''s columns (plus remoting''s own PSComputerName, RunspaceId, PSShowComputerName)' {
        $remoteCsv = Join-Path $TestDrive 'remote.csv'; $localCsv = Join-Path $TestDrive 'local.csv'
        $script:Remote | Export-Csv $remoteCsv
        $script:Local | Export-Csv $localCsv
        $local = (Import-Csv $localCsv)[0].PSObject.Properties.Name
        $remote = (Import-Csv $remoteCsv)[0].PSObject.Properties.Name
        $remote | Where-Object { $_ -notin 'PSComputerName', 'RunspaceId', 'PSShowComputerName' } | Should -Be $local
        $local | Should -Contain 'ComputerName'
        (Import-Csv $remoteCsv)[0].Timestamp | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d' -Because 'timestamps stay ISO 8601'
        $script:Remote | Select-Object * -ExcludeProperty PSComputerName, RunspaceId, PSShowComputerName | Export-Csv (Join-Path $TestDrive 'plain.csv')
        (Import-Csv (Join-Path $TestDrive 'plain.csv'))[0].PSObject.Properties.Name | Should -Be $local
    }

    It 'becomes real HealthCheckResults again with a cast: Status sorts by severity, the same CSV as a local run' {
        $real = [OpsRunbook.Core.Health.HealthCheckResult[]]$script:Remote
        $real[0] | Should -BeOfType ([OpsRunbook.Core.Health.HealthCheckResult])
        ($real | Sort-Object Status -Descending)[0].Status | Should -Be (($real.Status | Measure-Object -Maximum).Maximum)
        $real | Export-Csv (Join-Path $TestDrive 'real.csv')
        $script:Local | Export-Csv (Join-Path $TestDrive 'local2.csv')
        (Get-Content (Join-Path $TestDrive 'real.csv'))[0] | Should -Be (Get-Content (Join-Path $TestDrive 'local2.csv'))[0]
        $a = $real | Where-Object { $_.ComputerName -eq 'ops-host-a' -and $_.Check -eq 'Disk' } | Select-Object -First 1
        $a.Timestamp | Should -BeOfType ([DateTimeOffset])
        $a.Value | Should -BeGreaterThan 0
        ($real | Group-Object ComputerName).Count | Should -Be 2
    }

    It 'sorts and groups the deserialised rows by their properties' {
        $byHost = $script:Remote | Sort-Object ComputerName, Check | Group-Object ComputerName, Check
        ($byHost | Where-Object Name -eq 'ops-host-b, Disk').Count | Should -BeGreaterThan 0
        ($script:Remote | Sort-Object DurationMs -Descending)[0].DurationMs | Should -Be (($script:Remote.DurationMs | Measure-Object -Maximum).Maximum)
    }
}

Describe 'examples/runbooks/FleetHealthCheck.ps1' {
    It 'checks both hosts in parallel and reports an unreachable one as an Unknown row, not a failed script' {
        # A port in the sandbox's block where nothing listens (the Tls* stand-ins are started by their own tests only).
        $dead = "root@127.0.0.1:$((Get-OpsSandbox).Ports.TlsSelfSigned)"
        $csv = Join-Path $TestDrive 'fleet.csv'
        $hosts = (@($script:Fleet.HostName) + $dead | ForEach-Object { "'$_'" }) -join ','
        $opts = ($script:Fleet.SshOptions.GetEnumerator() | ForEach-Object { "$($_.Key) = '$($_.Value)'" }) -join '; '
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $r = Invoke-OpsChildPwsh -TimeoutSeconds 240 -Script "& '$script:Runbook' -HostName $hosts -KeyFilePath '$($script:Fleet.KeyFilePath)' -SshOptions @{ $opts } -ThrottleLimit 3 -TimeoutSeconds 10 -ConnectTimeoutSeconds 5 -HostTimeoutSeconds 90 -CsvPath '$csv' -ModulePath '$(Get-OpsModulePath)'; exit `$LASTEXITCODE"
        Write-Host "    FleetHealthCheck.ps1, 2 hosts + 1 unreachable, -ThrottleLimit 3: $($sw.ElapsedMilliseconds) ms (exit $($r.ExitCode))"
        $r.StdErr | Should -BeNullOrEmpty
        $rows = @(Import-Csv $csv)
        $worst = [int]($rows | ForEach-Object { [int][OpsRunbook.Core.Health.HealthStatus]$_.Status } | Measure-Object -Maximum).Maximum
        $r.ExitCode | Should -Be ([OpsRunbook.Core.Health.NagiosPlugin]::ExitCode([OpsRunbook.Core.Health.HealthStatus]$worst)) -Because "the worst row decides (Nagios codes): $($r.StdOut)"
        $r.ExitCode | Should -BeIn @(1, 2, 3) -Because 'at least the unreachable host is Unknown'
        $r.StdOut | Should -Match 'FLEET (UNKNOWN|WARNING|CRITICAL) - 3 host\(s\), 1 unreachable: \d+ critical, \d+ warning, [1-9]\d* unknown'
        $unknown = @($rows | Where-Object Check -eq 'Host')
        $unknown.Count | Should -Be 1
        $unknown[0].Status | Should -Be 'Unknown'
        $unknown[0].Target | Should -Be $dead
        $unknown[0].Message | Should -Match 'Cannot run the health check on'
        ($rows | Where-Object Check -ne 'Host' | Group-Object ComputerName).Name | Sort-Object | Should -Be @('ops-host-a', 'ops-host-b')
        $rows[0].Status | Should -BeIn @('Critical', 'Unknown', 'Warning') -Because 'worst first'
        $script:Local | Export-Csv (Join-Path $TestDrive 'local-columns.csv')
        (Get-Content $csv)[0] | Should -Be ((Get-Content (Join-Path $TestDrive 'local-columns.csv'))[0]) -Because 'the same columns as a local run'
    }

    It 'exits 0 when every host is Healthy (-Check Disk), and prints the rows with the module''s view' {
        $hosts = ($script:Fleet.HostName | ForEach-Object { "'$_'" }) -join ','
        $opts = ($script:Fleet.SshOptions.GetEnumerator() | ForEach-Object { "$($_.Key) = '$($_.Value)'" }) -join '; '
        $r = Invoke-OpsChildPwsh -TimeoutSeconds 180 -Script "& '$script:Runbook' -HostName $hosts -KeyFilePath '$($script:Fleet.KeyFilePath)' -SshOptions @{ $opts } -Check Disk -Environment production -ModulePath '$(Get-OpsModulePath)'; exit `$LASTEXITCODE"
        $r.StdErr | Should -BeNullOrEmpty
        $r.StdOut | Should -Match 'Status\s+Check\s+Target'
        $r.StdOut | Should -Match 'Healthy\s+Disk\s+/'
        $r.StdOut | Should -Match 'FLEET OK - 2 host\(s\), 0 unreachable: 0 critical, 0 warning, 0 unknown of 2 checks'
        $r.ExitCode | Should -Be 0
    }
}
