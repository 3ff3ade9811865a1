BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
}

Describe 'Get-OpsSystemInfo' {
    It 'reads CPU, load, memory and disks from /proc' {
        $i = Get-OpsSystemInfo -SampleSeconds 0.2
        $i | Should -BeOfType ([OpsRunbook.Core.Systems.SystemInfo])
        $i.CpuCount | Should -Be ([int](& nproc --all))
        $i.CpuPercent | Should -BeGreaterOrEqual 0
        $i.CpuPercent | Should -BeLessOrEqual 100
        $memTotal = [long]((Get-Content /proc/meminfo | Select-String '^MemTotal:\s+(\d+)').Matches[0].Groups[1].Value) * 1024
        $i.MemoryTotalBytes | Should -Be $memTotal
        $i.MemoryUsedBytes | Should -Be ($i.MemoryTotalBytes - $i.MemoryAvailableBytes)
        $i.LoadAverage1 | Should -BeGreaterOrEqual 0
        $i.Disks.MountPoint | Should -Contain '/'
        $i.ProcessCount | Should -BeGreaterThan 5
        $i.Uptime | Should -BeGreaterThan ([TimeSpan]::Zero)
    }

    It 'finds a busy process at the top by CPU and a big one at the top by memory' {
        function Start-Child([string] $File, [string[]] $Arguments, [switch] $RedirectOutput) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new($File); foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardOutput = [bool]$RedirectOutput
            [System.Diagnostics.Process]::Start($psi)
        }
        $busy = Start-Child sh '-c', 'while :; do :; done'
        # It says 'ready' once every page is touched: on a loaded machine that can take longer than any fixed sleep.
        $big = Start-Child python3 '-c', 'import sys, time; x = bytearray(700 * 1024 * 1024); x[::4096] = b"x" * len(x[::4096]); print("ready", flush=True); time.sleep(60)' -RedirectOutput
        try {
            $ready = $big.StandardOutput.ReadLineAsync()
            $ready.Wait([TimeSpan]::FromSeconds(30)) | Should -BeTrue -Because 'the 700 MB child should touch its pages within 30 s'
            $ready.Result | Should -Be 'ready'
            Start-Sleep -Seconds 1
            $i = Get-OpsSystemInfo -Top 8 -SampleSeconds 1
            $i.TopByCpu.Count | Should -Be 8
            $i.TopByMemory.Count | Should -Be 8
            $hot = $i.TopByCpu | Where-Object ProcessId -eq $busy.Id
            $hot | Should -Not -BeNullOrEmpty -Because ($i.TopByCpu | Format-Table | Out-String)
            $hot.CpuPercent | Should -BeGreaterThan 20
            $hot.User | Should -Be (& id -un)
            # Other processes on a shared machine may be bigger still: the big one is among the top, sorted by size.
            $mem = @((Get-OpsSystemInfo -Top 25 -SampleSeconds 0.1).TopByMemory)
            $mine = $mem | Where-Object ProcessId -eq $big.Id
            $mine | Should -Not -BeNullOrEmpty -Because ($mem | Format-Table | Out-String)
            $mine.MemoryBytes | Should -BeGreaterThan 650MB
            $mine.CommandLine | Should -Match 'python3 -c'
            $mem[0].MemoryBytes | Should -BeGreaterOrEqual $mem[-1].MemoryBytes
            $mem | Where-Object MemoryBytes -lt $mine.MemoryBytes | Select-Object -First 1 | Should -Not -BeNullOrEmpty
            $i.TopByCpu[0].CpuPercent | Should -BeGreaterOrEqual $i.TopByCpu[-1].CpuPercent
        }
        finally { $busy.Kill(); $big.Kill() }
    }

    It 'has a readable default view' {
        $text = Get-OpsSystemInfo -SampleSeconds 0.1 | Out-String -Width 200
        $text | Should -Match 'Cpu\s+: [\d.]+ % of \d+ CPUs; load'
        $text | Should -Match 'Memory\s+: [\d.]+ % used'
        $text | Should -Match 'TopByMemory'
        ((Get-OpsSystemInfo -SampleSeconds 0.1).TopByCpu | Out-String) | Should -Match 'PID\s+User\s+S\s+%CPU'
    }
}
