<#
    The sandbox itself: a second one, on its own ports and folder, so the shared one is never disturbed.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $script:Saved = @{ Base = $env:OPSRUNBOOK_SANDBOX_PORT_BASE; Dir = $env:OPSRUNBOOK_SANDBOX_DIR }
    # A block of 30 whose ports are all free now, below the ephemeral range (32768-60999) so that no client socket
    # opened meanwhile by another test can take one of them (that is what made this suite fail now and then).
    $script:Base = 26130 + ($PID % 40) * 30
    $inUse = { param($p) $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, $p); try { $l.Start(); $false } catch { $true } finally { $l.Stop() } }
    while (@(0..29 | Where-Object { & $inUse ($script:Base + $_) })) { $script:Base += 30 }
    $env:OPSRUNBOOK_SANDBOX_PORT_BASE = $script:Base
    $env:OPSRUNBOOK_SANDBOX_DIR = "/tmp/opsrunbook-sandbox-test-$PID"
    $script:First = Start-OpsSandbox
    $script:Started = [Diagnostics.Stopwatch]::StartNew()
    $script:Second = Start-OpsSandbox
    $script:SecondTook = $script:Started.Elapsed
}

AfterAll {
    try { Stop-OpsSandbox } finally {
        if (-not $env:OPSRUNBOOK_KEEP_FAILED_SANDBOX) { Remove-Item -Recurse -Force $env:OPSRUNBOOK_SANDBOX_DIR -ErrorAction Ignore }
        $env:OPSRUNBOOK_SANDBOX_PORT_BASE = $script:Saved.Base
        $env:OPSRUNBOOK_SANDBOX_DIR = $script:Saved.Dir
    }
}

Describe 'The sandbox' {
    It 'starts on its own port base and folder, and a second start is harmless and quick' {
        $script:First.Ports.Postgres | Should -Be $script:Base
        $script:Second.Ports.Postgres | Should -Be $script:Base
        Test-OpsSandbox | Should -BeTrue
        $script:SecondTook.TotalSeconds | Should -BeLessThan 10
    }

    It 'has the runbook schema with its exact column names' {
        $cols = Invoke-OpsSandboxSql -Database app "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'"
        foreach ($c in 'users.id', 'users.email', 'users.subscription_tier', 'users.created_at', 'user_activity.user_id',
            'media_items.user_id', 'media_items.file_size', 'media_items.processing_status', 'media_items.created_at',
            'search_history.user_id', 'embeddings.media_item_id', 'cost_tracking.service', 'cost_tracking.cost', 'cost_tracking.user_id', 'cost_tracking.created_at') {
            $cols | Should -Contain $c
        }
    }

    It 'loads pg_stat_statements and has synthetic data' {
        Invoke-OpsSandboxSql -Database app "SHOW shared_preload_libraries" | Should -Match 'pg_stat_statements'
        [int](Invoke-OpsSandboxSql -Database app 'SELECT count(*) FROM users') | Should -BeGreaterThan 0
        [int](Invoke-OpsSandboxSql -Database app 'SELECT count(*) FROM media_items') | Should -BeGreaterThan 0
    }

    It 'writes an ops.yaml that validates and points at its own ports' {
        Test-OpsConfig -ConfigPath $script:First.ConfigPath -Quiet | Should -BeTrue
        (Get-Content $script:First.ConfigPath -Raw) | Should -Match "port: $($script:Base)"
    }

    It 'stops cleanly: every port closes' {
        Stop-OpsSandbox
        Test-OpsSandbox | Should -BeFalse
        # The ports this sandbox listens on: the rest of its block of 30 may belong to other suites' servers or to
        # another checkout's sandbox whose block overlaps it.
        foreach ($p in @($script:First.Ports.Postgres, $script:First.Ports.Redis, $script:First.Ports.Nginx, $script:First.Ports.S3, $script:First.Ports.Api)) {
            $c = [Net.Sockets.TcpClient]::new()
            try { { $c.Connect('127.0.0.1', $p) } | Should -Throw } finally { $c.Dispose() }
        }
        Stop-OpsSandbox   # a second stop is harmless too
    }
}
