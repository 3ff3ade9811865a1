<# The weekly security runbook runs against the sandbox and keeps the exit-code contract (WeeklyPerformanceReview.ps1 is the reports issue's, tested there). #>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Examples = Join-Path (Get-OpsRepoRoot) 'examples/runbooks'
    $script:Cfg = (Get-OpsSandbox).ConfigPath
    # An attack the server answers with 200, so the security review has something to report.
    $null = & curl -s -o /dev/null "http://127.0.0.1:$((Get-OpsSandbox).Ports.Nginx)/static/x?q=1%27%20OR%20%271%27%3D%271"
}

Describe 'Logs runbooks' {
    It 'WeeklySecurityReview.ps1 reports the brute-forcing source and the attacks, and exits 2' {
        $r = Invoke-OpsChildPwsh -Script "& '$script:Examples/WeeklySecurityReview.ps1' -ConfigPath '$script:Cfg' -Since 1d; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 2 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match '203\.0\.113\.66'
        $r.StdOut | Should -Match 'SqlInjection'
        $r.StdOut | Should -Match 'SECURITY REVIEW: \d+ failed login source\(s\), [1-9]\d* brute-forcing'
    }

    It 'exits 3 when the config is broken' {
        $r = Invoke-OpsChildPwsh -Script "& '$script:Examples/WeeklySecurityReview.ps1' -ConfigPath '$TestDrive/none.yaml'; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 3 -Because $r.StdOut
    }
}
