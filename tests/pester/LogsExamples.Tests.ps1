<# The weekly runbooks of the Logs area run against the sandbox and keep the exit-code contract. #>
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

    It 'WeeklyPerformanceReview.ps1 prints p95, the slowest endpoints and the error digest, with a 0 or 1 exit code' {
        $r = Invoke-OpsChildPwsh -Script "& '$script:Examples/WeeklyPerformanceReview.ps1' -ConfigPath '$script:Cfg' -Since 1d; exit `$LASTEXITCODE"
        $r.ExitCode | Should -BeIn 0, 1 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match 'P95Ms\s*:\s*\d+'
        $r.StdOut | Should -Match 'GET /'
        $r.StdOut | Should -Match 'PERFORMANCE: p95 \d+ ms'
        $r.StdOut | Should -Match 'Failed to process job'
    }

    It 'exits 3 when the config is broken' {
        $r = Invoke-OpsChildPwsh -Script "& '$script:Examples/WeeklySecurityReview.ps1' -ConfigPath '$TestDrive/none.yaml'; exit `$LASTEXITCODE"
        $r.ExitCode | Should -Be 3 -Because $r.StdOut
    }
}
