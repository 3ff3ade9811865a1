<#
    Follows README.md's "Install on a server" section step by step, with its system folders moved into TestDrive:
    pwsh as a .NET tool, the module copied into a PSModulePath folder, the root-only secrets file, the systemd
    service and timer (checked by systemd-analyze verify) and the cron line, each running a runbook by module name.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Root = Get-OpsRepoRoot
    $readme = Get-Content (Join-Path $script:Root 'README.md') -Raw
    $start = $readme.IndexOf('## Install on a server')
    $end = $readme.IndexOf('### Exit codes', $start)
    $section = $readme.Substring($start, $end - $start)
    $script:Blocks = @([regex]::Matches($section, '(?ms)^ *```(?<lang>\w+)\r?\n(?<code>.*?)^ *```') | ForEach-Object {
            [pscustomobject]@{ Lang = $_.Groups['lang'].Value; Code = (($_.Groups['code'].Value -split "`n" | ForEach-Object { $_ -replace '^   ', '' }) -join "`n") }
        })
    $t = $TestDrive
    # The README's system paths, moved into TestDrive (longest first).
    $script:Moves = [ordered]@{
        '/usr/local/share/powershell/Modules' = "$t/modules"
        '/usr/local/bin/pwsh'                 = "$t/bin/pwsh"
        '/usr/local/bin'                      = "$t/bin"
        '/etc/opsrunbook'                     = "$t/etc"
        '/var/log/opsrunbook'                 = "$t/log"
        '~/.dotnet/tools'                     = "$t/tools"
        '--global'                            = "--tool-path $t/tools"
    }
    function script:Move-Paths([string] $Text) { foreach ($kv in $script:Moves.GetEnumerator()) { $Text = $Text.Replace($kv.Key, $kv.Value) }; $Text }
    function script:Invoke-Bash([string] $Code, [hashtable] $Environment = @{}) {
        $file = Join-Path $TestDrive "step-$([guid]::NewGuid().ToString('n')).sh"
        Set-Content $file ("set -euo pipefail`n" + $Code)
        $envArgs = @($Environment.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })
        $out = & env @envArgs bash $file 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($out -join "`n") }
    }
    $script:PathWithBin = "$t/bin:$env:PATH"
    # Folders every server has already.
    $null = New-Item -ItemType Directory -Force "$t/bin"
}

