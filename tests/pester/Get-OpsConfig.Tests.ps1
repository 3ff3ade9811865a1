BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $script:Canary = 'canary-PW-7f3a9c'
    $script:Good = @'
defaultEnvironment: production
environments:
  production: &prod
    postgres: { host: db.internal, port: 5432, database: app, username: ops, password: '${env:OPS_TEST_PW}' }
    redis: { configuration: 'redis.internal:6379' }
  staging:
    <<: *prod
    postgres: { host: db.staging, port: 5432, database: app_staging, username: ops, password: '${env:OPS_TEST_PW}' }
'@
}

Describe 'Get-OpsConfig' {
    BeforeEach { $env:OPS_TEST_PW = $script:Canary }
    AfterEach { Remove-Item env:OPS_TEST_PW -ErrorAction Ignore }

    It 'resolves the default environment with merge keys and env substitution' {
        $path = New-OpsTestConfig $script:Good
        $c = Get-OpsConfig -ConfigPath $path
        $c.Name | Should -Be 'production'
        $c.Postgres.Host | Should -Be 'db.internal'
        $c.Postgres.Password.IsSet | Should -BeTrue
        $c.Postgres.Password.Source | Should -Be 'env:OPS_TEST_PW'
        (Get-OpsConfig -ConfigPath $path -Environment staging).Postgres.Database | Should -Be 'app_staging'
        (Get-OpsConfig -ConfigPath $path -Environment staging).Redis.Configuration | Should -Be 'redis.internal:6379'
    }

    It 'finds ./ops.yaml when no path and no OPSRUNBOOK_CONFIG is given' {
        $dir = Join-Path $TestDrive 'cwd'; $null = New-Item -ItemType Directory $dir
        New-OpsTestConfig $script:Good -Directory $dir | Out-Null
        $r = Invoke-OpsChildPwsh -WorkingDirectory $dir -Environment @{ OPSRUNBOOK_CONFIG = $null; OPS_TEST_PW = 'x' } -Script '(Get-OpsConfig).Postgres.Host'
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $r.StdOut.Trim() | Should -Be 'db.internal'
    }

    It 'lists environments with -ListAvailable without needing variables' {
        Remove-Item env:OPS_TEST_PW
        $list = Get-OpsConfig -ConfigPath (New-OpsTestConfig $script:Good) -ListAvailable
        $list.Name | Should -Be @('production', 'staging')
        ($list | Where-Object IsDefault).Name | Should -Be 'production'
    }

    It 'shows durations as the config writes them (26h), not as TimeSpans (1.02:00:00)' {
        $path = New-OpsTestConfig -Name durations.yaml -Text @'
defaultEnvironment: production
environments:
  production:
    backup: { maximumAge: 26h, warningAge: 90m }
'@
        $env = Get-OpsConfig -ConfigPath $path
        $env.Backup.MaximumAge | Should -Be ([timespan]::FromHours(26)) -Because 'the value stays a TimeSpan'
        $text = $env | Out-String -Width 200
        $text | Should -Match 'maximum age 26h, warning age 90m'
        $text | Should -Not -Match '\d\.\d\d:\d\d:\d\d|\d\d:\d\d:\d\d'
    }

    It 'reads the sandbox config through $env:OPSRUNBOOK_CONFIG' {
        $c = Get-OpsConfig
        $c.Postgres.Port | Should -Be (Get-OpsSandbox).Ports.Postgres
        $c.S3.Bucket | Should -Be 'backups'
    }

    It 'stops with <Id> for <Case>' -ForEach @(
        @{ Case = 'a missing file'; Id = 'ConfigFileNotFound'; Text = $null; Params = @{} }
        @{ Case = 'a YAML syntax error'; Id = 'ConfigSyntaxError'; Text = "environments:`n  production: { postgres: [ }`n"; Params = @{} }
        @{ Case = 'an unknown environment'; Id = 'ConfigEnvironmentNotFound'; Text = 'GOOD'; Params = @{ Environment = 'nope' } }
        @{ Case = 'an unknown key'; Id = 'ConfigInvalid'; Text = "environments:`n  production:`n    postgres: { host: h, database: d, username: u, pasword: x }`n"; Params = @{} }
        @{ Case = 'a missing variable'; Id = 'ConfigVariableMissing'; Text = 'GOOD'; Params = @{}; Unset = $true }
    ) {
        $path = if ($null -eq $Text) { Join-Path $TestDrive 'absent.yaml' } elseif ($Text -eq 'GOOD') { New-OpsTestConfig $script:Good } else { New-OpsTestConfig $Text }
        if ($Unset) { Remove-Item env:OPS_TEST_PW }
        $err = $null
        try { Get-OpsConfig -ConfigPath $path @Params -ErrorAction Stop; throw 'no error' }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.Exception.Message | Should -Not -BeNullOrEmpty
        if ($Unset) { $err.Exception.Message | Should -Match 'OPS_TEST_PW' }
        if ($Case -eq 'an unknown key') { $err.Exception.Message | Should -Match 'pasword' }
    }

    It 'never shows the secret value in any stream or export' {
        $path = New-OpsTestConfig $script:Good
        $text = Invoke-OpsCaptureAll { Get-OpsConfig -ConfigPath $path -Verbose; Get-OpsConfig -ConfigPath $path -Environment staging }
        $text | Should -Match 'db.internal'
        $text | Should -Not -Match $script:Canary
    }

    It 'keeps the secret out of errors for a broken file that contains it literally' {
        $path = New-OpsTestConfig "environments:`n  production:`n    postgres: { host: h, database: d, username: u, password: $($script:Canary), port: notanumber }`n"
        $text = Invoke-OpsCaptureAll { Get-OpsConfig -ConfigPath $path -ErrorAction Stop }
        $text | Should -Match 'port'
        $text | Should -Not -Match $script:Canary
    }

    It 'exits non-zero in a scheduled-task style child process and keeps stdout/stderr free of the secret' {
        $path = New-OpsTestConfig $script:Good
        $r = Invoke-OpsChildPwsh -Environment @{ OPS_TEST_PW = $script:Canary } -Script "Get-OpsConfig -ConfigPath '$path' | Format-List * | Out-String; Get-OpsConfig -ConfigPath '$path' -Environment nope"
        $r.ExitCode | Should -Not -Be 0
        $r.StdErr + $r.StdOut | Should -Match 'nope'
        $r.StdErr + $r.StdOut | Should -Not -Match $script:Canary
    }

    It 'completes -Environment from the file on tab' {
        $path = New-OpsTestConfig $script:Good
        $line = "Get-OpsConfig -ConfigPath '$path' -Environment "
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $r.CompletionMatches.CompletionText | Should -Be @('production', 'staging')
        $line = "Get-OpsConfig -ConfigPath '$path' -Environment st"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('staging')
    }

    It 'completes -Environment from ./ops.yaml in the PowerShell location' {
        $dir = Join-Path $TestDrive 'complete'; $null = New-Item -ItemType Directory $dir
        $null = New-OpsTestConfig $script:Good.Replace('staging:', 'qa:') -Directory $dir
        $saved = $env:OPSRUNBOOK_CONFIG; Remove-Item env:OPSRUNBOOK_CONFIG
        Push-Location $dir
        try {
            $line = 'Get-OpsConfig -Environment '
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('production', 'qa')
        }
        finally { Pop-Location; $env:OPSRUNBOOK_CONFIG = $saved }
    }

    It 'has a readable default view' {
        $view = Get-OpsConfig -ConfigPath (New-OpsTestConfig $script:Good) | Out-String
        $view | Should -Match 'production'
        $view | Should -Match '\*{8}'
    }
}
