# Failed BullMQ jobs, made by the real bullmq package (a Worker whose processor throws), listed from Redis and from the
# admin API stand-in, and retried with Restart-OpsFailedJob: a real bullmq Worker then completes the retried jobs.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:P = (Get-OpsSandbox).Ports
    $script:Node = Join-Path (Get-OpsRepoRoot) 'tests/sandbox/node'
    function script:Invoke-BullMq([string[]] $Arguments) {
        $env:REDIS_HOST = '127.0.0.1'; $env:REDIS_PORT = $script:P.Redis
        Push-Location $script:Node
        try { $out = & timeout 60 node bullmq-jobs.mjs @Arguments 2>&1 } finally { Pop-Location }
        if ($LASTEXITCODE -ne 0) { throw "bullmq-jobs.mjs $($Arguments -join ' ') failed (exit $LASTEXITCODE): $out" }
        $out
    }
    function script:New-QueueConfig([string] $Prefix, [string] $Source = 'bullmq') {
        New-OpsTestConfig -Name "$Prefix-$Source.yaml" -Text @"
defaultEnvironment: t
environments:
  t:
    redis: { configuration: '127.0.0.1:$($script:P.Redis)', password: '`${env:REDIS_PASSWORD}' }
    api: { baseUrl: 'http://127.0.0.1:$($script:P.Api)' }
    queues: { source: $Source, prefix: $Prefix, names: [media] }
"@
    }
}

Describe 'Get-OpsFailedJob and Restart-OpsFailedJob' {
    BeforeAll {
        $script:Prefix = "failed$(Get-Random)"
        Invoke-BullMq fill, $script:Prefix, media, 0, 0, 3, 0 | Out-Null   # 3 jobs that a real Worker failed ('timeout after 30000ms')
        $script:Cfg = New-QueueConfig $script:Prefix
    }
    AfterAll { Invoke-BullMq obliterate, $script:Prefix, media | Out-Null }

    It 'lists the failed jobs from Redis with the reason, attempts and times BullMQ recorded' {
        $jobs = @(Get-OpsFailedJob -ConfigPath $script:Cfg)
        $jobs.Count | Should -Be 3
        $jobs | ForEach-Object { $_ | Should -BeOfType ([OpsRunbook.Core.Operations.FailedJob]) }
        $jobs.FailedReason | Select-Object -Unique | Should -Be 'timeout after 30000ms'
        $jobs.Name | Select-Object -Unique | Should -Be 'boom'
        $jobs.AttemptsMade | Select-Object -Unique | Should -Be 1
        $jobs | ForEach-Object { $_.FinishedOn | Should -BeGreaterOrEqual $_.Timestamp; $_.Queue | Should -Be 'media'; $_.Source | Should -Be 'bullmq' }
        @(Get-OpsFailedJob -ConfigPath $script:Cfg -First 2).Count | Should -Be 2
        ($jobs | Format-Table | Out-String -Width 250) | Should -Match 'timeout after 30000ms'
    }

    It 'lists the same jobs from the admin API (queues.source: api) as from Redis' {
        # The API stand-in serves the sandbox's own queues (prefix bull): two failed jobs there for a moment, removed after.
        try {
            Invoke-BullMq fill, bull, embeddings, 0, 0, 2, 0 | Out-Null
            $fromRedis = @(Get-OpsFailedJob -ConfigPath (New-QueueConfig bull) -Queue embeddings)
            $fromApi = @(Get-OpsFailedJob -ConfigPath (New-QueueConfig bull api) -Queue embeddings)
            $fromRedis.Count | Should -Be 2
            $fromApi.Source | Select-Object -Unique | Should -Be 'api'
            ($fromApi | ForEach-Object { "$($_.Id) $($_.Name) $($_.FailedReason) $($_.AttemptsMade) $($_.Timestamp)" } | Sort-Object) |
                Should -Be ($fromRedis | ForEach-Object { "$($_.Id) $($_.Name) $($_.FailedReason) $($_.AttemptsMade) $($_.Timestamp)" } | Sort-Object)
        }
        finally { Invoke-BullMq clean, bull, embeddings, failed | Out-Null }
        @(Get-OpsFailedJob -ConfigPath (New-QueueConfig bull) -Queue embeddings).Count | Should -Be 0
    }

    It '-WhatIf retries nothing' {
        Get-OpsFailedJob -ConfigPath $script:Cfg | Restart-OpsFailedJob -ConfigPath $script:Cfg -WhatIf
        @(Get-OpsFailedJob -ConfigPath $script:Cfg).Count | Should -Be 3
        (Invoke-BullMq counts, $script:Prefix, media | ConvertFrom-Json).waiting | Should -Be 0
    }

    It 'moves them back to wait as job.retry() does, and a real bullmq Worker then completes them' {
        $before = @(Get-OpsFailedJob -ConfigPath $script:Cfg)
        $r = @($before | Restart-OpsFailedJob -ConfigPath $script:Cfg -Confirm:$false)
        $r.Result | Select-Object -Unique | Should -Be 'Retried'
        $r.Id | Sort-Object | Should -Be ($before.Id | Sort-Object)
        $counts = Invoke-BullMq counts, $script:Prefix, media | ConvertFrom-Json
        $counts.failed | Should -Be 0
        $counts.waiting | Should -Be 3
        $done = Invoke-BullMq work, $script:Prefix, media, 3, 30000 | ConvertFrom-Json
        @($done).Count | Should -Be 3
        $done.id | Sort-Object | Should -Be ($before.Id | Sort-Object)
        $after = Invoke-BullMq counts, $script:Prefix, media | ConvertFrom-Json
        $after.completed | Should -Be 3
        $after.failed | Should -Be 0
    }

    It 'reports a job that is no longer failed or does not exist, without an error' {
        $r = @(Restart-OpsFailedJob -ConfigPath $script:Cfg -Queue media -Id 1, 999999 -Confirm:$false -ErrorAction Stop)
        ($r | Where-Object Id -eq '1').Result | Should -Be 'NotFailed'
        ($r | Where-Object Id -eq '999999').Result | Should -Be 'NotFound'
    }

    It 'refuses to retry through the admin API with FailedJobRetryUnsupported, and a closed Redis port is RedisConnectFailed' {
        { Restart-OpsFailedJob -ConfigPath (New-QueueConfig $script:Prefix api) -Queue media -Id 1 -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'FailedJobRetryUnsupported*'
        $closed = New-OpsTestConfig -Name closed.yaml -Text "defaultEnvironment: t`nenvironments:`n  t:`n    redis: { configuration: '127.0.0.1:$(Get-OpsFreePort)' }`n    queues: { prefix: x, names: [media] }`n"
        { Get-OpsFailedJob -ConfigPath $closed -Timeout 2s -ErrorAction Stop } | Should -Throw -ErrorId 'RedisConnectFailed*'
    }
}