Describe 'README: Install on a server' {
    It 'has the steps: pwsh, the module, the secrets, a systemd service and timer, a cron line' {
        @($script:Blocks.Lang) | Should -Be @('bash', 'bash', 'bash', 'ini', 'ini', 'cron')
    }

    It 'step 1 puts pwsh on PATH as a .NET tool' {
        $r = Invoke-Bash (Move-Paths $script:Blocks[0].Code)
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $v = & "$TestDrive/bin/pwsh" -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()'
        $v | Should -Be '7.6.9'
        # The folder the README copies the module into is on pwsh's default PSModulePath.
        & "$TestDrive/bin/pwsh" -NoProfile -NonInteractive -Command '$env:PSModulePath' | Should -Match '(^|:)/usr/local/share/powershell/Modules(:|$)'
    }

    It 'step 2 installs the module with its runbooks, importable by name' {
        # The suite has built out/OpsRunbook already: the build line is not repeated here.
        $code = (Move-Paths $script:Blocks[1].Code) -split "`n" | Where-Object { $_ -notmatch 'build\.ps1 Build' }
        $r = Invoke-Bash ("cd '$script:Root'`n" + ($code -join "`n")) @{ PATH = $script:PathWithBin; PSModulePath = "$TestDrive/modules" }
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output.Trim() | Should -Be "OpsRunbook $((Import-PowerShellDataFile (Get-OpsModulePath)).ModuleVersion)"
        "$TestDrive/modules/OpsRunbook/runbooks/DailyHealthCheck.ps1" | Should -Exist
    }

    It 'step 3 writes the secrets to a root-only file' {
        $r = Invoke-Bash ("cd '$script:Root'`n" + (Move-Paths $script:Blocks[2].Code))
        $r.ExitCode | Should -Be 0 -Because $r.Output
        (& stat -c '%a %U' "$TestDrive/etc/secrets.env") | Should -Be '600 root'
        "$TestDrive/etc/ops.yaml" | Should -Exist
        (Get-Content "$TestDrive/etc/secrets.env") | Should -Contain "OPSRUNBOOK_CONFIG=$TestDrive/etc/ops.yaml"
        # "then edit it for your hosts": here, the sandbox's hosts and secrets.
        Copy-Item (Get-OpsSandbox).ConfigPath "$TestDrive/etc/ops.yaml" -Force
        $vars = Get-OpsSandboxEnvironment
        $vars['OPSRUNBOOK_CONFIG'] = "$TestDrive/etc/ops.yaml"
        Set-Content "$TestDrive/etc/secrets.env" ($vars.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })
        (& stat -c '%a' "$TestDrive/etc/secrets.env") | Should -Be '600' -Because 'rewriting the file keeps its mode'
    }

    It 'step 4: the systemd service and timer pass systemd-analyze verify, and the service runs the runbook by module name' {
        $units = Join-Path $TestDrive 'units'; $null = New-Item -ItemType Directory $units
        Set-Content (Join-Path $units 'opsrunbook-health.service') (Move-Paths $script:Blocks[3].Code)
        Set-Content (Join-Path $units 'opsrunbook-health.timer') (Move-Paths $script:Blocks[4].Code)
        $verify = & systemd-analyze verify (Join-Path $units 'opsrunbook-health.service') (Join-Path $units 'opsrunbook-health.timer') 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($verify -join "`n")
        $service = Get-Content (Join-Path $units 'opsrunbook-health.service')
        $envFile = ($service | Where-Object { $_ -match '^EnvironmentFile=(.+)$' }) -replace '^EnvironmentFile='
        $envFile | Should -Be "$TestDrive/etc/secrets.env"
        $exec = ($service | Where-Object { $_ -match '^ExecStart=' }) -replace '^ExecStart='
        $success = @(0) + @(($service | Where-Object { $_ -match '^SuccessExitStatus=' }) -replace '^SuccessExitStatus=' -split ' ' | ForEach-Object { [int]$_ })
        # As systemd runs it: a clean environment plus the EnvironmentFile's variables, no shell.
        $envArgs = @('-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', "PSModulePath=$TestDrive/modules") +
            @(Get-Content $envFile | Where-Object { $_ -match '^\w+=' })
        $out = & env @envArgs @($exec -split ' ') 2>&1
        $code = $LASTEXITCODE
        $success | Should -Contain $code -Because ($out -join "`n")
        $log = Get-ChildItem "$TestDrive/log" -Filter 'health-check-*.log'
        (Get-Content $log.FullName -Raw) | Should -Match 'Health check complete: .*exit [01] '
        "$TestDrive/log/opsrunbook-health.prom" | Should -Exist
        ($out -join "`n") | Should -Not -Match "`e\[" -Because 'the journal gets plain lines'
    }

    It 'step 4: the cron line runs the same runbook with the root-only secrets' {
        $line = @($script:Blocks[5].Code -split "`n" | Where-Object { $_ -match '^\S' })[0]
        $fields = $line -split ' +', 7
        $fields[5] | Should -Be 'root'
        & systemd-analyze calendar --iterations=1 '*:0/5' *> $null
        $LASTEXITCODE | Should -Be 0
        Remove-Item "$TestDrive/log/*" -Force
        # As cron runs it: /bin/sh, cron's minimal environment.
        $out = & env -i 'PATH=/usr/bin:/bin' 'HOME=/root' 'SHELL=/bin/sh' "PSModulePath=$TestDrive/modules" /bin/sh -c (Move-Paths $fields[6]) 2>&1
        @(0, 1) | Should -Contain $LASTEXITCODE -Because ($out -join "`n")
        (Get-Content (Get-ChildItem "$TestDrive/log" -Filter 'health-check-*.log').FullName -Raw) | Should -Match 'Health check complete'
        ($out -join "`n") | Should -Not -Match "`e\["
    }
}
