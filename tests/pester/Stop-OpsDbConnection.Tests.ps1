BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Port = (Get-OpsSandbox).Ports.Postgres
    function script:Hold([int] $Count, [string] $App) {
        @(1..$Count | ForEach-Object { New-OpsNpgsqlConnection -Port $script:Port -User app -Password $env:APP_DB_PASSWORD -ApplicationName $App })
    }
    function script:Alive([int] $ProcessId) {
        [int](Invoke-OpsSandboxSql -Sql "SELECT count(*) FROM pg_stat_activity WHERE pid = $ProcessId") -eq 1
    }
}

Describe 'Stop-OpsDbConnection' {
    It 'is ConfirmImpact High and -WhatIf terminates nothing' {
        (Get-Command Stop-OpsDbConnection).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
        $app = "opsrb-test-whatif-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $held = Hold 2 $app
        try {
            $out = Get-OpsDbConnection -Application $app | Stop-OpsDbConnection -WhatIf
            $out | Should -BeNullOrEmpty
            $held | ForEach-Object { Alive $_.ProcessID | Should -BeTrue }
            $held | ForEach-Object { Invoke-OpsNpgsql $_ 'SELECT 1' | Should -Be 1 }
        }
        finally { $held | ForEach-Object Dispose }
    }

    It 'terminates idle sessions from the pipeline, one Terminated result per Pid' {
        $app = "opsrb-test-kill-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $held = Hold 3 $app
        try {
            Start-Sleep -Milliseconds 1100
            $r = @(Get-OpsDbConnection -Application $app -State idle -IdleLongerThan 00:00:01 | Stop-OpsDbConnection -Force)
            $r | Should -HaveCount 3
            $r.Status | Sort-Object -Unique | Should -Be 'Terminated'
            $r.Action | Sort-Object -Unique | Should -Be 'Terminate'
            $r.Pid | Sort-Object | Should -Be ($held.ProcessID | Sort-Object)
            $r[0].User | Should -Be 'app'
            $held | ForEach-Object { Alive $_.ProcessID | Should -BeFalse }
        }
        finally { $held | ForEach-Object Dispose }
    }

    It 'reports NotFound for a pid that does not exist, and -Confirm:$false also skips the prompt' {
        $r = Stop-OpsDbConnection -Pid 999999 -Confirm:$false
        $r.Status | Should -Be 'NotFound'
        $r.Pid | Should -Be 999999
    }

    It '-CancelQuery cancels the running query and keeps the session' {
        $app = "opsrb-test-cancel-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $held = Hold 1 $app
        try {
            $cmd = $held[0].CreateCommand(); $cmd.CommandText = 'SELECT pg_sleep(30)'
            $task = $cmd.ExecuteScalarAsync()
            $deadline = [datetime]::UtcNow.AddSeconds(10)
            while (-not (Get-OpsDbConnection -Application $app -State active) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $r = Get-OpsDbConnection -Application $app -State active | Stop-OpsDbConnection -CancelQuery -Force
            $r.Status | Should -Be 'Cancelled'
            { $task.GetAwaiter().GetResult() } | Should -Throw '*57014*'
            Alive $held[0].ProcessID | Should -BeTrue
            Invoke-OpsNpgsql $held[0] 'SELECT 2' | Should -Be 2
        }
        finally { $held | ForEach-Object Dispose }
    }

    It 'reports Failed when the user may not terminate the session' {
        $app = "opsrb-test-perm-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $victim = New-OpsNpgsqlConnection -Port $script:Port -User ops -Password $env:DB_PASSWORD -ApplicationName $app
        try {
            $cred = [pscredential]::new('app', (ConvertTo-SecureString $env:APP_DB_PASSWORD -AsPlainText -Force))
            $r = Stop-OpsDbConnection -Pid $victim.ProcessID -Credential $cred -Force
            $r.Status | Should -Be 'Failed'
            $r.Message | Should -Match '42501|permission'
            Alive $victim.ProcessID | Should -BeTrue
        }
        finally { $victim.Dispose() }
    }
}

Describe 'Connection exhaustion drill (own PostgreSQL: max_connections 8, 3 reserved for superusers)' {
    BeforeAll {
        $script:Pg = Start-OpsTestPostgres -MaxConnections 8 -ReservedConnections 3
        $script:Cfg = New-OpsTestConfig -Name drill.yaml "environments:`n  production:`n    postgres: { host: 127.0.0.1, port: $($script:Pg.Port), database: app, username: ops, connectTimeoutSeconds: 3 }`n"
        $script:Clients = [System.Collections.Generic.List[object]]::new()
    }
    AfterAll {
        $script:Clients | ForEach-Object Dispose
        Stop-OpsTestPostgres $script:Pg
    }

    It 'fills every non-reserved slot with idle app clients, then recovers with Get-OpsDbConnection | Stop-OpsDbConnection' {
        # Fill: 8 - 3 = 5 slots for ordinary roles.
        1..5 | ForEach-Object { $script:Clients.Add((New-OpsNpgsqlConnection -Port $script:Pg.Port -User app -ApplicationName 'leaky-pool')) }
        # The server is now full for ordinary users: the emergency.
        { New-OpsNpgsqlConnection -Port $script:Pg.Port -User app -ApplicationName 'late' } | Should -Throw '*53300*'
        $appCred = [pscredential]::new('app', (ConvertTo-SecureString 'unused' -AsPlainText -Force))
        { Get-OpsDbConnection -ConfigPath $script:Cfg -Credential $appCred -ErrorAction Stop } | Should -Throw -ErrorId 'DbTooManyConnections,OpsRunbook.Commands.GetOpsDbConnectionCommand'

        # Recover as the superuser (reserved slots, no pooling): the runbook's step.
        Start-Sleep -Milliseconds 1100
        $found = @(Get-OpsDbConnection -ConfigPath $script:Cfg -State idle -IdleLongerThan 00:00:01)
        $found | Should -HaveCount 5
        ($found | Group-Object User, Application).Name | Should -Be 'app, leaky-pool'
        $r = @(Get-OpsDbConnection -ConfigPath $script:Cfg -State idle -IdleLongerThan 00:00:01 | Stop-OpsDbConnection -ConfigPath $script:Cfg -Force)
        $r | Should -HaveCount 5
        $r.Status | Sort-Object -Unique | Should -Be 'Terminated'

        # The slots are free again.
        @(Get-OpsDbConnection -ConfigPath $script:Cfg) | Should -HaveCount 0
        $fresh = New-OpsNpgsqlConnection -Port $script:Pg.Port -User app -ApplicationName 'after-recovery'
        try { Invoke-OpsNpgsql $fresh 'SELECT 1' | Should -Be 1 } finally { $fresh.Dispose() }
    }
}
