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
