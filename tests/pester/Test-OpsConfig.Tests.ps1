BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
}

Describe 'Test-OpsConfig' {
    It 'returns nothing for the sandbox config and $true with -Quiet' {
        @(Test-OpsConfig -ConfigPath (Get-OpsSandbox).ConfigPath | Where-Object Severity -eq 'Error') | Should -HaveCount 0
        Test-OpsConfig -ConfigPath (Get-OpsSandbox).ConfigPath -Quiet | Should -BeTrue
    }

    It 'reports every problem with its line and column' {
        $path = New-OpsTestConfig @'
environments:
  production:
    postgres: { host: h, database: d, username: u, port: seven }
    redis: { configuraton: x }
    thresholds: { diskWarnPercent: 95, diskCriticalPercent: 90 }
'@
        $problems = @(Test-OpsConfig -ConfigPath $path)
        $problems.Count | Should -BeGreaterOrEqual 2
        $bad = $problems | Where-Object Path -like '*port*'
        $bad.Line | Should -Be 3
        $bad.Column | Should -BeGreaterThan 1
        $problems | Where-Object Message -match 'configuraton' | Should -Not -BeNullOrEmpty
        Test-OpsConfig -ConfigPath $path -Quiet | Should -BeFalse
    }

    It 'flags a literal secret in the file without echoing it' {
        $path = New-OpsTestConfig "environments:`n  production:`n    postgres: { host: h, database: d, username: u, password: hunter2-canary }`n"
        $problems = @(Test-OpsConfig -ConfigPath $path)
        $problems.Kind | Should -Contain 'SecretInFile'
        ($problems | Out-String) + ($problems | ConvertTo-Json) | Should -Not -Match 'hunter2-canary'
    }

    It 'takes files from the pipeline' {
        $dir = Join-Path $TestDrive 'many'; $null = New-Item -ItemType Directory $dir
        $null = New-OpsTestConfig "environments:`n  production: { redis: { configuration: x } }`n" -Name a.yaml -Directory $dir
        $null = New-OpsTestConfig "environments: [" -Name b.yaml -Directory $dir
        $r = Get-ChildItem $dir -Filter *.yaml | Sort-Object Name | Test-OpsConfig -Quiet
        $r | Should -Be @($true, $false)
    }

    It 'reports a syntax error as a problem with its position' {
        $p = @(Test-OpsConfig -ConfigPath (New-OpsTestConfig "environments:`n  production: [`n" -Name syntax.yaml))
        $p.Kind | Should -Contain 'Syntax'
        ($p | Where-Object Kind -eq 'Syntax').Line | Should -BeGreaterThan 0
    }

    It 'writes a non-terminating ConfigFileNotFound that -ErrorAction Stop turns into a stop' {
        $missing = Join-Path $TestDrive 'nope.yaml'
        $r = Test-OpsConfig -ConfigPath $missing -Quiet -ErrorAction SilentlyContinue -ErrorVariable ev
        $r | Should -BeFalse
        $ev[0].FullyQualifiedErrorId | Should -Be 'ConfigFileNotFound,OpsRunbook.Commands.TestOpsConfigCommand'
        { Test-OpsConfig -ConfigPath $missing -ErrorAction Stop } | Should -Throw -ErrorId 'ConfigFileNotFound,OpsRunbook.Commands.TestOpsConfigCommand'
    }
}
