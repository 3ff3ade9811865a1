BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    Invoke-OpsSandboxStub -Stub CostExplorer -Action Reset
}
AfterAll { Invoke-OpsSandboxStub -Stub CostExplorer -Action Reset }

Describe 'Get-OpsAwsCost' {
    It "pages GetCostAndUsage (MONTHLY, UnblendedCost, by SERVICE) with SigV4 that the aws4 package verifies" {
        Invoke-OpsSandboxStub -Stub CostExplorer -Action Reset
        $r = @(Get-OpsAwsCost -Month 2026-10)
        $r.Count | Should -Be 8
        $r[0] | Should -BeOfType ([OpsRunbook.Core.Payments.AwsCostLine])
        $r[0].Amount.GetType() | Should -Be ([decimal])
        $r[0].Amount.ToString([cultureinfo]::InvariantCulture) | Should -Match '^\d+\.\d{10}$'   # AWS's decimals kept exactly
        $r[0].Amount | Should -BeGreaterOrEqual $r[-1].Amount
        $r.Month | Sort-Object -Unique | Should -Be '2026-10'
        $r.Key | Should -Contain 'Amazon Simple Storage Service'
        $calls = @(Invoke-OpsSandboxStub -Stub CostExplorer -Action Calls)
        $calls.Count | Should -Be 3
        $calls | ForEach-Object { $_.signed | Should -BeTrue; $_.target | Should -Be 'AWSInsightsIndexService.GetCostAndUsage' }
        $calls[0].request.TimePeriod.Start | Should -Be '2026-10-01'
        $calls[0].request.TimePeriod.End | Should -Be '2026-11-01'
        $calls[0].request.Granularity | Should -Be 'MONTHLY'
        $calls[0].request.Metrics | Should -Be @('UnblendedCost')
        $calls[0].request.GroupBy[0].Key | Should -Be 'SERVICE'
        $calls[0].request.PSObject.Properties.Name | Should -Not -Contain 'NextPageToken'
        $calls[1].request.NextPageToken | Should -Not -BeNullOrEmpty
    }

    It 'groups by usage type' {
        $r = @(Get-OpsAwsCost -Month 2026-10 -GroupBy USAGE_TYPE)
        $r.Count | Should -Be 5
        $r.GroupBy | Sort-Object -Unique | Should -Be 'USAGE_TYPE'
    }

    It 'reports a signature AWS refuses as AwsCostExplorerError with its type, without the secret' {
        $saved = $env:AWS_SECRET_ACCESS_KEY
        $env:AWS_SECRET_ACCESS_KEY = 'not-the-secret-0123456789'
        try {
            $all = Invoke-OpsCaptureAll { Get-OpsAwsCost -Month 2026-10 -ErrorAction Stop }
            $all | Should -Match 'InvalidSignatureException'
            $all | Should -Not -Match 'not-the-secret'
        }
        finally { $env:AWS_SECRET_ACCESS_KEY = $saved }
        (@(Invoke-OpsSandboxStub -Stub CostExplorer -Action Calls)[-1]).error | Should -Be 'InvalidSignature'
    }

    It 'says AwsCredentialsMissing when neither aws nor s3 has keys' {
        $cfg = New-OpsTestConfig -Name nokeys.yaml -Text "defaultEnvironment: p`nenvironments:`n  p:`n    aws: { costExplorerServiceUrl: 'http://127.0.0.1:$((Get-OpsSandbox).Ports.CostExplorer)' }`n"
        { Get-OpsAwsCost -ConfigPath $cfg -ErrorAction Stop } | Should -Throw -ErrorId 'AwsCredentialsMissing,OpsRunbook.Commands.GetOpsAwsCostCommand'
    }
}
