@{
    Synopsis    = 'Finds the largest files, or directories, under a path: a fast du -x that keeps only the top N.'
    Description = @'
Get-OpsLargeFile walks a directory tree in parallel and returns the largest files (or, with -Directory, the directories with the largest total size, counted as du -ab counts apparent sizes), biggest first.

The walk never follows symlinks (a symlink counts as itself), stays on the filesystem of -Path like du -x (mount points below it are not entered; -Verbose names them), and keeps only a top-N heap, so memory depends on -Top and the tree's depth, not on the number of files. Directories that cannot be read are counted and reported as warnings; the scan goes on. It shows progress (files and bytes so far) and stops on Ctrl+C.

Sizes are apparent sizes in bytes (SizeBytes); hard links are counted once per name.
'@
    Parameters  = @{
        Path      = @{ Description = 'The directory to scan. Accepts pipeline input.'; Default = 'The current directory' }
        Top       = @{ Description = 'How many entries to return.'; Default = '20' }
        MinSize   = @{ Description = 'Only entries of at least this many bytes; PowerShell size literals work (100MB).'; Default = '0' }
        Directory = 'Rank directories by the total size of everything under them instead of ranking files.'
    }
    Outputs     = @{
        'OpsRunbook.Core.Disk.LargeFileEntry' = 'Path, Kind (File or Directory), SizeBytes, FileCount, LastWriteTimeUtc.'
    }
    Examples    = @(
        @{
            Title   = 'The 20 largest files under a directory'
            Code    = 'Get-OpsLargeFile -Path (Get-OpsConfig).Logs.Directory'
            Remarks = 'Replaces du -ab DIR | sort -rn | head -20.'
        }
        @{
            Title   = 'Which directories take the space'
            Code    = 'Get-OpsLargeFile -Path $PSHOME -Directory -Top 5'
            Remarks = 'Totals per directory, largest first.'
        }
        @{
            Title   = 'Only files over 100 MB on the root filesystem'
            Code    = 'Get-OpsLargeFile -Path / -MinSize 100MB -Top 50'
            Remarks = 'Stays on the root filesystem: /proc, /sys and other mounts are not entered.'
            Run     = $false
            Why     = 'Walks the whole root filesystem, which takes too long for the help test.'
        }
    )
    Notes       = 'Linux only. The runbook step it replaces: du -h / | sort -rh | head -20.'
    Links       = @('Get-OpsDiskSpace', 'Get-OpsDeletedOpenFile', 'Clear-DiskEmergency')
}
