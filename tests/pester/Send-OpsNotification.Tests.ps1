<#
    Send-OpsNotification through the cmdlet: a webhook receiver (tests/sandbox/notify-receiver.py) on the sandbox's NotifyReceiver
    port records the requests; Debian's aiosmtpd on the Smtp port receives the email into a maildir. Retry/timeout/STARTTLS
    details are covered by the xUnit NotifierTests.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $sb = Get-OpsSandbox
    $script:Log = Join-Path $TestDrive 'requests.jsonl'
    $script:Maildir = Join-Path $TestDrive 'maildir'
    $script:Receiver = Start-Process /usr/bin/python3 -ArgumentList @((Join-Path (Get-OpsRepoRoot) 'tests/sandbox/notify-receiver.py'), $sb.Ports.NotifyReceiver, $script:Log) -PassThru
    $script:Smtp = Start-Process /usr/bin/python3 -ArgumentList @('-m', 'aiosmtpd', '-n', '-l', "127.0.0.1:$($sb.Ports.Smtp)", '-c', 'aiosmtpd.handlers.Mailbox', $script:Maildir) -PassThru
    foreach ($port in $sb.Ports.NotifyReceiver, $sb.Ports.Smtp) {
        $until = [DateTime]::UtcNow.AddSeconds(20)
        while ([DateTime]::UtcNow -lt $until) {
            try { $c = [Net.Sockets.TcpClient]::new('127.0.0.1', $port); $c.Dispose(); break } catch { Start-Sleep -Milliseconds 100 }
        }
    }
    function Get-Received { if (Test-Path $script:Log) { @(Get-Content $script:Log | ForEach-Object { $_ | ConvertFrom-Json }) } else { @() } }
}

AfterAll {
    foreach ($p in $script:Receiver, $script:Smtp) { if ($p -and -not $p.HasExited) { $p.Kill($true); $p.WaitForExit(5000) } }
}

