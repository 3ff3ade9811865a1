@{
    Synopsis    = 'Shows size, used, free and inodes of each filesystem, like df and df -i together.'
    Description = @'
Get-OpsDiskSpace reads statvfs for each path and reports the filesystem that holds it: mount point, type, device, SizeBytes, UsedBytes, FreeBytes (the space available to unprivileged users, as df's Avail), UsedPercent (computed as df computes Use%), and the inode counts with InodesUsedPercent.

Without parameters it reports the paths in the environment's disk.paths list. -Path reports the filesystems of the given paths without needing a config file; -All reports every mounted filesystem that has a size (pseudo filesystems such as proc and cgroup are left out).

The objects carry raw byte counts for scripts and Export-Csv; the default table shows friendly units (KiB, MiB, GiB).
'@
    Parameters  = @{
        Path        = @{ Description = 'One or more paths; each reports the filesystem holding it. Accepts pipeline input (Get-Item, Get-ChildItem).'; Default = "disk.paths from the config" }
        All         = 'Report every mounted filesystem with a size instead of configured paths.'
        Environment = @{ Description = "The environment whose disk.paths to report, as named under 'environments:' in the file."; Default = "The file's defaultEnvironment" }
        ConfigPath  = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Systems.FileSystemUsage' = 'One per filesystem: MountPoint, FileSystemType, Device, SizeBytes, UsedBytes, FreeBytes, UsedPercent, InodesTotal, InodesUsed, InodesFree, InodesUsedPercent.'
    }
    Examples    = @(
        @{
            Title   = 'Check the configured paths'
            Code    = 'Get-OpsDiskSpace'
            Remarks = 'One line per path in disk.paths, with friendly sizes and inode use.'
        }
        @{
            Title   = 'Find filesystems above 80 percent, in space or inodes'
            Code    = 'Get-OpsDiskSpace -All | Where-Object { $_.UsedPercent -gt 80 -or $_.InodesUsedPercent -gt 80 }'
            Remarks = 'A full inode table stops writes just like a full disk.'
        }
        @{
            Title   = 'Export raw numbers'
            Code    = 'Get-OpsDiskSpace -Path / | Select-Object MountPoint, SizeBytes, FreeBytes | Export-Csv -Path ./disk.csv -NoTypeInformation'
            Remarks = 'The CSV holds bytes, not friendly strings.'
        }
    )
    Notes       = 'Linux only (statvfs and /proc/self/mountinfo).'
    Links       = @('Get-OpsLargeFile', 'Clear-DiskEmergency')
}
