@{
    Synopsis    = 'Lists files that were deleted but are still held open, whose space is not freed (lsof +L1).'
    Description = @'
Get-OpsDeletedOpenFile reads /proc/PID/fd for links whose target ends in " (deleted)" and whose link count is zero: files removed from their directory that a process still holds open. Their space comes back only when the process closes them. A log deleted while nginx holds it frees nothing; this is the classic reason an emergency cleanup "did not work".

Each result names the process (ProcessId, ProcessName), the descriptor, the old path, SizeBytes, AllocatedBytes (what closing it would free) and FdPath. Free the space by restarting or signalling the process (nginx -s reopen), or by truncating FdPath.

Run it as root to see every process; otherwise only your own processes are visible.
'@
    Parameters  = @{
        Path    = @{ Description = 'Only files that lived on the filesystem holding this path.'; Default = 'All filesystems' }
        MinSize = @{ Description = 'Only files holding at least this many bytes on disk.'; Default = '0' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Disk.DeletedOpenFile' = 'ProcessId, ProcessName, FileDescriptor, Path, SizeBytes, AllocatedBytes, MountPoint, FdPath.'
    }
    Examples    = @(
        @{
            Title   = 'Space held by deleted files'
            Code    = 'Get-OpsDeletedOpenFile'
            Remarks = 'Largest first, with the process holding each file.'
        }
        @{
            Title   = 'Total held on the root filesystem, per process'
            Code    = 'Get-OpsDeletedOpenFile -Path / | Group-Object ProcessName | ForEach-Object { [pscustomobject]@{ Process = $_.Name; Bytes = ($_.Group | Measure-Object AllocatedBytes -Sum).Sum } }'
            Remarks = 'Shows which service to restart to get the space back.'
        }
    )
    Notes       = 'Linux only (/proc).'
    Links       = @('Clear-DiskEmergency', 'Get-OpsLargeFile')
}
