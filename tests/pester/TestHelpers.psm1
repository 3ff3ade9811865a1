<#
    Shared helpers for the Pester suite. Every *.Tests.ps1 file starts with:

        BeforeAll { Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OpsTestModule }

    Tests always import the built module from out/OpsRunbook, never from src/.
#>
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-OpsRepoRoot { $script:RepoRoot }

function Get-OpsModulePath { Join-Path $script:RepoRoot 'out/OpsRunbook/OpsRunbook.psd1' }

function Import-OpsTestModule {
    <# Imports out/OpsRunbook and the sandbox helpers, and sets the sandbox's variables (secrets, OPSRUNBOOK_CONFIG). #>
    $module = Get-OpsModulePath
    if (-not (Test-Path $module)) { throw "The module is not built at $module. Run: dotnet pwsh ./build.ps1 Build" }
    Import-Module $module -Global -Force
    Import-Module (Join-Path $script:RepoRoot 'tests/sandbox/Sandbox.psm1') -Global -Force
    Import-OpsSandboxEnvironment
}

function Assert-OpsSandbox {
    <# Fails (never skips) with a clear message when the sandbox's services are not up. #>
    if (-not (Test-OpsSandbox)) {
        $sb = Get-OpsSandbox
        throw "The sandbox's services are not all up on 127.0.0.1:$($sb.Ports.Postgres)-$($sb.Ports.Api). Start them with: dotnet pwsh ./build.ps1 Sandbox"
    }
}

function Get-OpsFreePort {
    <# A loopback TCP port that nothing listens on right now (for a test's own server, or a closed port to probe). #>
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop(); $port
}

function Get-OpsSandboxConfigText { Get-Content (Get-OpsSandbox).ConfigPath -Raw }

function Invoke-OpsChildPwsh {
    <#
        Runs a script in a new, non-interactive pwsh with the module imported and the sandbox's variables set, the
        way a scheduled task would. Returns ExitCode, StdOut and StdErr (strings).
        -Environment adds or overrides variables; a $null value removes one.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = (Get-Location).Path,
        [int] $TimeoutSeconds = 120
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    $file = Join-Path ([IO.Path]::GetTempPath()) "opsrunbook-child-$([guid]::NewGuid().ToString('n')).ps1"
    $prologue = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module '$(Get-OpsModulePath)'`n"
    Set-Content -Path $file -Value ($prologue + $Script)
    foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.WorkingDirectory = $WorkingDirectory
    $psi.Environment['NO_COLOR'] = '1'
    foreach ($kv in (Get-OpsSandboxEnvironment).GetEnumerator()) { $psi.Environment[$kv.Key] = [string]$kv.Value }
    # A config without state.path must not write a state store into the real home directory.
    $psi.Environment['XDG_DATA_HOME'] = Join-Path ([IO.Path]::GetTempPath()) 'opsrunbook-test-xdg'
    foreach ($kv in $Environment.GetEnumerator()) {
        if ($null -eq $kv.Value) { $null = $psi.Environment.Remove($kv.Key) } else { $psi.Environment[$kv.Key] = [string]$kv.Value }
    }
    $p = [System.Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEndAsync()
    $err = $p.StandardError.ReadToEndAsync()
    if (-not $p.WaitForExit($TimeoutSeconds * 1000)) { $p.Kill($true); throw "Child pwsh did not finish within $TimeoutSeconds s." }
    $p.WaitForExit()
    Remove-Item $file -ErrorAction Ignore
    [pscustomobject]@{ ExitCode = $p.ExitCode; StdOut = $out.Result; StdErr = $err.Result }
}

function Invoke-OpsCaptureAll {
    <#
        Runs a script block and returns every stream's text joined (output, error, warning, verbose, debug,
        information, and the formatted Format-List * / ConvertTo-Json / Export-Csv of the output). For secret-leak tests.
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $csv = [IO.Path]::GetTempFileName()
    try {
        $all = & {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
            try { & $ScriptBlock } catch { $_ }
        } *>&1
        $objects = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.InformationalRecord] })
        $text = [System.Text.StringBuilder]::new()
        foreach ($r in $all) {
            $null = $text.AppendLine(($r | Out-String -Width 400))
            if ($r -is [System.Management.Automation.ErrorRecord]) {
                $null = $text.AppendLine($r.Exception.ToString())
                if ($r.ErrorDetails) { $null = $text.AppendLine($r.ErrorDetails.Message + ' ' + $r.ErrorDetails.RecommendedAction) }
                $null = $text.AppendLine([string]$r.TargetObject)
            }
        }
        if ($objects) {
            $null = $text.AppendLine(($objects | Format-List * -Force | Out-String -Width 400))
            $null = $text.AppendLine(($objects | ConvertTo-Json -Depth 6 -WarningAction Ignore))
            $objects | Export-Csv -Path $csv -NoTypeInformation -Force
            $null = $text.AppendLine((Get-Content $csv -Raw))
        }
        $text.ToString()
    }
    finally { Remove-Item $csv -ErrorAction Ignore }
}

function New-OpsTestConfig {
    <# Writes a config file into TestDrive (or -Directory) and returns its path. #>
    param([Parameter(Mandatory)] [string] $Text, [string] $Directory = $TestDrive, [string] $Name = 'ops.yaml')
    $path = Join-Path $Directory $Name
    Set-Content -Path $path -Value $Text -NoNewline
    $path
}


# ---- PostgreSQL test helpers (scratch databases in the sandbox, and throwaway instances) ----

function Invoke-OpsPsql {
    <# Runs SQL with psql (ON_ERROR_STOP) over a unix socket; returns the output lines (unaligned, tuples only). #>
    param([Parameter(Mandatory)] [string] $Sql, [Parameter(Mandatory)] [string] $Socket, [Parameter(Mandatory)] [int] $Port,
        [string] $Database = 'postgres', [string] $User = 'postgres')
    $out = & /usr/lib/postgresql/15/bin/psql -X -q -At -v ON_ERROR_STOP=1 -h $Socket -p $Port -U $User -d $Database -c $Sql 2>&1
    if ($LASTEXITCODE -ne 0) { throw "psql failed (exit $LASTEXITCODE): $($out -join "`n")" }
    $out
}

