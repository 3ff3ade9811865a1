<#
    Incidents in the state store: New/Add-OpsIncidentNote/Set/Get-OpsIncident and Export-OpsIncidentReport (Markdown and
    HTML), the fifteen checklist steps with times, evidence from the pipeline as JSON, the status order, and
    examples/runbooks/IncidentResponse.ps1 against a sandbox with one service down.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    # The sandbox config with a store of the test's own.
    function script:New-IncidentConfig([string] $Name, [switch] $ApiDown) {
        $text = (Get-OpsSandboxConfigText) -replace "state: \{ path: '[^']*' \}", "state: { path: '$TestDrive/$Name/state.db' }"
        if ($ApiDown) { $text = $text -replace "url: 'http://127\.0\.0\.1:\d+/api/health'", "url: 'http://127.0.0.1:$(Get-OpsFreePort)/api/health'" }
        $null = New-Item -ItemType Directory -Force "$TestDrive/$Name"
        New-OpsTestConfig -Text $text -Name "$Name.yaml"
    }
}

Describe 'Incidents' {
    It 'opens Investigating, takes notes with evidence, ticks steps with times and moves forward only' {
        $cfg = New-IncidentConfig 'life'
        $i = New-OpsIncident -ConfigPath $cfg -Title 'API returns 502' -Severity SEV2 -Confirm:$false
        "$($i.Status) $($i.Severity) $($i.StepsDone)" | Should -Be 'Investigating SEV2 0'
        @($i.Checklist).Count | Should -Be 15
        @($i.Checklist.Phase | Select-Object -Unique) | Should -Be @('Assess', 'Communicate', 'Mitigate', 'Resolve', 'Document')

        $health = @(Get-OpsHealth -ConfigPath $cfg -Check Disk, Redis)
        $i = $health | Add-OpsIncidentNote -ConfigPath $cfg 'Health at the start' -Confirm:$false -PassThru
        $note = $i.Timeline | Where-Object Kind -eq note
        $note.Text | Should -Be 'Health at the start'
        $note.EvidenceCount | Should -Be $health.Count
        $rows = $note.Evidence | ConvertFrom-Json
        @($rows).Count | Should -Be $health.Count
        $rows[0].Check | Should -Be $health[0].Check

        $t0 = [DateTimeOffset]::UtcNow
        $i = Set-OpsIncident -ConfigPath $cfg -Step Assess.Severity, Assess.AffectedSystems -Status Identified -RootCause 'upstream timeout' -Confirm:$false
        "$($i.Status) $($i.StepsDone)" | Should -Be 'Identified 2'
        $tick = ($i.Checklist | Where-Object Id -eq 'Assess.Severity').TickedAt
        $tick | Should -BeGreaterOrEqual $t0.AddSeconds(-1)
        Start-Sleep -Milliseconds 20
        $i = Set-OpsIncident -ConfigPath $cfg -Step Assess.Severity -Status Monitoring -Confirm:$false
        ($i.Checklist | Where-Object Id -eq 'Assess.Severity').TickedAt | Should -Be $tick -Because 'ticking twice keeps the first time'
        $i = Set-OpsIncident -ConfigPath $cfg -Id $i.Id -Status Resolved -Resolution 'restarted the API' -ActionItem 'Alert on 502 rate', 'Add a readiness probe' -Confirm:$false
        $i.ResolvedAt | Should -Not -BeNullOrEmpty
        $i.ActionItems | Should -Be @('Alert on 502 rate', 'Add a readiness probe')
        { Set-OpsIncident -ConfigPath $cfg -Id $i.Id -Status Investigating -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'IncidentStatusOrder,*'
        { Set-OpsIncident -ConfigPath $cfg -Id $i.Id -Status Identified -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'IncidentStatusOrder,*'
        (Get-OpsIncident -ConfigPath $cfg -Id $i.Id).Status | Should -Be 'Resolved'
        @(Get-OpsIncident -ConfigPath $cfg).Count | Should -Be 0 -Because 'only open incidents by default'
        @(Get-OpsIncident -ConfigPath $cfg -All).Count | Should -Be 1
        ($i.Timeline | Where-Object Kind -eq status).Text | Should -Be @('Investigating -> Identified', 'Identified -> Monitoring', 'Monitoring -> Resolved')
    }

    It 'names what is wrong: no open incident, an unknown step, an empty note; -WhatIf records nothing' {
        $cfg = New-IncidentConfig 'errors'
        { Add-OpsIncidentNote -ConfigPath $cfg 'x' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'IncidentNotFound,*'
        { Set-OpsIncident -ConfigPath $cfg -Step Assess.Nope -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        New-OpsIncident -ConfigPath $cfg -Title 'x' -Severity SEV4 -WhatIf | Should -BeNullOrEmpty
        @(Get-OpsIncident -ConfigPath $cfg -All).Count | Should -Be 0
        $null = New-OpsIncident -ConfigPath $cfg -Title 'x' -Severity SEV4 -Confirm:$false
        { Add-OpsIncidentNote -ConfigPath $cfg -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'IncidentNoteEmpty,*'
        { Get-OpsIncident -ConfigPath $cfg -Id 999 -ErrorAction Stop } | Should -Throw -ErrorId 'IncidentNotFound,*'
    }

    It 'Export-OpsIncidentReport: the postmortem sections in order, the timeline and the checklist with times; HTML encoded' {
        $cfg = New-IncidentConfig 'report'
        $i = New-OpsIncident -ConfigPath $cfg -Title 'Checkout <script>alert(1)</script> fails' -Severity SEV1 -Summary 'Payments failed for 20 minutes.' -Confirm:$false
        Add-OpsIncidentNote -ConfigPath $cfg 'Rolled back release 42 | hotfix' -Confirm:$false
        $null = Set-OpsIncident -ConfigPath $cfg -Step Communicate.StatusPage -Status Resolved -RootCause 'A bad deploy' -Resolution 'Rolled back' -ActionItem 'Canary deploys' -Confirm:$false
        $md = Export-OpsIncidentReport -ConfigPath $cfg -Id $i.Id
        $order = '## Summary', '## Impact', '## Timeline', '## Root cause', '## Resolution', '## Action items', '## Checklist' | ForEach-Object { $md.IndexOf($_) }
        $order | Should -Not -Contain -1
        ($order | Sort-Object) | Should -Be $order
        $md | Should -Match 'Payments failed for 20 minutes\.'
        $md | Should -Match '- Duration: '
        $md | Should -Match 'Rolled back release 42 \\\| hotfix'
        $md | Should -Match '- \[x\] Update status page \(`Communicate.StatusPage`\) - \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ by '
        $md | Should -Match '- \[ \] Schedule post-mortem'
        $md | Should -Match '- \[ \] Canary deploys'
        $file = Export-OpsIncidentReport -ConfigPath $cfg -Id $i.Id -Format Html -Path "$TestDrive/report.html" -Confirm:$false
        $html = Get-Content $file.FullName -Raw
        $html | Should -Match '<h2>Timeline</h2>'
        $html | Should -Match '<th>Time \(UTC\)</th>'
        $html | Should -Not -Match '<script>'
        $html | Should -Match '&lt;script&gt;'
    }
}

Describe 'examples/runbooks/IncidentResponse.ps1' {
    It 'opens an incident from the failing checks with the health table as evidence, assesses it and writes the report' {
        $cfg = New-IncidentConfig 'runbook' -ApiDown
        $rb = Join-Path (Get-OpsRepoRoot) 'examples/runbooks/IncidentResponse.ps1'
        $r = Invoke-OpsChildPwsh -Script "& '$rb' -ConfigPath '$cfg' -ReportDirectory '$TestDrive/incidents'; exit `$LASTEXITCODE" -TimeoutSeconds 180
        $r.ExitCode | Should -Be 2 -Because "$($r.StdOut)$($r.StdErr)"
        $r.StdOut | Should -Match 'opened incident #1 SEV2: Unhealthy: Service/api'
        $r.StdOut | Should -Match 'affected Service/api Critical: .* Next: Complete Service Outage'
        $i = Get-OpsIncident -ConfigPath $cfg -Id 1
        ($i.Checklist | Where-Object Done).Id | Should -Be @('Assess.Severity', 'Assess.AffectedSystems')
        ($i.Timeline | Where-Object EvidenceCount -gt 0).EvidenceCount | Should -BeGreaterThan 5
        Get-Content "$TestDrive/incidents/incident-1.md" -Raw | Should -Match '## Timeline'
        # A second run continues the same incident.
        $r = Invoke-OpsChildPwsh -Script "& '$rb' -ConfigPath '$cfg' -ReportDirectory '$TestDrive/incidents'; exit `$LASTEXITCODE" -TimeoutSeconds 180
        $r.StdOut | Should -Match 'continuing open incident #1'
        @(Get-OpsIncident -ConfigPath $cfg -All).Count | Should -Be 1
    }
}