Describe 'Send-OpsNotification' {
    It 'piped health results become one Slack message with a table; severity from the worst status; the webhook URL never shown' {
        $results = @(
            [OpsRunbook.Core.Health.HealthCheckResult]@{ Check = 'Disk'; Target = '/'; Status = 'Critical'; Value = 93.5; Unit = '%'; Message = 'disk / is 93.5 % full' }
            [OpsRunbook.Core.Health.HealthCheckResult]@{ Check = 'Queue'; Target = 'media'; Status = 'Warning'; Value = 1200; Message = '1200 waiting' }
        )
        $r = @($results | Send-OpsNotification -Message 'Health check found problems' -Channel oncall -Verbose 4>&1)
        $res = @($r | Where-Object { $_ -is [OpsRunbook.Core.Notify.NotificationResult] })
        $res.Count | Should -Be 1
        $res[0].Status | Should -Be 'Sent'
        $res[0].Severity | Should -Be 'Critical'
        $res[0].Destination | Should -Be "http://127.0.0.1:$((Get-OpsSandbox).Ports.NotifyReceiver)"
        $all = ($r | Out-String) + ($res | ConvertTo-Json) + ($res | ConvertTo-Csv | Out-String)
        $all | Should -Not -Match 'sandboxwebhooktoken'
        $req = @(Get-Received)
        $req.Count | Should -Be 1
        $req[0].path | Should -Be '/services/T0SANDBOX/B0SANDBOX/sandboxwebhooktoken'
        $req[0].headers.'Content-Type' | Should -Match '^application/json'
        $body = $req[0].body | ConvertFrom-Json
        $body.text | Should -Be '[Critical] Health check found problems (2 result(s): 1 Critical, 1 Warning)'
        $body.blocks[0].text.text | Should -Be ':red_circle: *[Critical]* production: Health check found problems'
        $table = $body.blocks[1].text.text -split "`n"
        $table[1] | Should -Match '^Check\s+Target\s+Status\s+Value\s+Message$'
        $table[3] | Should -Match '^Disk\s+/\s+Critical\s+93\.5 %\s+disk / is 93\.5 % full$'
        $table[4] | Should -Match '^Queue\s+media\s+Warning\s+1200\s+1200 waiting$'
    }

    It 'any piped objects: their default display properties; a failed channel is a result and an error, the others still sent' {
        Remove-Item $script:Log -ErrorAction Ignore
        $cfg = Join-Path $TestDrive 'ops.yaml'
        $flaky = "http://127.0.0.1:$((Get-OpsSandbox).Ports.NotifyReceiver)/hook/fail-9"
        $text = (Get-OpsSandboxConfigText) -replace "(?m)^(\s+)- \{ name: oncall, kind: webhook.*$", "`$0`n`$1- { name: flaky, kind: http, url: '$flaky' }"
        $text | Should -Match 'name: flaky'
        Set-Content $cfg $text
        $items = 1..3 | ForEach-Object { [pscustomobject]@{ Name = "worker-$_"; Replicas = $_ } }
        $r = @($items | Send-OpsNotification -ConfigPath $cfg -Message 'Scaled' -Channel oncall, flaky -Severity Info -ErrorVariable errs -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 2
        ($r | Where-Object Channel -eq 'oncall').Status | Should -Be 'Sent'
        $bad = $r | Where-Object Channel -eq 'flaky'
        $bad.Status | Should -Be 'Failed'
        $bad.Attempts | Should -Be 3
        $bad.StatusCode | Should -Be 500
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Match '^NotificationFailed'
        $req = @(Get-Received)
        # every attempt the receiver saw answered 500 (an attempt may also end on a dropped connection under load)
        @($req | Where-Object path -eq '/hook/fail-9').Count | Should -BeIn 2, 3
        $flakyBody = ($req | Where-Object path -eq '/hook/fail-9')[0].body | ConvertFrom-Json
        $flakyBody.message | Should -Be 'Scaled'
        $flakyBody.items[2].Name | Should -Be 'worker-3'
        $flakyBody.items[2].Replicas | Should -Be '3'
        $slack = ($req | Where-Object path -like '/services/*')[0].body | ConvertFrom-Json
        $slack.blocks[1].text.text | Should -Match 'worker-2\s+2'
    }

    It 'email through a real SMTP server (aiosmtpd): headers and body' {
        $r = Send-OpsNotification -Message "Database maintenance 22:00-23:00 UTC`nUploads are paused." -Channel team-mail -Severity Warning
        $r.Status | Should -Be 'Sent'
        $r.Destination | Should -Match '^smtp://127\.0\.0\.1:\d+ -> oncall@example\.com$'
        $files = @(Get-ChildItem (Join-Path $script:Maildir 'new') -File)
        $files.Count | Should -Be 1
        $mail = Get-Content $files[0].FullName -Raw
        $mail | Should -Match '(?m)^Subject: \[Warning\] production: Database maintenance 22:00-23:00 UTC\r?$'
        $mail | Should -Match '(?m)^From: ops@example\.com\r?$'
        $mail | Should -Match '(?m)^To: oncall@example\.com\r?$'
        $mail | Should -Match '(?m)^X-OpsRunbook-Severity: Warning\r?$'
        $mail | Should -Match 'Uploads are paused\.'
    }

    It '-WhatIf sends nothing; an unknown channel is NotificationChannelNotFound' {
        Remove-Item $script:Log -ErrorAction Ignore
        Send-OpsNotification -Message 'test' -WhatIf | Should -BeNullOrEmpty
        @(Get-Received).Count | Should -Be 0
        { Send-OpsNotification -Message 'x' -Channel nope -ErrorAction Stop } | Should -Throw -ErrorId 'NotificationChannelNotFound*'
    }
}

Describe 'Operations -Notify' {
    BeforeAll {
        # The sandbox config with a state store and maintenance flag of this test's own (no backup, no workers).
        $text = (Get-OpsSandboxConfigText) -replace "state: \{ path: '[^']*' \}", "state: { path: '$TestDrive/notify-ops/state.db' }" `
            -replace "maintenance: \{ flagPath: '[^']*' \}", "maintenance: { flagPath: '$TestDrive/notify-ops/flag', backup: false }"
        $null = New-Item -ItemType Directory -Force "$TestDrive/notify-ops"
        $script:OpsCfg = New-OpsTestConfig -Text $text -Name 'notify-ops.yaml'
        function script:Get-Slack { @(Get-Received | Where-Object path -like '/services/*' | ForEach-Object { ($_.body | ConvertFrom-Json) }) }
    }

    It 'New-OpsIncident -Notify and Set-OpsIncident -Notify post the opening and each status change, nothing when the status stays' {
        Remove-Item $script:Log -ErrorAction Ignore
        $i = New-OpsIncident -ConfigPath $script:OpsCfg -Title 'API returns 502' -Severity SEV2 -Notify -Confirm:$false
        $i.Status | Should -Be 'Investigating'
        $null = Set-OpsIncident -ConfigPath $script:OpsCfg -Step Assess.Severity -Notify -Confirm:$false        # no status change: nothing posted
        $null = Set-OpsIncident -ConfigPath $script:OpsCfg -Status Identified -RootCause 'A bad deploy' -Notify -Confirm:$false
        $null = Set-OpsIncident -ConfigPath $script:OpsCfg -Status Resolved -Resolution 'Rolled back' -NotifyChannel oncall -Confirm:$false
        $m = Get-Slack
        $m.Count | Should -Be 3
        $m[0].text | Should -Be "[Critical] Incident #$($i.Id) opened (SEV2): API returns 502. Status: Investigating."
        $m[0].blocks[1].text.text | Should -Match "#$($i.Id)\s+SEV2\s+Investigating"
        $m[1].text | Should -Match "^\[Critical\] Incident #$($i.Id) \(SEV2\) API returns 502: Investigating -> Identified\. Root cause: A bad deploy"
        $m[2].text | Should -Match "^\[Info\] Incident #$($i.Id) \(SEV2\) API returns 502: Identified -> Resolved\. Duration \d+ min\. Resolution: Rolled back"
    }

    It '-WhatIf opens and sends nothing; an unknown channel stops before anything changes' {
        Remove-Item $script:Log -ErrorAction Ignore
        New-OpsIncident -ConfigPath $script:OpsCfg -Title 'Drill' -Severity SEV4 -Notify -WhatIf
        @(Get-OpsIncident -ConfigPath $script:OpsCfg).Count | Should -Be 0
        { New-OpsIncident -ConfigPath $script:OpsCfg -Title 'Drill' -Severity SEV4 -NotifyChannel nope -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NotificationChannelNotFound*'
        @(Get-OpsIncident -ConfigPath $script:OpsCfg).Count | Should -Be 0
        @(Get-Received).Count | Should -Be 0
    }

    It 'Start-OpsMaintenance -Notify and Stop-OpsMaintenance -Notify announce the window' {
        Remove-Item $script:Log -ErrorAction Ignore
        $start = Start-OpsMaintenance -ConfigPath $script:OpsCfg -Reason 'Database upgrade' -Duration 45m -Notify -Confirm:$false
        $start.Succeeded | Should -BeTrue
        $stop = Stop-OpsMaintenance -ConfigPath $script:OpsCfg -Notify -Confirm:$false
        $stop.Succeeded | Should -BeTrue
        $m = Get-Slack
        $m.Count | Should -Be 2
        $m[0].text | Should -Match '^\[Warning\] Maintenance on production has started: Database upgrade\. Planned until \d\d:\d\d UTC \(45m\)\.'
        $m[0].blocks[1].text.text | Should -Match 'Database upgrade'
        $m[1].text | Should -Match '^\[Info\] Maintenance on production is over: Database upgrade\. Smoke tests passed; service resumed\.'
    }

    It 'a channel that fails is a NotificationFailed error; the incident is open all the same' {
        $cfg = Join-Path $TestDrive 'notify-fail.yaml'
        $flaky = "http://127.0.0.1:$((Get-OpsSandbox).Ports.NotifyReceiver)/hook/fail-9"
        (Get-Content $script:OpsCfg -Raw) -replace "(?m)^(\s+)- \{ name: oncall, kind: webhook.*$", "`$0`n`$1- { name: flaky, kind: http, url: '$flaky' }" | Set-Content $cfg
        $i = New-OpsIncident -ConfigPath $cfg -Title 'Queue backlog' -Severity SEV3 -NotifyChannel flaky -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $i.Status | Should -Be 'Investigating'
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Match '^NotificationFailed'
        "$($errs[0])" | Should -Match "The change is made, but notifying channel 'flaky' failed"
    }
}
