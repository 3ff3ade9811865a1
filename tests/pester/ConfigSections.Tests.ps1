<# A config problem in one section or environment blocks only the cmdlets that need it (issue 9). #>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Remove-Item Env:OPSRB_UNSET_REDIS, Env:OPSRB_UNSET_PG -ErrorAction Ignore
    $script:Logs = Join-Path $TestDrive 'logs'; $null = New-Item -ItemType Directory $script:Logs
    $script:Config = New-OpsTestConfig -Text @"
defaultEnvironment: production
environments:
  production:
    postgres: { host: 127.0.0.1, port: 5432, database: app, username: ops, password: '`${env:OPSRB_UNSET_PG}' }
    redis: { configuration: '127.0.0.1:6379', password: '`${env:OPSRB_UNSET_REDIS}' }
    disk: { paths: [ '$TestDrive' ] }
    cleanup:
      - { name: old-logs, path: '$script:Logs', pattern: '*.log', olderThanDays: 7, action: delete }
  staging:
    disk: { paths: [ / ] }
    noSuchKey: 1
"@
}

Describe 'Config problems in sections and environments a cmdlet does not use' {
    It 'Get-OpsDiskSpace runs despite unset redis/postgres password variables, and warns about the other environment' {
        $r = Get-OpsDiskSpace -ConfigPath $script:Config -WarningVariable w -WarningAction SilentlyContinue -ErrorAction Stop
        @($r).Count | Should -Be 1
        ($w -join "`n") | Should -Match 'another environment.*noSuchKey'
    }

    It 'Clear-DiskEmergency runs despite them' {
        $r = Clear-DiskEmergency -ConfigPath $script:Config -Force -WarningAction SilentlyContinue -ErrorAction Stop
        $r.Policy | Should -Be 'old-logs'
    }

    It 'a cmdlet that needs the section still stops, with one message that names the variable once and offers no -Credential it lacks' {
        $e = { Get-OpsHealth -ConfigPath $script:Config -Check Redis -WarningAction SilentlyContinue -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ConfigVariableMissing,*'
        ([regex]::Matches($e.Exception.Message, 'OPSRB_UNSET_REDIS')).Count | Should -Be 1
        $e.ErrorDetails.RecommendedAction | Should -Not -Match 'Credential'
    }

    It 'Test-OpsConfig still reports every problem' {
        $p = @(Test-OpsConfig -ConfigPath $script:Config)
        $p.Path | Should -Contain 'environments.production.redis.password'
        $p.Path | Should -Contain 'environments.production.postgres.password'
        $p.Path | Should -Contain 'environments.staging.noSuchKey'
    }
}
