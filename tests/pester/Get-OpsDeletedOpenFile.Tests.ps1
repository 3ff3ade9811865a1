BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
}

Describe 'Get-OpsDeletedOpenFile' {
    It 'finds a log deleted while a process still holds it, with the process' {
        $file = Join-Path $TestDrive 'held open.log'
        [IO.File]::WriteAllBytes($file, [byte[]]::new(200KB))
        $psi = [Diagnostics.ProcessStartInfo]::new('bash')
        foreach ($a in '-c', 'exec 9>>"$1"; echo ready; exec sleep 60', 'holder', $file) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $p = [Diagnostics.Process]::Start($psi)
        try {
            $p.StandardOutput.ReadLine() | Should -Be 'ready'
            Get-OpsDeletedOpenFile | Where-Object ProcessId -eq $p.Id | Should -BeNullOrEmpty
            Remove-Item -LiteralPath $file
            $r = @(Get-OpsDeletedOpenFile | Where-Object ProcessId -eq $p.Id)
            $r.Count | Should -Be 1
            $r[0].Path | Should -Be $file
            $r[0].ProcessName | Should -Be 'sleep'
            $r[0].FileDescriptor | Should -Be 9
            $r[0].SizeBytes | Should -Be 200KB
            $r[0].AllocatedBytes | Should -BeGreaterOrEqual 200KB
            $r[0].FdPath | Should -Be "/proc/$($p.Id)/fd/9"
            @(Get-OpsDeletedOpenFile -Path $TestDrive -MinSize 100KB | Where-Object ProcessId -eq $p.Id).Count | Should -Be 1
            @(Get-OpsDeletedOpenFile -MinSize 1GB | Where-Object ProcessId -eq $p.Id).Count | Should -Be 0
        }
        finally { $p.Kill(); $p.WaitForExit() }
        Get-OpsDeletedOpenFile | Where-Object ProcessId -eq $p.Id | Should -BeNullOrEmpty
    }
}
