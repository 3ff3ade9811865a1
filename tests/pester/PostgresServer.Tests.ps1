<#
    Every PostgreSQL cmdlet (everything deriving from OpsPostgresCmdlet) takes an ad-hoc server, as dbatools users
    expect: -Server host[:port] [-Database name] [-Credential], as an alternative to ops.yaml. Both parameter sets
    show in Get-Help.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Port = (Get-OpsSandbox).Ports.Postgres
    $script:Cred = [pscredential]::new('ops', (ConvertTo-SecureString $env:DB_PASSWORD -AsPlainText -Force))
    $script:PgCmdlets = @(Get-Command -Module OpsRunbook | Where-Object { $_.ImplementingType.IsSubclassOf([OpsRunbook.Commands.OpsPostgresCmdlet]) })
}

Describe 'The -Server parameter set of the PostgreSQL cmdlets' {
    It 'is on every PostgreSQL cmdlet, beside the config set, and Get-Help shows both' {
        $script:PgCmdlets.Count | Should -BeGreaterOrEqual 10
        foreach ($c in $script:PgCmdlets) {
            $c.ParameterSets.Name | Should -Contain 'Config' -Because "$($c.Name) reads ops.yaml"
            $c.ParameterSets.Name | Should -Contain 'Server' -Because "$($c.Name) takes -Server"
            $server = $c.ParameterSets | Where-Object Name -eq 'Server'
            ($server.Parameters | Where-Object Name -eq 'Server').IsMandatory | Should -BeTrue
            $server.Parameters.Name | Should -Contain 'Database'
            $server.Parameters.Name | Should -Contain 'Credential'
            $server.Parameters.Name | Should -Not -Contain 'Environment' -Because '-Server and -Environment exclude each other'
            $server.Parameters.Name | Should -Not -Contain 'ConfigPath'
            ($c.ParameterSets | Where-Object Name -eq 'Config').Parameters.Name | Should -Contain 'Environment'
            $syntax = @((Get-Help $c.Name).syntax.syntaxItem)
            $syntax.Count | Should -Be $c.ParameterSets.Count -Because "Get-Help $($c.Name) shows every parameter set"
            @($syntax | Where-Object { $_.parameter.name -contains 'Server' }).Count | Should -BeGreaterThan 0
            @($syntax | Where-Object { $_.parameter.name -contains 'Environment' }).Count | Should -BeGreaterThan 0
            $c.DefaultParameterSet | Should -Be 'Config' -Because "$($c.Name) without -Server reads the config file"
        }
    }

    It 'works without any config file, with -Credential' {
        $env:OPSRUNBOOK_CONFIG = Join-Path $TestDrive 'no-such-ops.yaml'
        try {
            $tables = @(Get-OpsDbTable -Server "127.0.0.1:$script:Port" -Database app -Credential $script:Cred)
            $tables.Name | Should -Contain 'users'
            $tables.Name | Should -Contain 'media_items'
            (Get-OpsUserMetrics -Server "127.0.0.1:$script:Port" -Database app -Credential $script:Cred).Date | Should -Not -BeNullOrEmpty
            @(Get-OpsDbConnection -Server "127.0.0.1:$script:Port" -Credential $script:Cred -IncludeBackground).Count | Should -BeGreaterThan 0
            # Without -Database it connects to the maintenance database 'postgres'.
            { Get-OpsDbTable -Server "127.0.0.1:$script:Port" -Credential $script:Cred -ErrorAction Stop } | Should -Not -Throw
            @(Get-OpsDbTable -Server "127.0.0.1:$script:Port" -Credential $script:Cred).Name | Should -Not -Contain 'users'
        }
        finally { Import-OpsSandboxEnvironment }
    }

    It 'gives the same rows as the config file does for the same server' {
        $viaConfig = Get-OpsDbTable users
        $viaServer = Get-OpsDbTable users -Server "127.0.0.1:$script:Port" -Database app -Credential $script:Cred
        $viaServer.Table | Should -Be $viaConfig.Table
        $viaServer.LiveTuples | Should -Be $viaConfig.LiveTuples
    }

    It 'logs in with $env:PGUSER and $env:PGPASSWORD without -Credential, as psql does, in a scheduled run' {
        $r = Invoke-OpsChildPwsh -Environment @{ OPSRUNBOOK_CONFIG = $null; PGUSER = 'ops'; PGPASSWORD = $env:DB_PASSWORD } -WorkingDirectory $TestDrive -Script @"
`$rows = @(Get-OpsDbConnection -Server 127.0.0.1:$script:Port -IncludeBackground)
"rows=`$(`$rows.Count)"
(Get-OpsSlowQuery -Server 127.0.0.1:$script:Port -Database app -MinMeanTimeMs 0 -Top 1 | Measure-Object).Count
"@
        $r.ExitCode | Should -Be 0 -Because "$($r.StdErr)$($r.StdOut)"
        $r.StdOut | Should -Match 'rows=[1-9]'
    }

    It 'refuses a malformed -Server with PgServerInvalid, and an unreachable one with a named error within the bound' {
        { Get-OpsDbTable -Server 'db1:99999' -ErrorAction Stop } | Should -Throw -ErrorId 'PgServerInvalid,OpsRunbook.Commands.GetOpsDbTableCommand'
        { Get-OpsDbTable -Server '[::1' -ErrorAction Stop } | Should -Throw -ErrorId 'PgServerInvalid,OpsRunbook.Commands.GetOpsDbTableCommand'
        $closed = Get-OpsFreePort
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $e = { Get-OpsDbTable -Server "127.0.0.1:$closed" -Credential $script:Cred -ErrorAction Stop } | Should -Throw -PassThru
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 30
        $e.FullyQualifiedErrorId | Should -Be 'DbConnectFailed,OpsRunbook.Commands.GetOpsDbTableCommand'
        $e.Exception.Message | Should -Match "127.0.0.1:$closed"
    }

    It 'ends in DbConnectTimeout within the connect bound when the server accepts and never answers' {
        # A listener that completes the TCP handshake (the kernel's backlog) and never says a word.
        $hang = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $hang.Start()
        try {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            { Get-OpsDbTable -Server "127.0.0.1:$($hang.LocalEndpoint.Port)" -Credential $script:Cred -ErrorAction Stop } |
                Should -Throw -ErrorId 'DbConnectTimeout,OpsRunbook.Commands.GetOpsDbTableCommand'
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 20 -Because 'the ad-hoc server gets the default 5 s connect timeout'
        }
        finally { $hang.Stop() }
    }

    It 'rejects -Server together with -Environment (they are separate parameter sets)' {
        { Get-OpsDbTable -Server "127.0.0.1:$script:Port" -Environment production -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet,OpsRunbook.Commands.GetOpsDbTableCommand'
    }

    It 'never shows the password given by -Credential' {
        $text = Invoke-OpsCaptureAll { Get-OpsDbConnection -Server "127.0.0.1:$script:Port" -Database app -Credential $script:Cred -Verbose }
        $text | Should -Not -BeNullOrEmpty
        $text.Contains($env:DB_PASSWORD) | Should -BeFalse
        $bad = [pscredential]::new('ops', (ConvertTo-SecureString 'Wr0ng-Secret-123' -AsPlainText -Force))
        $text = Invoke-OpsCaptureAll { Get-OpsDbTable -Server "127.0.0.1:$script:Port" -Database app -Credential $bad }
        $text | Should -Match 'password|authentication'
        $text.Contains('Wr0ng-Secret-123') | Should -BeFalse
    }
}
