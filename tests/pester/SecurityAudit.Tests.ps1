<#
    examples/runbooks/SecurityAudit.ps1 (the runbook's "Security Audit (Last Monday)") run as cron would, in a fresh pwsh,
    against the sandbox (its certificates: section and nginx), saved npm audit and trivy reports, a wtmp and an auth.log.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Runbook = Join-Path (Get-OpsRepoRoot) 'examples/runbooks/SecurityAudit.ps1'
    $script:Npm = Join-Path $PSScriptRoot 'fixtures/npm-audit'
    $script:Trivy = Join-Path $PSScriptRoot 'fixtures/trivy'
    # An empty wtmp (no logins) and an auth.log with one allowed and one refused sudo command.
    $script:Wtmp = Join-Path $TestDrive 'wtmp'; [IO.File]::WriteAllBytes($script:Wtmp, [byte[]]@())
    $t = [DateTime]::Now.AddHours(-2)
    $stamp = $t.ToString('MMM ', [cultureinfo]::InvariantCulture) + $t.Day.ToString().PadLeft(2) + $t.ToString(' HH:mm:ss', [cultureinfo]::InvariantCulture)
    $script:AuthOk = Join-Path $TestDrive 'auth-ok.log'
    Set-Content $script:AuthOk "$stamp web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx"
    $script:AuthRefused = Join-Path $TestDrive 'auth-refused.log'
    Set-Content $script:AuthRefused @(
        "$stamp web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx"
        "$stamp web1 sudo:  mallory : user NOT in sudoers ; TTY=pts/2 ; PWD=/home/mallory ; USER=root ; COMMAND=/bin/cat /etc/shadow"
    )
    function script:Invoke-Audit([string] $Arguments, [hashtable] $Environment = @{}) {
        Invoke-OpsChildPwsh -Script "& '$script:Runbook' -WtmpPath '$script:Wtmp' $Arguments; exit `$LASTEXITCODE" -Environment $Environment -TimeoutSeconds 300
    }
}

Describe 'SecurityAudit.ps1' {
    It 'exits 0 when nothing is found: a clean audit report, no refused sudo, the sandbox certificate valid' {
        $r = Invoke-Audit "-AuditReport '$script:Npm/report-clean.json' -ImageReport '$script:Trivy/clean-image.json' -AuthLogPath '$script:AuthOk'"
        $r.ExitCode | Should -Be 0 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match 'No advisories\.'
        $r.StdOut | Should -Match 'No vulnerabilities\.'
        $r.StdOut | Should -Match 'No logins recorded\.'
        $r.StdOut | Should -Match '1 sudo command\(s\) by 1 user\(s\); 0 refused\.'
        $r.StdOut | Should -Match '127\.0\.0\.1:\d+: Healthy'
        $r.StdOut | Should -Match 'SECURITY AUDIT OK: 0 critical, 0 warning finding\(s\)'
    }

    It 'exits 2 on a Critical advisory, lists the fixes, and flags a refused sudo' {
        $r = Invoke-Audit "-AuditReport '$script:Npm/report.json' -AuthLogPath '$script:AuthRefused'"
        $r.ExitCode | Should -Be 2 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match 'Critical\s+minimist\s+<0\.2\.4\s+Prototype Pollution in minimist\s+npm audit fix --force \(installs minimist@1\.2\.8, breaking\)'
        $r.StdOut | Should -Match 'Fixed by npm audit fix \(no --force\): lodash\r?\n'
        $r.StdOut | Should -Match 'mallory .*NotInSudoers|mallory .*not in sudoers'
        $r.StdOut | Should -Match '1 refused\.'
        # lodash: 2 High + 1 Moderate; refused sudo: 1. minimist's Moderate advisory too.
        $r.StdOut | Should -Match 'SECURITY AUDIT CRITICAL: 2 critical, 5 warning finding\(s\)'
    }

    It 'a step that cannot run (the registry unreachable) is Unknown, and the other steps still run' {
        $app = Join-Path $TestDrive 'app'; Copy-Item "$script:Npm/app" $app -Recurse
        $r = Invoke-Audit "-AppPath '$app' -AuthLogPath '$script:AuthOk'" -Environment @{ npm_config_registry = "http://127.0.0.1:$(Get-OpsFreePort)/"; npm_config_cache = (Join-Path $TestDrive 'npm-cache') }
        $r.ExitCode | Should -Be 3 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match "npm audit .*app: could not run \[DependencyAuditUnavailable"
        $r.StdOut | Should -Match '1 sudo command\(s\)'
        $r.StdOut | Should -Match '127\.0\.0\.1:\d+: Healthy'
        $r.StdOut | Should -Match 'SECURITY AUDIT UNKNOWN: 0 critical, 0 warning finding\(s\); could not run: npm audit '
    }
}
