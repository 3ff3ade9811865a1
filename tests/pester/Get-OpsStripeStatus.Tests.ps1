BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    Invoke-OpsSandboxStub -Stub StripeStatus -Action Reset
    # A copy of the sandbox config with a 2 s bound, for the hanging status page.
    $script:Fast = New-OpsTestConfig -Name fast.yaml -Text ((Get-OpsSandboxConfigText) -replace 'timeoutSeconds: 10', 'timeoutSeconds: 2')
}
AfterAll { Invoke-OpsSandboxStub -Stub StripeStatus -Action Reset }

Describe 'Get-OpsStripeStatus' {
    It 'reads indicator none and "All Systems Operational", with no component listed' {
        $s = Get-OpsStripeStatus
        $s.Indicator | Should -Be 'None'
        $s.Description | Should -Be 'All Systems Operational'
        @($s.Components).Count | Should -Be 0
        $s.DurationMs | Should -BeGreaterThan 0
    }

    It 'names the components that are not operational and the open incidents during an outage' {
        Invoke-OpsSandboxStub -Stub StripeStatus -Action Control -Body @{
            indicator = 'major'; description = 'Partial System Outage'; degrade = @{ API = 'major_outage'; Webhooks = 'degraded_performance' }
            incidents = @(@{ id = 'inc1'; name = 'Elevated API error rates'; status = 'investigating'; impact = 'major' }, @{ id = 'inc0'; name = 'Old one'; status = 'resolved'; impact = 'minor' })
        }
        try {
            $s = Get-OpsStripeStatus
            $s.Indicator | Should -Be 'Major'
            $s.Description | Should -Be 'Partial System Outage'
            ($s.Components | ForEach-Object { "$($_.Name)=$($_.Status)" }) -join ',' | Should -Be 'API=major_outage,Webhooks=degraded_performance'
            $s.Incidents | Should -Be @('Elevated API error rates')
            $h = Get-OpsHealth -Check Payments
            $h.Status | Should -Be 'Critical'
            $h.Message | Should -Match 'API \(major_outage\)'
            $h.NextStep | Should -Match 'Invoke-OpsWebhookReplay'
        }
        finally { Invoke-OpsSandboxStub -Stub StripeStatus -Action Reset }
    }

    It 'makes minor a Warning in Get-OpsHealth' {
        Invoke-OpsSandboxStub -Stub StripeStatus -Action Control -Body @{ indicator = 'minor'; description = 'Minor Service Outage' }
        try { (Get-OpsHealth -Check Payments).Status | Should -Be 'Warning' }
        finally { Invoke-OpsSandboxStub -Stub StripeStatus -Action Reset }
    }

    It 'ends a status page that never answers in StripeStatusUnavailable within stripe.timeoutSeconds, and Get-OpsHealth within its bound' {
        Invoke-OpsSandboxStub -Stub StripeStatus -Action Control -Body @{ hang = $true }
        try {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            { Get-OpsStripeStatus -ConfigPath $script:Fast -ErrorAction Stop } | Should -Throw -ErrorId 'StripeStatusUnavailable,OpsRunbook.Commands.GetOpsStripeStatusCommand'
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
            $sw.Restart()
            $h = Get-OpsHealth -Check Payments -TimeoutSeconds 2
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
            $h.Status | Should -Be 'Unknown'
        }
        finally { Invoke-OpsSandboxStub -Stub StripeStatus -Action Reset }
    }

    It 'says which section is missing when the environment has no stripe section' {
        $cfg = New-OpsTestConfig -Name nostripe.yaml -Text "defaultEnvironment: p`nenvironments:`n  p:`n    api: { baseUrl: 'http://127.0.0.1:1' }`n"
        { Get-OpsStripeStatus -ConfigPath $cfg -ErrorAction Stop } | Should -Throw -ErrorId 'ConfigSectionMissing,OpsRunbook.Commands.GetOpsStripeStatusCommand'
    }
}