function New-OpsScratchDatabase {
    <#
        (Re)creates a database in the sandbox's PostgreSQL with the platform schema (unless -NoSchema), and
        writes an ops.yaml pointing at it (into TestDrive or -Directory). Returns the config path. Tests that
        shape data (dead tuples, bloat, hostile names, metrics) use one, never the shared app database.
    #>
    param([Parameter(Mandatory)] [ValidatePattern('^[a-z_][a-z0-9_]*$')] [string] $Name, [switch] $NoSchema,
        [string] $Maintenance = '', [string] $Directory = $TestDrive)
    $sb = Get-OpsSandbox
    $null = Invoke-OpsSandboxSql -Database postgres -Sql "DROP DATABASE IF EXISTS $Name WITH (FORCE)"
    $null = Invoke-OpsSandboxSql -Database postgres -Sql "CREATE DATABASE $Name OWNER ops"
    if (-not $NoSchema) {
        $null = Invoke-OpsSandboxSql -Database $Name -Sql (Get-Content (Join-Path $script:RepoRoot 'tests/sandbox/schema.sql') -Raw)
        $null = Invoke-OpsSandboxSql -Database $Name -Sql 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app;'
    }
    $m = if ($Maintenance) { "`n    maintenance: $Maintenance" } else { '' }
    New-OpsTestConfig -Directory $Directory -Name "$Name.yaml" -Text @"
defaultEnvironment: production
environments:
  production:
    postgres: { host: 127.0.0.1, port: $($sb.Ports.Postgres), database: $Name, username: ops, password: '`${env:DB_PASSWORD}' }$m
"@
}

function Remove-OpsScratchDatabase {
    param([Parameter(Mandatory)] [string] $Name)
    $null = Invoke-OpsSandboxSql -Database postgres -Sql "DROP DATABASE IF EXISTS $Name WITH (FORCE)"
}

