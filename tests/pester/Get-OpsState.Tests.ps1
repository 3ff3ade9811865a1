BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    function New-StateConfig([string] $State) {
        New-OpsTestConfig -Name "state-$([guid]::NewGuid().ToString('n')).yaml" -Text @"
defaultEnvironment: t
environments:
  t:
    disk: { paths: [ / ] }
$(if ($State) { "    state: $State" })
"@
    }
}

Describe 'Get-OpsState' {
    It 'reports a store that does not exist yet as NotCreated, without creating it' {
        $db = Join-Path $TestDrive 'a/b/state.db'
        $s = Get-OpsState -ConfigPath (New-StateConfig "{ path: '$db' }")
        $s | Should -BeOfType OpsRunbook.Core.State.StateStoreInfo
        $s.Status | Should -Be 'NotCreated'
        $s.Backend | Should -Be 'Sqlite'
        $s.Location | Should -Be $db
        Test-Path (Join-Path $TestDrive 'a') | Should -BeFalse
    }

    It 'defaults to $XDG_DATA_HOME/opsrunbook/state.db' {
        $old = $env:XDG_DATA_HOME
        try {
            $env:XDG_DATA_HOME = Join-Path $TestDrive 'xdg'
            (Get-OpsState -ConfigPath (New-StateConfig)).Location | Should -Be (Join-Path $TestDrive 'xdg/opsrunbook/state.db')
        }
        finally { $env:XDG_DATA_HOME = $old }
    }

    It 'reports backend, versions, size and the rows of every table of a store in use' {
        $config = New-StateConfig "{ path: '$(Join-Path $TestDrive 'used/state.db')' }"
        $env = Get-OpsConfig -ConfigPath $config
        [OpsRunbook.Core.State.StateStore]::OpenAsync($env, [Threading.CancellationToken]::None).GetAwaiter().GetResult().Dispose()
        $s = Get-OpsState -ConfigPath $config
        $s.Status | Should -Be 'Ok'
        $s.SchemaVersion | Should -Be 1
        $s.AreaVersions | Should -Match '\bhealth 3\b'
        $s.SizeBytes | Should -BeGreaterThan 0
        ($s.Tables | Where-Object Table -eq 'health_results').Rows | Should -Be 0
        # the sqlite3 CLI agrees the file is a sound database in WAL mode
        & sqlite3 (Join-Path $TestDrive 'used/state.db') 'PRAGMA journal_mode; PRAGMA integrity_check;' | Should -Be @('wal', 'ok')
        ($s | Out-String) | Should -Match 'Location\s+:\s+\S+state\.db'
    }

    It 'reports a corrupt file as Corrupt, names it, and leaves it as it was' {
        $db = Join-Path $TestDrive 'corrupt.db'
        $bytes = [byte[]]::new(16384); [Random]::new(7).NextBytes($bytes)
        [IO.File]::WriteAllBytes($db, $bytes)
        $s = Get-OpsState -ConfigPath (New-StateConfig "{ path: '$db' }") -WarningVariable w -WarningAction SilentlyContinue
        $s.Status | Should -Be 'Corrupt'
        $s.ErrorId | Should -Be 'StateStoreCorrupt'
        $s.Problem | Should -Match ([regex]::Escape($db))
        "$w" | Should -Match 'StateStoreCorrupt'
        # Compared as one string: piping 16,384 bytes into Should costs seconds.
        [Convert]::ToBase64String([IO.File]::ReadAllBytes($db)) | Should -Be ([Convert]::ToBase64String($bytes))
    }

    It 'rejects a relative state.path in Test-OpsConfig' {
        (Test-OpsConfig -Path (New-StateConfig '{ path: relative/state.db }')).Message | Should -Match "'path' must be an absolute path"
    }
}
