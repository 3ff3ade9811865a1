BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule

    function New-CleanupTree {
        <# A logs root, a backups root and an outside directory reached through symlinks; returns paths and a config. #>
        $base = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $t = @{ Base = $base; Logs = "$base/logs"; Backups = "$base/backups"; Outside = "$base/outside" }
        $null = New-Item -ItemType Directory -Force -Path $t.Logs, "$($t.Logs)/nested dir", $t.Backups, $t.Outside, "$($t.Outside)/dir"
        $now = [DateTime]::UtcNow
        $files = [ordered]@{
            "$($t.Logs)/api-old.log"               = 10   # days old
            "$($t.Logs)/nested dir/worker old.log" = 9
            "$($t.Logs)/-rf.log"                   = 8
            "$($t.Logs)/ünï ファイル.log"           = 8
            "$($t.Logs)/line`nbreak.log"           = 8
            "$($t.Logs)/today.log"                 = 0
            "$($t.Logs)/old.txt"                   = 30
            "$($t.Backups)/app-1.dump"             = 45
            "$($t.Backups)/app-2.dump"             = 3
            "$($t.Outside)/precious.log"           = 100
            "$($t.Outside)/dir/precious.log"       = 100
        }
        $i = 0
        foreach ($f in $files.GetEnumerator()) {
            $i++
            [IO.File]::WriteAllBytes($f.Key, [byte[]]::new(1000 * $i))
            [IO.File]::SetLastWriteTimeUtc($f.Key, $now.AddDays(-$f.Value))
        }
        $null = New-Item -ItemType SymbolicLink -Path "$($t.Logs)/link-to-precious.log" -Target "$($t.Outside)/precious.log"
        $null = New-Item -ItemType SymbolicLink -Path "$($t.Logs)/link-to-dir" -Target "$($t.Outside)/dir"
        $t.Config = New-OpsTestConfig -Directory $base -Text @"
environments:
  production:
    cleanup:
      - { name: old-logs, path: '$($t.Logs)', pattern: '*.log', olderThanDays: 7, action: delete }
      - { name: old-backups, path: '$($t.Backups)', pattern: '*.dump', olderThanDays: 30, action: delete }
"@
        $t.Expected = @("$($t.Logs)/api-old.log", "$($t.Logs)/nested dir/worker old.log", "$($t.Logs)/-rf.log", "$($t.Logs)/ünï ファイル.log", "$($t.Logs)/line`nbreak.log", "$($t.Backups)/app-1.dump") | Sort-Object -CaseSensitive
        $t
    }

    function Get-TreeState([string] $Path) {
        <# Every entry (not following symlinks) with type, size and mtime, as one comparable string per entry. #>
        $out = [System.Collections.Generic.List[string]]::new()
        $walk = { param($d)
            foreach ($e in [IO.DirectoryInfo]::new($d).EnumerateFileSystemInfos()) {
                if ($e.LinkTarget) { $out.Add("$($e.FullName) -> $($e.LinkTarget)") }
                elseif ($e -is [IO.DirectoryInfo]) { $out.Add("$($e.FullName)/"); & $walk $e.FullName }
                else { $out.Add("$($e.FullName) $($e.Length) $($e.LastWriteTimeUtc.Ticks)") }
            }
        }
        & $walk $Path
        $out | Sort-Object -CaseSensitive
    }
}

