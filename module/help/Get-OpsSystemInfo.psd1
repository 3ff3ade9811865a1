@{
    Synopsis    = 'Shows CPU load, memory, swap, disks and the top processes by CPU and by memory, read from /proc.'
    Description = @'
Get-OpsSystemInfo is the runbook's `sysinfo` alias (top, free -h, df -h) and the first step of the High CPU and High Memory alerts (top -b -n 1, ps aux --sort=-%mem) as one object.

It samples /proc/stat and every /proc/<pid>/stat twice, -SampleSeconds apart, to measure CPU use of the machine and of each process (as top does, % of one core), and reads /proc/loadavg, /proc/meminfo, /proc/<pid>/status (VmRSS, owner) and the real filesystems' usage. The result has every number raw (bytes, percent) and a readable default view; TopByCpu and TopByMemory are ProcessUsage objects with ProcessId, Name, User, State, CpuPercent, MemoryBytes, MemoryPercent, Threads and CommandLine.

Linux only. It needs no config file.
'@
    Parameters  = @{
        Top           = @{ Description = 'How many processes to list by CPU and by memory.'; Default = '5' }
        SampleSeconds = @{ Description = 'How long to sample CPU use, in seconds. Longer gives steadier figures.'; Default = '0.5' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Systems.SystemInfo' = 'One object: CPU, load, memory, swap, disks, top processes.'
    }
    Examples    = @(
        @{
            Title   = 'The sysinfo overview'
            Code    = 'Get-OpsSystemInfo'
            Remarks = 'CPU % and load averages, memory and swap, each disk, and the top 5 processes by CPU and by memory.'
        }
        @{
            Title   = 'High CPU alert: which processes?'
            Code    = '(Get-OpsSystemInfo -Top 10 -SampleSeconds 2).TopByCpu'
            Remarks = 'Samples for 2 seconds and shows the 10 busiest processes as a table (PID, user, %CPU, memory, command line).'
        }
        @{
            Title   = 'High memory alert: the biggest processes'
            Code    = '(Get-OpsSystemInfo).TopByMemory | Select-Object ProcessId, Name, MemoryBytes, MemoryPercent'
            Remarks = 'Like ps aux --sort=-%mem | head, with raw bytes.'
        }
    )
    Notes       = 'CPU per process is % of one core, so it can exceed 100 on a machine with several cores.'
    Links       = @('Get-OpsHealth', 'about_OpsRunbook')
}
