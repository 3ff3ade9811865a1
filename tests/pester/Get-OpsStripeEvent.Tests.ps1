BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    Invoke-OpsSandboxStub -Stub StripeApi -Action Reset
    # The stand-in's own view of its events (with the delivery flag Stripe keeps internally): the expected answers.
    $script:Truth = @(Invoke-OpsSandboxStub -Stub StripeApi -Action Events)
}
AfterAll { Invoke-OpsSandboxStub -Stub StripeApi -Action Reset }

Describe 'Get-OpsStripeEvent' {
    It 'lists every event, newest first, across pages of 100 with Stripe.net auto-paging' {
        Invoke-OpsSandboxStub -Stub StripeApi -Action Reset
        $all = @(Get-OpsStripeEvent)
        $all.Count | Should -Be $script:Truth.Count
        $all.Count | Should -BeGreaterThan 100
        ($all.Id -join ',') | Should -Be ($script:Truth.id -join ',')
        $calls = @((Invoke-OpsSandboxStub -Stub StripeApi -Action Calls).calls | Where-Object path -eq '/v1/events')
        $calls.Count | Should -Be 2
        $calls[1].query | Should -Match 'starting_after=evt_'
        $calls[0].query | Should -Match 'limit=100'
    }

    It 'returns typed events: Id, Type, Created, ApiVersion, PendingWebhooks, Livemode, ObjectId, and the raw JSON' {
        $e = Get-OpsStripeEvent -Type invoice.payment_failed -First 1
        $t = Invoke-OpsSandboxStub -Stub StripeApi -Action Events | Where-Object id -eq $e.Id   # fresh: a reset re-dates the events
        $e | Should -BeOfType ([OpsRunbook.Core.Payments.StripeEventInfo])
        $e.Type | Should -Be 'invoice.payment_failed'
        $e.Created | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds($t.created))
        $e.ApiVersion | Should -Be $t.api_version
        $e.PendingWebhooks | Should -Be $t.pending_webhooks
        $e.Livemode | Should -BeFalse
        $e.ObjectId | Should -Be $t.data.object.id
        $e.ObjectId | Should -Match '^in_'
        ($e.GetRawJson() | ConvertFrom-Json).data.object.amount_due | Should -Be 1999
        ($e | ConvertTo-Csv | Select-Object -First 1) | Should -Not -Match 'Raw'
    }

    It 'filters by type, time and failed delivery on the server (types[], created[gte], delivery_success=false)' {
        Invoke-OpsSandboxStub -Stub StripeApi -Action Reset
        $since = (Get-Date).AddDays(-1)
        $got = @(Get-OpsStripeEvent -Type invoice.payment_failed -Since $since -DeliveryFailed)
        $want = @($script:Truth | Where-Object { $_.type -eq 'invoice.payment_failed' -and -not $_.deliveryOk -and $_.created -ge [DateTimeOffset]::new($since).ToUnixTimeSeconds() })
        $want.Count | Should -Be 4
        ($got.Id -join ',') | Should -Be ($want.id -join ',')
        $q = @((Invoke-OpsSandboxStub -Stub StripeApi -Action Calls).calls)[-1].query
        [uri]::UnescapeDataString($q) | Should -Match 'types\[0\]=invoice\.payment_failed'
        [uri]::UnescapeDataString($q) | Should -Match 'delivery_success=false'
        [uri]::UnescapeDataString($q) | Should -Match 'created\[gte\]=\d+'
    }

    It 'takes wildcards: one prefix.* goes to Stripe as type=, others are matched here' {
        $inv = @(Get-OpsStripeEvent -Type 'invoice.*')
        $inv.Count | Should -Be @($script:Truth | Where-Object type -like 'invoice.*').Count
        $failed = @(Get-OpsStripeEvent -Type '*.payment_failed', 'charge.f*')
        ($failed.Type | Sort-Object -Unique) -join ',' | Should -Be 'charge.failed,invoice.payment_failed'
        Get-OpsStripeEvent -First 3 | Should -HaveCount 3
    }

    It 'warns that Stripe keeps 30 days when -Since reaches further back, and still lists what there is' {
        $r = @(Get-OpsStripeEvent -Since (Get-Date).AddDays(-45) -Type charge.failed -WarningVariable w -WarningAction SilentlyContinue)
        $w | Should -HaveCount 1
        "$w" | Should -Match 'Stripe keeps events for 30 days'
        $r.Count | Should -Be 2
        Get-OpsStripeEvent -Since (Get-Date).AddDays(-2) -Type charge.failed -WarningVariable w2 | Should -BeNullOrEmpty
        $w2 | Should -HaveCount 0
    }

    It 'fetches events by id, from the pipeline too, and names a missing one StripeEventNotFound' {
        $ids = $script:Truth[0..1].id
        (($ids | Get-OpsStripeEvent).Id -join ',') | Should -Be ($ids -join ',')
        { Get-OpsStripeEvent -Id evt_doesnotexist -ErrorAction Stop } | Should -Throw -ErrorId 'StripeEventNotFound,OpsRunbook.Commands.GetOpsStripeEventCommand'
    }

    It 'retries a 429 after the Retry-After the answer asks for' {
        Invoke-OpsSandboxStub -Stub StripeApi -Action Reset
        Invoke-OpsSandboxStub -Stub StripeApi -Action Control -Body @{ rateLimit = 2; retryAfter = 1 }
        $sw = [Diagnostics.Stopwatch]::StartNew()
        @(Get-OpsStripeEvent -Type charge.failed).Count | Should -Be 2
        $sw.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2
        $calls = @((Invoke-OpsSandboxStub -Stub StripeApi -Action Calls).calls)
        $calls.Count | Should -Be 3
        ($calls[1].at - $calls[0].at) | Should -BeGreaterOrEqual 950
    }

    It 'gives up on a 429 that lasts longer than the bound with StripeRateLimited' {
        Invoke-OpsSandboxStub -Stub StripeApi -Action Control -Body @{ rateLimit = 100; retryAfter = 1 }
        try {
            $cfg = New-OpsTestConfig -Name fast.yaml -Text ((Get-OpsSandboxConfigText) -replace 'timeoutSeconds: 10', 'timeoutSeconds: 3')
            $sw = [Diagnostics.Stopwatch]::StartNew()
            { Get-OpsStripeEvent -ConfigPath $cfg -ErrorAction Stop } | Should -Throw -ErrorId 'StripeRateLimited,OpsRunbook.Commands.GetOpsStripeEventCommand'
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 6
        }
        finally { Invoke-OpsSandboxStub -Stub StripeApi -Action Reset }
    }

    It 'says StripeAuthenticationFailed for a wrong key, without the key' {
        $saved = $env:STRIPE_SECRET_KEY
        $env:STRIPE_SECRET_KEY = 'sk_test_wrongwrongwrongwrong1234'
        try {
            $all = Invoke-OpsCaptureAll { Get-OpsStripeEvent -First 1 -ErrorAction Stop }
            $all | Should -Match 'refused'
            $all | Should -Not -Match 'wrongwrong'
            { Get-OpsStripeEvent -First 1 -ErrorAction Stop } | Should -Throw -ErrorId 'StripeAuthenticationFailed,OpsRunbook.Commands.GetOpsStripeEventCommand'
        }
        finally { $env:STRIPE_SECRET_KEY = $saved }
    }
}