Describe 'Clear-DiskEmergency' {
    It '-WhatIf changes nothing: same files, sizes and mtimes, and reports what it would free' {
        $t = New-CleanupTree
        $before = Get-TreeState $t.Base
        $r = @(Clear-DiskEmergency -ConfigPath $t.Config -WhatIf)
        Get-TreeState $t.Base | Should -Be $before
        $r.Count | Should -Be 2
        $r | ForEach-Object { $_.WhatIf | Should -BeTrue; $_.FilesRemoved | Should -Be 0; $_.BytesFreed | Should -Be 0 }
        @($r.Files.Path | Sort-Object -CaseSensitive) | Should -Be $t.Expected
        ($r | Where-Object Policy -eq 'old-logs').FilesMatched | Should -Be 5
    }

    It '-WhatIf prints every file with its size and the total per policy' {
        $t = New-CleanupTree
        $before = Get-TreeState $t.Base
        $c = Invoke-OpsChildPwsh -Script "Clear-DiskEmergency -ConfigPath '$($t.Config)' -WhatIf | Out-Null"
        $c.ExitCode | Should -Be 0 -Because $c.StdErr
        $lines = $c.StdOut -split "`n" | Where-Object { $_ -like 'What if:*' }
        $lines | Where-Object { $_ -match 'on target "old-logs: 5 file\(s\), .* \(\d[\d,]* bytes\)' } | Should -HaveCount 1
        $lines | Where-Object { $_ -match 'on target "old-backups: 1 file\(s\)' } | Should -HaveCount 1
        foreach ($f in $t.Expected | Where-Object { $_ -notmatch "`n" }) {
            $size = (Get-Item -LiteralPath $f).Length
            ($lines | Where-Object { $_.Contains("target `"$f (") -and $_.Contains("$size bytes") }) | Should -HaveCount 1 -Because "the preview lists $f"
        }
        Get-TreeState $t.Base | Should -Be $before
    }

    It 'lists the same files as Get-OpsCleanupCandidate' {
        $t = New-CleanupTree
        @(Get-OpsCleanupCandidate -ConfigPath $t.Config | ForEach-Object Path | Sort-Object -CaseSensitive) | Should -Be $t.Expected
        @(Get-OpsCleanupCandidate -ConfigPath $t.Config -Policy old-backups).Path | Should -Be "$($t.Backups)/app-1.dump"
    }

    It '-Force removes exactly the previewed files, nothing through symlinks, and reports disk before and after' {
        $t = New-CleanupTree
        $before = Get-TreeState $t.Base
        $outsideBefore = Get-TreeState $t.Outside
        $r = @(Clear-DiskEmergency -ConfigPath $t.Config -Force)
        $after = Get-TreeState $t.Base
        $removed = @($before | Where-Object { $_ -notin $after } | ForEach-Object { $_ -replace ' \d+ \d+$', '' } | Where-Object { -not $_.EndsWith('/') })
        @($removed | Sort-Object -CaseSensitive) | Should -Be $t.Expected
        Get-TreeState $t.Outside | Should -Be $outsideBefore
        Test-Path -LiteralPath "$($t.Logs)/link-to-precious.log" | Should -BeTrue
        $logs = $r | Where-Object Policy -eq 'old-logs'
        $logs.FilesRemoved | Should -Be 5
        $logs.Errors | Should -Be 0
        $logs.BytesFreed | Should -Be (($r.Files | Where-Object Policy -eq 'old-logs' | Measure-Object SizeBytes -Sum).Sum)
        $logs.FreeBytesBefore | Should -BeGreaterThan 0
        $logs.FreeBytesAfter | Should -BeGreaterThan 0
        ($r | Where-Object Policy -eq 'old-backups').FilesRemoved | Should -Be 1
    }

    It 'runs only the named policy' {
        $t = New-CleanupTree
        $r = Clear-DiskEmergency -ConfigPath $t.Config -Policy old-backups -Force
        $r.Policy | Should -Be 'old-backups'
        Test-Path "$($t.Logs)/api-old.log" | Should -BeTrue
        Test-Path "$($t.Backups)/app-1.dump" | Should -BeFalse
    }

    It 'refuses a policy that is not in the config' {
        $t = New-CleanupTree
        { Clear-DiskEmergency -ConfigPath $t.Config -Policy nosuch -Force } | Should -Throw -ErrorId 'CleanupPolicyNotFound,OpsRunbook.Commands.ClearDiskEmergencyCommand'
        (Get-TreeState $t.Base).Count | Should -BeGreaterThan 10
    }

    It 'refuses a root of / or a system path in the config' {
        foreach ($root in '/', '/etc', '/usr/lib', '/var/lib/postgresql', '/boot') {
            $cfg = New-OpsTestConfig -Name "bad-$([guid]::NewGuid().ToString('n')).yaml" -Text @"
environments:
  production:
    cleanup:
      - { name: bad, path: '$root', pattern: '*', olderThanDays: 0, action: delete }
"@
            { Clear-DiskEmergency -ConfigPath $cfg -Force } | Should -Throw -ErrorId 'ConfigInvalid,OpsRunbook.Commands.ClearDiskEmergencyCommand' -Because "root $root must be refused"
        }
    }

    It 'refuses a root that is a symlink to a system path, and -ErrorAction Stop stops' {
        $t = New-CleanupTree
        $link = Join-Path $t.Base 'etc-link'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target /etc
        $cfg = New-OpsTestConfig -Directory $t.Base -Name 'sneaky.yaml' -Text @"
environments:
  production:
    cleanup:
      - { name: sneaky, path: '$link', pattern: '*', olderThanDays: 0, action: delete }
      - { name: old-backups, path: '$($t.Backups)', pattern: '*.dump', olderThanDays: 30, action: delete }
"@
        $r = @(Clear-DiskEmergency -ConfigPath $cfg -Force -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs[0].FullyQualifiedErrorId | Should -Be 'CleanupRootForbidden,OpsRunbook.Commands.ClearDiskEmergencyCommand'
        $r.Policy | Should -Be 'old-backups' -Because 'the other policies still run'
        { Clear-DiskEmergency -ConfigPath $cfg -Force -ErrorAction Stop } | Should -Throw -ErrorId 'CleanupRootForbidden,OpsRunbook.Commands.ClearDiskEmergencyCommand'
        Test-Path /etc/hostname | Should -BeTrue
    }

    It 'reports a file it cannot remove as a non-terminating error and cleans the rest' {
        $t = New-CleanupTree
        $stuck = "$($t.Logs)/api-old.log"
        chattr +i $stuck
        try {
            $r = Clear-DiskEmergency -ConfigPath $t.Config -Policy old-logs -Force -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'CleanupFileFailed,OpsRunbook.Commands.ClearDiskEmergencyCommand'
            $errs[0].TargetObject | Should -Be $stuck
            $r.FilesRemoved | Should -Be 4
            $r.Errors | Should -Be 1
            { Clear-DiskEmergency -ConfigPath $t.Config -Policy old-logs -Force -ErrorAction Stop } | Should -Throw -ErrorId 'CleanupFileFailed,OpsRunbook.Commands.ClearDiskEmergencyCommand'
        }
        finally { chattr -i $stuck }
    }

    It 'truncates live logs in place with action truncate' {
        $base = Join-Path $TestDrive 'trunc'; $null = New-Item -ItemType Directory $base
        [IO.File]::WriteAllBytes("$base/live.log", [byte[]]::new(5000)); [IO.File]::SetLastWriteTimeUtc("$base/live.log", [DateTime]::UtcNow.AddDays(-2))
        $cfg = New-OpsTestConfig -Directory $base -Text "environments: { production: { cleanup: [ { name: live, path: '$base', pattern: '*.log', olderThanDays: 1, action: truncate } ] } }"
        $r = Clear-DiskEmergency -ConfigPath $cfg -Force
        $r.BytesFreed | Should -Be 5000
        (Get-Item "$base/live.log").Length | Should -Be 0
    }

    It 'asks before cleaning: a non-interactive run without -Force deletes nothing; -Force runs as a scheduled task would' {
        $t = New-CleanupTree
        $before = Get-TreeState $t.Base
        $c = Invoke-OpsChildPwsh -Script "Clear-DiskEmergency -ConfigPath '$($t.Config)'"
        $c.ExitCode | Should -Not -Be 0
        Get-TreeState $t.Base | Should -Be $before
        $c = Invoke-OpsChildPwsh -Script "Clear-DiskEmergency -ConfigPath '$($t.Config)' -Force | ForEach-Object { `"`$(`$_.Policy)=`$(`$_.FilesRemoved)`" }"
        $c.ExitCode | Should -Be 0 -Because $c.StdErr
        ($c.StdOut -split "`n" | ForEach-Object Trim | Where-Object { $_ }) | Should -Be @('old-logs=5', 'old-backups=1')
    }

    It 'cleans only the candidates piped from Get-OpsCleanupCandidate' {
        $t = New-CleanupTree
        $picked = @(Get-OpsCleanupCandidate -ConfigPath $t.Config -Policy old-logs | Sort-Object Path | Select-Object -First 2)
        $before = Get-TreeState $t.Base
        $picked | Clear-DiskEmergency -ConfigPath $t.Config -WhatIf | Out-Null
        Get-TreeState $t.Base | Should -Be $before
        $r = @($picked | Clear-DiskEmergency -ConfigPath $t.Config -Force)
        $r.Policy | Should -Be 'old-logs'
        $r.FilesRemoved | Should -Be 2
        foreach ($p in $picked.Path) { Test-Path -LiteralPath $p | Should -BeFalse }
        @(Get-OpsCleanupCandidate -ConfigPath $t.Config).Count | Should -Be 4
    }

    It 'refuses piped files that no configured policy allows: outside the roots, too new, or through a symlink' {
        $t = New-CleanupTree
        $before = Get-TreeState $t.Base
        $items = Get-Item -LiteralPath "$($t.Outside)/precious.log", "$($t.Logs)/today.log", "$($t.Logs)/link-to-dir/precious.log", '/etc/hostname'
        $r = @($items | Clear-DiskEmergency -ConfigPath $t.Config -Force -ErrorVariable errs -ErrorAction SilentlyContinue)
        $r | Should -BeNullOrEmpty
        $errs.Count | Should -Be 4
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'CleanupTargetNotAllowed,OpsRunbook.Commands.ClearDiskEmergencyCommand' }
        Get-TreeState $t.Base | Should -Be $before
        Test-Path /etc/hostname | Should -BeTrue
    }

    It 'declares SupportsShouldProcess; ConfirmImpact Medium because every run without -Force asks through ShouldContinue' {
        $a = [OpsRunbook.Commands.ClearDiskEmergencyCommand].GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $a.ConfirmImpact | Should -Be 'Medium'
        $a.SupportsShouldProcess | Should -BeTrue
    }

    It 'knows a WhatIf run from ShouldProcess: $WhatIfPreference, also with -Force, previews and changes nothing' {
        $t = New-CleanupTree
        $before = Get-TreeState $t.Base
        $r = & { $WhatIfPreference = $true; @(Clear-DiskEmergency -ConfigPath $t.Config -Force) }
        Get-TreeState $t.Base | Should -Be $before
        $r.Count | Should -Be 2
        $r | ForEach-Object { $_.WhatIf | Should -BeTrue; $_.FilesRemoved | Should -Be 0 }
        $r = @(Clear-DiskEmergency -ConfigPath $t.Config -Force -WhatIf)
        Get-TreeState $t.Base | Should -Be $before
        $r | ForEach-Object { $_.WhatIf | Should -BeTrue }
        # -Confirm:$false is an answer: it runs without a question, as -Force does.
        $r = @(Clear-DiskEmergency -ConfigPath $t.Config -Policy old-backups -Confirm:$false)
        $r.FilesRemoved | Should -Be 1
    }

    It 'reads no preference variable by hand: the cmdlet and Get-OpsCleanupCandidate select policies through the core' {
        $src = Join-Path (Get-OpsRepoRoot) 'src/OpsRunbook/Commands/Disk'
        Get-ChildItem $src -Filter *.cs | Select-String -Pattern 'WhatIfPreference', 'ClearDiskEmergencyCommand\.Select' | Should -BeNullOrEmpty
    }
}

Describe 'The Disk Space Emergency example runbook' {
    It 'previews, cleans with -Force and reports disk before and after' {
        $t = New-CleanupTree
        $script = Join-Path (Get-OpsRepoRoot) 'examples/runbooks/DiskSpaceEmergency.ps1'
        $before = Get-TreeState $t.Base
        $c = Invoke-OpsChildPwsh -Script "`$r = & '$script' -ConfigPath '$($t.Config)' -ScanPath '$($t.Base)' -WhatIf; 'CLEANUP ' + ((`$r.Cleanup | ForEach-Object { `"`$(`$_.Policy)=`$(`$_.FilesMatched)/`$(`$_.FilesRemoved)`" }) -join ',')"
        $c.ExitCode | Should -Be 0 -Because $c.StdErr
        $c.StdOut | Should -Match 'CLEANUP old-logs=5/0,old-backups=1/0'
        Get-TreeState $t.Base | Should -Be $before

        $c = Invoke-OpsChildPwsh -Script "`$r = & '$script' -ConfigPath '$($t.Config)' -ScanPath '$($t.Base)' -Force; 'CLEANUP ' + ((`$r.Cleanup | ForEach-Object { `"`$(`$_.Policy)=`$(`$_.FilesMatched)/`$(`$_.FilesRemoved)`" }) -join ','); 'AFTER ' + `$r.After.Count"
        $c.ExitCode | Should -Be 0 -Because $c.StdErr
        $c.StdOut | Should -Match 'Disk space now'
        $c.StdOut | Should -Match 'Disk space after'
        $c.StdOut | Should -Match 'CLEANUP old-logs=5/5,old-backups=1/1'
        $c.StdOut | Should -Match 'AFTER 1'
        Test-Path "$($t.Outside)/precious.log" | Should -BeTrue
    }
}