function Start-OpsTestPostgres {
    <#
        Starts a throwaway PostgreSQL 15 of the test's own (never the shared sandbox) on a free loopback port,
        with roles ops (superuser) and app, and a database app. Trust authentication. For tests that exhaust
        or reconfigure a server. Stop it with Stop-OpsTestPostgres.
    #>
    param([int] $MaxConnections = 20, [int] $ReservedConnections = 3, [string[]] $Settings = @())
    $port = Get-OpsFreePort
    $dir = Join-Path ([IO.Path]::GetTempPath()) "opsrunbook-pg-$port-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $sock = Join-Path $dir 'run'
    $null = New-Item -ItemType Directory -Force -Path $dir, $sock
    & chown -R postgres:postgres $dir
    Push-Location /tmp
    try {
        $out = & runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D (Join-Path $dir 'data') -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 2>&1
        if ($LASTEXITCODE -ne 0) { throw "initdb failed: $($out -join "`n")" }
        @(
            "listen_addresses = '127.0.0.1'", "max_connections = $MaxConnections", "superuser_reserved_connections = $ReservedConnections",
            'fsync = off', 'synchronous_commit = off', 'full_page_writes = off', 'shared_buffers = 16MB'
        ) + $Settings | Add-Content -Path (Join-Path $dir 'data/postgresql.conf')
        $out = & runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D (Join-Path $dir 'data') -l (Join-Path $dir 'postgres.log') -w -t 30 -o "-p $port -k $sock" start 2>&1
        if ($LASTEXITCODE -ne 0) { throw "pg_ctl start failed: $($out -join "`n") $(Get-Content (Join-Path $dir 'postgres.log') -Raw -ErrorAction Ignore)" }
    }
    finally { Pop-Location }
    $null = Invoke-OpsPsql -Socket $sock -Port $port -Sql 'CREATE ROLE ops LOGIN SUPERUSER; CREATE ROLE app LOGIN;'
    $null = Invoke-OpsPsql -Socket $sock -Port $port -Sql 'CREATE DATABASE app OWNER ops'
    [pscustomobject]@{ Port = $port; Directory = $dir; Socket = $sock }
}

function Stop-OpsTestPostgres {
    param([Parameter(Mandatory)] $Instance)
    if (-not $Instance) { return }
    Push-Location /tmp
    try { & runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D (Join-Path $Instance.Directory 'data') -m immediate -w stop *> $null }
    finally { Pop-Location }
    Remove-Item -Recurse -Force $Instance.Directory -ErrorAction Ignore
}

function Use-OpsNpgsql {
    <#
        Makes [Npgsql.*] usable in the session: the module keeps its Npgsql in its own load context, out of reach of
        [type] literals, so tests that hold sessions open load a copy of the same file into the default context.
    #>
    if (-not ('Npgsql.NpgsqlConnection' -as [type])) { Add-Type -Path (Join-Path (Split-Path (Get-OpsModulePath)) 'Dependencies/Npgsql.dll') }
}

function New-OpsNpgsqlConnection {
    <# Opens an unpooled Npgsql connection (the module's Npgsql) on loopback; for holding sessions open in tests. #>
    param([Parameter(Mandatory)] [int] $Port, [string] $Database = 'app', [string] $User = 'app', [string] $Password = '',
        [string] $ApplicationName = 'opsrunbook-test')
    Use-OpsNpgsql
    $b = [Npgsql.NpgsqlConnectionStringBuilder]::new()
    $b.Host = '127.0.0.1'; $b.Port = $Port; $b.Database = $Database; $b.Username = $User; $b.Pooling = $false
    $b.ApplicationName = $ApplicationName; $b.Timeout = 5
    if ($Password) { $b.Password = $Password }
    $c = [Npgsql.NpgsqlConnection]::new($b.ConnectionString)
    $c.Open()
    $c
}

function Invoke-OpsNpgsql {
    <# Runs SQL on an open Npgsql connection; returns the scalar. #>
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] [string] $Sql)
    $cmd = $Connection.CreateCommand(); $cmd.CommandText = $Sql
    try { $cmd.ExecuteScalar() } finally { $cmd.Dispose() }
}

function Install-OpsFleetModule {
    <# Installs the package (out/OpsRunbook.<version>.nupkg) on the sandbox's two SSH hosts with Install-PSResource; returns the fleet. #>
    Install-OpsSandboxFleetModule
}

Export-ModuleMember -Function *
