<#
    The replay, judged by the sandbox's webhook receiver, which verifies every delivery with the official stripe npm
    package (stripe.webhooks.constructEvent), and by the Stripe API stand-in's record of /retry calls.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    # The sandbox config with this test's own ledger, and a 2 s bound for the hanging receiver.
    function script:New-ReplayConfig([string] $Name) {
        $state = Join-Path $TestDrive "$Name/state.db"
        $text = (Get-OpsSandboxConfigText) -replace "state: \{ path: '[^']*' \}", "state: { path: '$state' }" -replace 'timeoutSeconds: 10', 'timeoutSeconds: 2'
        [pscustomobject]@{ Path = (New-OpsTestConfig -Name "$Name.yaml" -Text $text); State = $state }
    }
    function script:Get-Delivered { @(Invoke-OpsSandboxStub -Stub WebhookReceiver -Action Calls | Where-Object { $_.verified -and $_.status -eq 200 }) }
    function script:Reset-Stubs {
        Invoke-OpsSandboxStub -Stub StripeApi -Action Reset
        Invoke-OpsSandboxStub -Stub WebhookReceiver -Action Reset
    }
    Reset-Stubs
    $script:Failed = @(Get-OpsStripeEvent -Type invoice.payment_failed -Since (Get-Date).AddDays(-1) -DeliveryFailed)
}
AfterAll { Reset-Stubs }

