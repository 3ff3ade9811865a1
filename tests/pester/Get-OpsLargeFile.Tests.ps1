BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $script:Tree = Join-Path $TestDrive 'tree'
    $rng = [Random]::new(3)
    foreach ($d in 0..9) {
        foreach ($f in 0..19) {
            $p = Join-Path $script:Tree "d$d/s$($f % 4)/f $f.bin"
            $null = New-Item -ItemType Directory -Force (Split-Path $p)
            $fs = [IO.File]::Create($p); $fs.SetLength($rng.Next(0, 500000)); $fs.Dispose()
        }
    }
    $script:Outside = Join-Path $TestDrive 'outside'
    $null = New-Item -ItemType Directory -Force $script:Outside
    $fs = [IO.File]::Create("$script:Outside/huge.bin"); $fs.SetLength(50MB); $fs.Dispose()
    $null = New-Item -ItemType SymbolicLink -Path "$script:Tree/link" -Target "$script:Outside/huge.bin"
    $null = New-Item -ItemType SymbolicLink -Path "$script:Tree/d0/linkdir" -Target $script:Outside

    $script:Du = @{}
    foreach ($line in (du -ab $script:Tree)) { $n, $p = $line -split "`t", 2; $script:Du[$p] = [long]$n }
}

Describe 'Get-OpsLargeFile' {
    It 'returns the top N files by size, as du -ab counts, biggest first' {
        $r = @(Get-OpsLargeFile -Path $script:Tree -Top 7)
        $r.Count | Should -Be 7
        $expected = @(Get-ChildItem -Recurse -File $script:Tree | Where-Object { -not $_.LinkTarget } | Sort-Object Length -Descending | Select-Object -First 7)
        $r.SizeBytes | Should -Be @($expected | ForEach-Object Length)
        foreach ($e in $r) { $e.SizeBytes | Should -Be $script:Du[$e.Path]; $e.Kind | Should -Be 'File' }
    }

    It 'never follows symlinks' {
        $r = @(Get-OpsLargeFile -Path $script:Tree -Top 1000)
        $r.Path | Should -Not -Contain "$script:Outside/huge.bin"
        $r | Where-Object SizeBytes -ge 50MB | Should -BeNullOrEmpty
    }

    It 'ranks directories by total size with -Directory' {
        $r = @(Get-OpsLargeFile -Path $script:Tree -Directory -Top 5)
        $r[0].Path | Should -Be (Resolve-Path $script:Tree).Path
        foreach ($e in $r) { $e.SizeBytes | Should -Be $script:Du[$e.Path]; $e.Kind | Should -Be 'Directory' }
        $r[0].FileCount | Should -Be 200
    }

    It 'filters with -MinSize' {
        $r = @(Get-OpsLargeFile -Path $script:Tree -Top 1000 -MinSize 400KB)
        $r | ForEach-Object { $_.SizeBytes | Should -BeGreaterOrEqual 400KB }
        $r.Count | Should -Be @(Get-ChildItem -Recurse -File $script:Tree | Where-Object { -not $_.LinkTarget -and $_.Length -ge 400KB }).Count
    }

    It 'takes paths from the pipeline and shows friendly sizes while keeping bytes' {
        $r = Get-Item "$script:Tree/d1" | Get-OpsLargeFile -Top 2
        $r.Count | Should -Be 2
        ($r | Out-String) | Should -Match 'KiB'
        $r[0].SizeBytes | Should -BeOfType [long]
    }

    It 'counts a hard-linked file once, as du does (du as the oracle)' {
        $t = Join-Path $TestDrive 'links'
        $null = New-Item -ItemType Directory -Force "$t/same", "$t/x", "$t/y", "$t/plain"
        $fs = [IO.File]::Create("$t/same/big.bin"); $fs.SetLength(3MB); $fs.Dispose()
        $fs = [IO.File]::Create("$t/x/shared.bin"); $fs.SetLength(5MB); $fs.Dispose()
        $fs = [IO.File]::Create("$t/plain/one.bin"); $fs.SetLength(1MB); $fs.Dispose()
        & ln "$t/same/big.bin" "$t/same/big-again.bin"
        & ln "$t/x/shared.bin" "$t/y/shared-too.bin"
        & ln "$t/x/shared.bin" "$t/x/third-name.bin"
        $du = @{}; foreach ($line in (du -ab $t)) { $n, $p = $line -split "`t", 2; $du[$p] = [long]$n }

        # Files: the same multiset of sizes du lists, and each inode under one name only.
        $files = @(Get-OpsLargeFile -Path $t -Top 1000)
        $duFiles = @($du.Keys | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf })
        @($files.SizeBytes | Sort-Object) | Should -Be @($duFiles | ForEach-Object { $du[$_] } | Sort-Object)
        @($files | Where-Object SizeBytes -eq 5MB).Count | Should -Be 1
        @($files | Where-Object SizeBytes -eq 3MB).Count | Should -Be 1

        # Directories: the root and a directory holding both names match du exactly; siblings sharing an inode add up to du's sum.
        $dirs = @{}; foreach ($e in Get-OpsLargeFile -Path $t -Directory -Top 1000) { $dirs[$e.Path] = $e.SizeBytes }
        $root = (Resolve-Path $t).Path
        $dirs[$root] | Should -Be $du[$t]
        $dirs[$root] | Should -BeLessThan (12MB) -Because 'each of the three files is counted once (1 + 3 + 5 MiB plus directories)'
        $dirs["$root/same"] | Should -Be $du["$t/same"]
        ($dirs["$root/x"] + $dirs["$root/y"]) | Should -Be ($du["$t/x"] + $du["$t/y"])
        $dirs["$root/plain"] | Should -Be $du["$t/plain"]
    }

    It 'fails clearly on a missing path or a file' {
        { Get-OpsLargeFile -Path (Join-Path $TestDrive 'nope') } | Should -Throw -ErrorId 'PathNotFound,OpsRunbook.Commands.GetOpsLargeFileCommand'
        { Get-OpsLargeFile -Path "$script:Tree/d1/s1/f 1.bin" } | Should -Throw -ErrorId 'NotADirectory,OpsRunbook.Commands.GetOpsLargeFileCommand'
    }
}

Describe 'Get-OpsLargeFile progress and Ctrl+C' {
    It 'shows progress while scanning and stops promptly when the pipeline is stopped' {
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Get-OpsModulePath)'; Get-OpsLargeFile -Path / -Top 5")
            $async = $ps.BeginInvoke()
            $sw = [Diagnostics.Stopwatch]::StartNew()
            while ($ps.Streams.Progress.Count -eq 0 -and -not $async.IsCompleted -and $sw.Elapsed.TotalSeconds -lt 30) { Start-Sleep -Milliseconds 20 }
            $async.IsCompleted | Should -BeFalse -Because 'the scan of / should still be running when progress first shows'
            $ps.Streams.Progress[0].StatusDescription | Should -Match '[\d,]+ files, .* in [\d,]+ directories'
            $stop = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stop.Elapsed.TotalSeconds | Should -BeLessThan 3
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
    }
}
