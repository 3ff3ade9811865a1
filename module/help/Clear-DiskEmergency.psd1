@{
    Synopsis    = "Frees disk space with the environment's cleanup policies: previews, asks, cleans and reports free space before and after."
    Description = @'
Clear-DiskEmergency runs the policies in the environment's cleanup list (name, path, pattern, olderThanDays, action). For each policy it first works out the files (regular files under path, name matching pattern, modified more than olderThanDays ago), then asks once per policy with the file count and total size, then deletes (action: delete) or empties (action: truncate, for logs a process still writes) each file. Right before each file goes it is checked again: still a regular file, still old enough, still on the root's filesystem and still under the root. A file that changed, vanished or cannot be removed is a non-terminating error and the run goes on.

Safety: only roots in the config can be cleaned, and a root of / or a system path (/etc, /usr, /bin, /boot, /var/lib and so on) is refused, also when reached through a symlink. The walk never follows symlinks and never enters another filesystem, so a symlink to a file or directory outside the root loses nothing outside it.

-WhatIf lists every file with its size and the total per policy, and changes nothing. It asks before each policy and step (ShouldContinue); -Force skips the question for scheduled tasks, and -Confirm asks through ShouldProcess instead. A -WhatIf run, also one from $WhatIfPreference, is known from ShouldProcess itself and only previews, with or without -Force.

Optional steps run after the file policies, only when the environment's diskEmergency section turns them on and they are present on the host: the journal (diskEmergency.journalVacuumTime, e.g. 2d: journalctl --vacuum-time) and Docker (diskEmergency.dockerPrune: true: prunes stopped containers, unused images, networks, anonymous volumes and build cache through the Engine API socket, diskEmergency.dockerEndpoint, default unix:///var/run/docker.sock). A step whose tool or socket is missing is skipped with a verbose message. Under -WhatIf they only read (journalctl --disk-usage, GET /system/df).

It returns one CleanupResult per policy or step: FilesMatched, BytesMatched, FilesRemoved, BytesFreed, Errors, FreeBytesBefore and FreeBytesAfter. Files deleted while a process holds them open free nothing until the process closes them: see Get-OpsDeletedOpenFile.
'@
    Parameters  = @{
        Policy      = @{ Description = "Names of the policies to run; each must be in the config's cleanup list, or be journal or docker when diskEmergency turns that step on."; Default = 'All policies and configured steps' }
        Path        = @{ Description = 'Only these files: pipe Get-OpsCleanupCandidate (or Get-ChildItem) output. Each must be a current candidate of a configured policy (under its root, matching, old enough, a regular file); anything else is refused with CleanupTargetNotAllowed.'; Default = 'Every candidate of the selected policies' }
        Force       = 'Do not ask for confirmation (for scheduled tasks). -WhatIf and an explicit -Confirm still apply.'
        Environment = @{ Description = "The environment whose cleanup policies to run."; Default = "The file's defaultEnvironment" }
        ConfigPath  = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Disk.CleanupResult' = 'One per policy: Policy, Path, Action, WhatIf, FilesMatched, BytesMatched, FilesRemoved, BytesFreed, Errors, ErrorDetails, FreeBytesBefore, FreeBytesAfter, Files.'
    }
    Examples    = @(
        @{
            Title   = 'Preview every policy'
            Code    = 'Clear-DiskEmergency -WhatIf'
            Remarks = 'Lists each file with its size and the total per policy. Nothing is deleted.'
        }
        @{
            Title   = 'Pick files from the preview and clean only those'
            Code    = 'Get-OpsCleanupCandidate -Policy temp | Where-Object SizeBytes -gt 1KB | Clear-DiskEmergency -WhatIf'
            Remarks = 'Piped files are re-checked against the policy; without -WhatIf only they are removed.'
        }
        @{
            Title   = 'Clean old backups after confirming'
            Code    = 'Clear-DiskEmergency -Policy old-backups'
            Remarks = 'Asks once with the number of files and bytes, then deletes them and reports free space before and after.'
            Run     = $false
            Why     = 'Deletes files and asks for confirmation interactively.'
        }
        @{
            Title   = 'Scheduled cleanup without prompts'
            Code    = 'Clear-DiskEmergency -Force -ErrorAction Continue | Export-Csv -Append -Path /var/log/ops/cleanup.csv'
            Remarks = 'For a cron job or scheduled task: no questions, per-file errors logged and the rest cleaned.'
            Run     = $false
            Why     = 'Deletes files in the sandbox and writes to /var/log/ops.'
        }
    )
    Notes       = 'Linux only. Replaces the runbook''s find -delete, journalctl --vacuum-time, docker system prune and rm -rf /tmp/* steps. FreeBytesBefore/After are -1 for the journal and docker steps (they do not free space on one known path).'
    Links       = @('Get-OpsCleanupCandidate', 'Get-OpsDeletedOpenFile', 'Get-OpsDiskSpace', 'Get-OpsLargeFile')
}
