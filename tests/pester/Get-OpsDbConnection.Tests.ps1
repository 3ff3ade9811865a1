BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Port = (Get-OpsSandbox).Ports.Postgres
    $script:App = "opsrb-test-get-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
    # Idle sessions of the app role, plus one in a transaction, held open by this process.
    $script:Held = @(1..3 | ForEach-Object { New-OpsNpgsqlConnection -Port $script:Port -User app -Password $env:APP_DB_PASSWORD -ApplicationName $script:App })
    $script:InTx = New-OpsNpgsqlConnection -Port $script:Port -User app -Password $env:APP_DB_PASSWORD -ApplicationName $script:App
    $null = Invoke-OpsNpgsql $script:InTx 'BEGIN; SELECT 1'
    Start-Sleep -Milliseconds 1200
}

AfterAll { $script:Held + $script:InTx | ForEach-Object { $_.Dispose() } }

Describe 'Get-OpsDbConnection' {
    It 'returns pg_stat_activity rows as objects with every field' {
        $rows = @(Get-OpsDbConnection -Application $script:App)
        $rows | Should -HaveCount 4
        $pids = $script:Held + $script:InTx | ForEach-Object ProcessID
        $rows.Pid | Sort-Object | Should -Be ($pids | Sort-Object)
        $r = $rows | Where-Object Pid -eq $script:Held[0].ProcessID
        $r.User | Should -Be 'app'
        $r.Database | Should -Be 'app'
        $r.State | Should -Be 'idle'
        $r.ClientAddress | Should -Be '127.0.0.1/32'
        $r.BackendType | Should -Be 'client backend'
        $r.IdleFor | Should -BeGreaterThan ([timespan]::FromSeconds(1))
        $r.StateChange | Should -BeOfType [DateTimeOffset]
        foreach ($p in 'Pid', 'User', 'Database', 'Application', 'ClientAddress', 'State', 'StateChange', 'IdleFor', 'QueryStart', 'Query', 'WaitEvent', 'BackendType') {
            $r.PSObject.Properties.Name | Should -Contain $p
        }
    }

    It 'filters by state, idle time, user and application' {
        @(Get-OpsDbConnection -Application $script:App -State idle) | Should -HaveCount 3
        @(Get-OpsDbConnection -Application $script:App -State 'idle in transaction').Pid | Should -Be $script:InTx.ProcessID
        @(Get-OpsDbConnection -Application $script:App -IdleLongerThan 00:00:01) | Should -HaveCount 4
        @(Get-OpsDbConnection -Application $script:App -IdleLongerThan 01:00:00) | Should -HaveCount 0
        @(Get-OpsDbConnection -Application $script:App -IdleLongerThan 1s) | Should -HaveCount 4 -Because "durations take the config syntax on the command line"
        @(Get-OpsDbConnection -Application $script:App -IdleLongerThan 1h) | Should -HaveCount 0
        @(Get-OpsDbConnection -Application $script:App -User ops) | Should -HaveCount 0
        @(Get-OpsDbConnection -User app -Application $script:App, 'nothing-else') | Should -HaveCount 4
    }

    It 'never returns its own session' {
        @(Get-OpsDbConnection -Application 'OpsRunbook connections') | Should -HaveCount 0
        @(Get-OpsDbConnection -IncludeBackground | Where-Object Application -eq 'OpsRunbook connections') | Should -HaveCount 0
    }

    It 'groups into connection hogs' {
        $g = Get-OpsDbConnection -Application $script:App | Group-Object User, Application
        $g.Count | Should -Be 4
        $g.Name | Should -Be "app, $script:App"
    }

    It 'lists background processes only with -IncludeBackground' {
        @(Get-OpsDbConnection | Where-Object BackendType -ne 'client backend') | Should -HaveCount 0
        @(Get-OpsDbConnection -IncludeBackground | Where-Object BackendType -ne 'client backend').Count | Should -BeGreaterThan 0
    }

    It 'fails with DbConnectFailed when PostgreSQL is down, and -ErrorAction Stop stops' {
        $port = Get-OpsFreePort
        $path = New-OpsTestConfig "environments:`n  production:`n    postgres: { host: 127.0.0.1, port: $port, database: app, username: ops, connectTimeoutSeconds: 2 }`n"
        { Get-OpsDbConnection -ConfigPath $path -ErrorAction Stop } | Should -Throw -ErrorId 'DbConnectFailed,OpsRunbook.Commands.GetOpsDbConnectionCommand'
    }
}

Describe 'PostgreSQL cmdlets keep secrets out of every stream' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OpsTestModule
    }

    It 'never shows the configured password or a -Credential password' {
        $canary = 'Canary-Pg-Pass-5521'
        $cred = [pscredential]::new('ops', (ConvertTo-SecureString $canary -AsPlainText -Force))
        $text = Invoke-OpsCaptureAll {
            Get-OpsDbConnection -IncludeBackground
            Get-OpsDbConnection -Credential $cred
            Stop-OpsDbConnection -Pid 999999 -Credential $cred -Force
            Invoke-DbMaintenance -Table users, 'nope' -Operation Analyze -WhatIf
            Get-OpsDbTable -Name users
            Get-OpsSlowQuery -Top 1
        }
        $text | Should -Match 'refused the login'
        $text | Should -Not -Match ([regex]::Escape($canary))
        $text | Should -Not -Match ([regex]::Escape($env:DB_PASSWORD))
    }
}
