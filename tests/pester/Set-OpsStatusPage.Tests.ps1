<#
    Set-OpsStatusPage and Get-OpsStatusPage against the sandbox's Statuspage stand-in (tests/sandbox/node/statuspage-stub.mjs,
    built from the Statuspage REST API reference; it refuses any call without "Authorization: OAuth <key>"). Linking: an open
    incident or maintenance window gets one status-page incident, updated and then resolved.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    function script:New-PageConfig([string] $Name, [string] $Replace, [string] $With) {
        $text = (Get-OpsSandboxConfigText) -replace "state: \{ path: '[^']*' \}", "state: { path: '$TestDrive/$Name/state.db' }"
        if ($Replace) { $text = $text -replace $Replace, $With }
        $null = New-Item -ItemType Directory -Force "$TestDrive/$Name"
        New-OpsTestConfig -Text $text -Name "$Name.yaml"
    }
    function script:Get-Calls { @(Invoke-OpsSandboxStub -Stub StatusPage -Action Calls) }
}

Describe 'Get-OpsStatusPage' {
    BeforeEach { Invoke-OpsSandboxStub -Stub StatusPage -Action Reset }

    It 'lists the components (groups left out), authenticating with OAuth <key>' {
        $cfg = New-PageConfig 'get'
        $c = @(Get-OpsStatusPage -ConfigPath $cfg)
        $c.Name | Should -Be @('API', 'Web App', 'Media Processing', 'Database')
        $c[0] | Should -BeOfType ([OpsRunbook.Core.Notify.StatusPageComponent])
        $c[0].Status | Should -Be 'Operational'
        $c[0].Id | Should -Be 'cmp0api00001'
        @(Get-OpsStatusPage -ConfigPath $cfg -Component 'Web*', cmp0dbs00005).Name | Should -Be @('Web App', 'Database')
        $calls = Get-Calls
        $calls[0].method | Should -Be 'GET'
        $calls[0].path | Should -Be '/v1/pages/sandboxpage/components'
        $calls.auth | Select-Object -Unique | Should -Be 'ok'
    }

    It 'a wrong key is StatusPageAuthenticationFailed and never shows the key; a wrong page is StatusPageNotFound' {
        $env:OPSRB_WRONG_SP_KEY = 'sp_wrong_key_value_123'
        try {
            $cfg = New-PageConfig 'badkey' 'apiKey: ''\$\{env:STATUSPAGE_API_KEY\}''' 'apiKey: ''$${env:OPSRB_WRONG_SP_KEY}'''
            $err = $null
            try { Get-OpsStatusPage -ConfigPath $cfg -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'StatusPageAuthenticationFailed,OpsRunbook.Commands.GetOpsStatusPageCommand'
            ($err | Out-String) + $err.Exception.Message | Should -Not -Match 'sp_wrong_key_value_123'
            (Get-Calls)[-1].auth | Should -Be 'wrong'
        }
        finally { Remove-Item Env:OPSRB_WRONG_SP_KEY }
        $cfg = New-PageConfig 'badpage' 'pageId: sandboxpage' 'pageId: nosuchpage'
        { Get-OpsStatusPage -ConfigPath $cfg -ErrorAction Stop } | Should -Throw -ErrorId 'StatusPageNotFound,OpsRunbook.Commands.GetOpsStatusPageCommand'
    }
}

Describe 'Set-OpsStatusPage' {
    BeforeEach { Invoke-OpsSandboxStub -Stub StatusPage -Action Reset }

    It '-WhatIf changes nothing' {
        $cfg = New-PageConfig 'whatif'
        Set-OpsStatusPage -ConfigPath $cfg -Status MajorOutage -Component API -Message 'down' -WhatIf
        @(Get-Calls | Where-Object method -ne 'GET').Count | Should -Be 0
        (Get-OpsStatusPage -ConfigPath $cfg -Component API).Status | Should -Be 'Operational'
    }

    It 'sets the named components (PATCH with the API status value); an unknown one is StatusPageComponentNotFound' {
        $cfg = New-PageConfig 'set'
        $r = @(Set-OpsStatusPage -ConfigPath $cfg -Status DegradedPerformance -Component API, 'media processing' -Confirm:$false)
        $r.Name | Should -Be @('API', 'Media Processing')
        $r.Status | Select-Object -Unique | Should -Be 'DegradedPerformance'
        $r.PreviousStatus | Select-Object -Unique | Should -Be 'Operational'
        $r[0].IncidentId | Should -BeNullOrEmpty -Because 'no incident is open and no message was given'
        $patches = @(Get-Calls | Where-Object method -eq 'PATCH')
        $patches.path | Should -Be @('/v1/pages/sandboxpage/components/cmp0api00001', '/v1/pages/sandboxpage/components/cmp0med00003')
        $patches[0].body.component.status | Should -Be 'degraded_performance'
        $patches[0].contentType | Should -Match '^application/json'
        @(Get-OpsStatusPage -ConfigPath $cfg | Where-Object Status -ne Operational).Name | Should -Be @('API', 'Media Processing')
        { Set-OpsStatusPage -ConfigPath $cfg -Status Operational -Component Nope -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'StatusPageComponentNotFound,OpsRunbook.Commands.SetOpsStatusPageCommand'
        # Without -Component: every component.
        @(Set-OpsStatusPage -ConfigPath $cfg -Status Operational -Confirm:$false).Count | Should -Be 4
        @(Get-OpsStatusPage -ConfigPath $cfg | Where-Object Status -ne Operational).Count | Should -Be 0
    }

    It 'an open incident gets one status-page incident: posted, updated with its status, resolved by Operational' {
        $cfg = New-PageConfig 'incident'
        $i = New-OpsIncident -ConfigPath $cfg -Title 'API returns 502' -Severity SEV2 -Confirm:$false
        $r = @(Set-OpsStatusPage -ConfigPath $cfg -Status PartialOutage -Component API -Message 'Some requests fail; investigating' -Confirm:$false)
        $spId = $r[0].IncidentId
        $spId | Should -Not -BeNullOrEmpty
        $post = @(Get-Calls | Where-Object { $_.method -eq 'POST' })
        $post.Count | Should -Be 1
        $post[0].path | Should -Be '/v1/pages/sandboxpage/incidents'
        $post[0].body.incident.name | Should -Be 'API returns 502'
        $post[0].body.incident.status | Should -Be 'investigating'
        $post[0].body.incident.body | Should -Be 'Some requests fail; investigating'
        $post[0].body.incident.components.cmp0api00001 | Should -Be 'partial_outage'
        $open = @(Get-OpsStatusPage -ConfigPath $cfg -Incident)
        $open.Count | Should -Be 1
        $open[0].Id | Should -Be $spId
        $open[0].LinkedTo | Should -Be "incident #$($i.Id)"
        $open[0].Impact | Should -Be 'major'

        $null = Set-OpsIncident -ConfigPath $cfg -Status Identified -Confirm:$false
        $r = @(Set-OpsStatusPage -ConfigPath $cfg -Status DegradedPerformance -Component API -Message 'Cause found: a bad deploy' -Confirm:$false)
        $r[0].IncidentId | Should -Be $spId
        $patch = @(Get-Calls | Where-Object { $_.method -eq 'PATCH' -and $_.path -like '*/incidents/*' })
        $patch.Count | Should -Be 1
        $patch[0].body.incident.status | Should -Be 'identified'
        @(Get-Calls | Where-Object method -eq 'POST').Count | Should -Be 1 -Because 'the linked incident is updated, not a new one posted'

        $null = Set-OpsStatusPage -ConfigPath $cfg -Status Operational -Component API -Message 'Rolled back' -Confirm:$false
        $last = @(Get-Calls | Where-Object { $_.method -eq 'PATCH' -and $_.path -like '*/incidents/*' })[-1]
        $last.body.incident.status | Should -Be 'resolved'
        $last.body.incident.body | Should -Be 'Rolled back'
        @(Get-OpsStatusPage -ConfigPath $cfg -Incident).Count | Should -Be 0
    }

    It 'an open maintenance window is a status-page maintenance (in_progress, then completed)' {
        $cfg = New-PageConfig 'maint' "maintenance: \{ flagPath: '[^']*' \}" "maintenance: { flagPath: '$TestDrive/maint/flag', backup: false }"
        $null = Start-OpsMaintenance -ConfigPath $cfg -Reason 'Database upgrade' -Duration 30m -Confirm:$false
        try {
            $r = @(Set-OpsStatusPage -ConfigPath $cfg -Status UnderMaintenance -Component Database -Confirm:$false)
            $r[0].IncidentId | Should -Not -BeNullOrEmpty
            $post = @(Get-Calls | Where-Object method -eq 'POST')[0]
            $post.body.incident.name | Should -Be 'Maintenance: Database upgrade'
            $post.body.incident.status | Should -Be 'in_progress'
            $post.body.incident.scheduled_for | Should -Not -BeNullOrEmpty
            (Get-OpsStatusPage -ConfigPath $cfg -Incident).LinkedTo | Should -Match '^maintenance #\d+$'
            $null = Set-OpsStatusPage -ConfigPath $cfg -Status Operational -Component Database -Confirm:$false
            @(Get-Calls | Where-Object { $_.method -eq 'PATCH' -and $_.path -like '*/incidents/*' })[-1].body.incident.status | Should -Be 'completed'
        }
        finally { $null = Stop-OpsMaintenance -ConfigPath $cfg -Force -Confirm:$false }
    }

    It 'retries a 503 within the bound and reports the result' {
        $cfg = New-PageConfig 'retry'
        Invoke-OpsSandboxStub -Stub StatusPage -Action Control -Body @{ failNext = 503; count = 1 }
        @(Get-OpsStatusPage -ConfigPath $cfg).Count | Should -Be 4
        @(Get-Calls).Count | Should -Be 2
    }
}
