<#
    examples/Demo.ps1 (build.ps1 Demo) shows the product: the per-check health table, a few client sessions for the
    connection step, and an incident drill where a stopped sandbox service is one Critical row followed by the
    runbook's next step. It stays under 60 s and leaves the sandbox healthy.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
}

Describe 'examples/Demo.ps1' {
    It 'shows the health table, the connections, one Critical with its next step, and ends healthy in under 60 s' {
        $demo = Join-Path (Get-OpsRepoRoot) 'examples/Demo.ps1'
        $r = Invoke-OpsChildPwsh -Script "& '$demo' -ModulePath '$(Get-OpsModulePath)' -OutputDirectory '$TestDrive'" -TimeoutSeconds 300
        $out = $r.StdOut
        $r.ExitCode | Should -Be 0 -Because "$out$($r.StdErr)"
        # The per-check table, not only counts.
        $out | Should -Match 'Status\s+Check\s+Target\s+Value\s+Ms\s+Message'
        $out | Should -Match 'Healthy\s+Database\s+app/connections'
        # Client sessions for the connection step.
        $out | Should -Match '3 app, api'
        $out | Should -Match 'What if: .*media-worker'
        # The drill: exactly one Critical row, then the runbook's next step and the plugin line.
        $drill = $out.Substring($out.IndexOf('=== Incident drill'))
        @([regex]::Matches($drill.Substring(0, $drill.IndexOf('Runbook, next step')), '(?m)^Critical\s+Service\s+api\s')).Count | Should -Be 1
        $drill | Should -Match 'Runbook, next step: Complete Service Outage: is api running'
        $drill | Should -Match 'OPSRUNBOOK CRITICAL - 1 critical, 0 warning, 0 unknown of \d+ checks: Service/api \|'
        $drill | Should -Match '(?m)^exit 2$'
        [int]([regex]::Match($out, 'Demo finished in (\d+) s').Groups[1].Value) | Should -BeLessThan 60
        # The service is back.
        Test-OpsSandbox | Should -BeTrue
        (Get-OpsHealth -Check Service | Where-Object Target -eq api).Status | Should -Be 'Healthy'
    }
}