Describe 'Invoke-OpsWebhookReplay' {
    BeforeEach { Reset-Stubs }

    It 'changes nothing under -WhatIf: nothing sent, nothing asked of Stripe, no ledger written' {
        $c = New-ReplayConfig whatif
        $script:Failed.Count | Should -Be 4
        $out = $script:Failed | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Direct -WhatIf
        $out | Should -BeNullOrEmpty
        $script:Failed | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Stripe -WhatIf
        @(Invoke-OpsSandboxStub -Stub WebhookReceiver -Action Calls).Count | Should -Be 0
        @((Invoke-OpsSandboxStub -Stub StripeApi -Action Calls).retries).Count | Should -Be 0
        Test-Path $c.State | Should -BeFalse
    }

    It 'delivers each failed event once, signed so that Stripe''s own verification accepts it; the second run sends nothing' {
        $c = New-ReplayConfig twice
        $first = @(Get-OpsStripeEvent -ConfigPath $c.Path -Type invoice.payment_failed -Since (Get-Date).AddDays(-1) -DeliveryFailed |
            Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Direct -Confirm:$false)
        $first.Count | Should -Be 4
        $first | ForEach-Object { $_.Status | Should -Be 'Delivered'; $_.HttpStatus | Should -Be 200; $_.Via | Should -Be 'Direct' }
        $second = @(Get-OpsStripeEvent -ConfigPath $c.Path -Type invoice.payment_failed -Since (Get-Date).AddDays(-1) -DeliveryFailed |
            Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Direct -Confirm:$false)
        $second | ForEach-Object { $_.Status | Should -Be 'AlreadyDelivered'; $_.Message | Should -Match 'not sent again' }
        # The receiver's record: every delivery verified by constructEvent, exactly one per event.
        $calls = @(Invoke-OpsSandboxStub -Stub WebhookReceiver -Action Calls)
        $calls.Count | Should -Be 4
        $calls | ForEach-Object { $_.verified | Should -BeTrue -Because $_.error }
        ($calls.id | Sort-Object) -join ',' | Should -Be (($script:Failed.Id | Sort-Object) -join ',')
        ($calls | Group-Object id | Where-Object Count -ne 1) | Should -BeNullOrEmpty
    }

    It 'sends again only with -Force' {
        $c = New-ReplayConfig force
        $e = $script:Failed[0]
        ($e | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Direct -Confirm:$false).Status | Should -Be 'Delivered'
        ($e | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Direct -Confirm:$false).Status | Should -Be 'AlreadyDelivered'
        ($e | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Direct -Confirm:$false -Force).Status | Should -Be 'Delivered'
        @(Get-Delivered).Count | Should -Be 2
    }

    It 'asks Stripe to redeliver with POST /v1/events/{id}/retry and webhook_endpoint, once per event, from ids too' {
        $c = New-ReplayConfig stripe
        $ids = $script:Failed[0..1].Id
        $r = @(Invoke-OpsWebhookReplay -ConfigPath $c.Path -Event $ids -Via Stripe -Confirm:$false)
        $r | ForEach-Object { $_.Status | Should -Be 'Delivered'; $_.HttpStatus | Should -Be 200; $_.Endpoint | Should -Be 'stripe:we_sandbox' }
        $again = @($ids | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Stripe -Confirm:$false)
        $again.Status | Sort-Object -Unique | Should -Be 'AlreadyDelivered'
        $retries = @((Invoke-OpsSandboxStub -Stub StripeApi -Action Calls).retries)
        $retries.Count | Should -Be 2
        ($retries.id -join ',') | Should -Be ($ids -join ',')
        $retries | ForEach-Object { $_.webhook_endpoint | Should -Be 'we_sandbox'; $_.idempotency_key | Should -Not -BeNullOrEmpty }
        # Delivered through Stripe counts for a direct replay too: the platform's endpoint is the same.
        ($ids[0] | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Direct -Confirm:$false).Status | Should -Be 'AlreadyDelivered'
    }

    It 'reports an endpoint that answers 500 as Failed, goes on with the next event, and delivers it on the next run' {
        $c = New-ReplayConfig fail500
        Invoke-OpsSandboxStub -Stub WebhookReceiver -Action Control -Body @{ mode = 'fail'; status = 500 }
        $r = @($script:Failed[0..1] | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Direct -Confirm:$false)
        $r.Count | Should -Be 2
        $r | ForEach-Object { $_.Status | Should -Be 'Failed'; $_.HttpStatus | Should -Be 500; $_.Message | Should -Match 'processWebhook failed' }
        Invoke-OpsSandboxStub -Stub WebhookReceiver -Action Control -Body @{ mode = 'ok' }
        $r2 = @($script:Failed[0..1] | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Direct -Confirm:$false)
        $r2.Status | Sort-Object -Unique | Should -Be 'Delivered'
        @(Get-Delivered).Count | Should -Be 2
    }

    It 'ends a hanging endpoint within stripe.timeoutSeconds as Failed, not a hang' {
        $c = New-ReplayConfig hang
        Invoke-OpsSandboxStub -Stub WebhookReceiver -Action Control -Body @{ mode = 'hang' }
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $r = $script:Failed[0] | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Direct -Confirm:$false
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
        $r.Status | Should -Be 'Failed'
        $r.HttpStatus | Should -BeNullOrEmpty
        $r.Message | Should -Match 'did not answer within 2 ?s'
    }

    It 'says Rejected, with the receiver''s reason, when the signing secret is wrong' {
        $c = New-ReplayConfig wrongsecret
        $saved = $env:STRIPE_WEBHOOK_SECRET
        $env:STRIPE_WEBHOOK_SECRET = 'whsec_not_the_endpoint_secret'
        try { $r = $script:Failed[0] | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Direct -Confirm:$false }
        finally { $env:STRIPE_WEBHOOK_SECRET = $saved }
        $r.Status | Should -Be 'Rejected'
        $r.HttpStatus | Should -Be 400
        $r.Message | Should -Match 'No signatures found matching the expected signature'
        $r.Message | Should -Not -Match 'whsec_not'
        (Invoke-OpsSandboxStub -Stub WebhookReceiver -Action Calls).verified | Should -BeFalse
    }

    It 'stops on a wrong Stripe key with StripeAuthenticationFailed, and reports an unknown id without stopping' {
        $c = New-ReplayConfig badkey
        $saved = $env:STRIPE_SECRET_KEY
        $env:STRIPE_SECRET_KEY = 'sk_test_wrongwrongwrong0000'
        try {
            { $script:Failed[0] | Invoke-OpsWebhookReplay -ConfigPath $c.Path -Via Stripe -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'StripeAuthenticationFailed,OpsRunbook.Commands.InvokeOpsWebhookReplayCommand'
        }
        finally { $env:STRIPE_SECRET_KEY = $saved }
        $r = @(Invoke-OpsWebhookReplay -ConfigPath $c.Path -Event 'evt_nosuchevent', $script:Failed[1].Id -Via Direct -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue)
        $err[0].FullyQualifiedErrorId | Should -Be 'StripeEventNotFound,OpsRunbook.Commands.InvokeOpsWebhookReplayCommand'
        $r.Count | Should -Be 1
        $r[0].Status | Should -Be 'Delivered'
    }

    It 'delivers each event once when two replays run at the same time on one ledger' {
        $c = New-ReplayConfig concurrent
        $script = "Get-OpsStripeEvent -Type invoice.payment_failed -Since (Get-Date).AddDays(-1) -DeliveryFailed | Invoke-OpsWebhookReplay -Via Direct -Confirm:`$false | ForEach-Object { `"`$(`$_.Id) `$(`$_.Status)`" }"
        $jobs = 1..2 | ForEach-Object {
            $file = Join-Path $TestDrive "replay$_.ps1"
            Set-Content $file ("`$ErrorActionPreference = 'Stop'; Import-Module '$(Get-OpsModulePath)'`n" + $script)
            $psi = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
            foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
            foreach ($kv in (Get-OpsSandboxEnvironment).GetEnumerator()) { $psi.Environment[$kv.Key] = [string]$kv.Value }
            $psi.Environment['OPSRUNBOOK_CONFIG'] = $c.Path
            [Diagnostics.Process]::Start($psi)
        }
        $outs = foreach ($p in $jobs) { $o = $p.StandardOutput.ReadToEndAsync(); $e = $p.StandardError.ReadToEndAsync(); $p.WaitForExit(120000) | Should -BeTrue; $p.ExitCode | Should -Be 0 -Because $e.Result; $o.Result }
        $lines = ($outs -join "`n") -split "`n" | Where-Object { $_ }
        @($lines | Where-Object { $_ -match ' Delivered$' }).Count | Should -Be 4
        $delivered = @(Get-Delivered)
        $delivered.Count | Should -Be 4
        ($delivered | Group-Object id | Where-Object Count -ne 1) | Should -BeNullOrEmpty
    }
}
