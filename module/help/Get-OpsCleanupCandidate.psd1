@{
    Synopsis    = "Lists every file the environment's cleanup policies would free, with size and age. Changes nothing."
    Description = @'
Get-OpsCleanupCandidate works out, for each policy in the environment's cleanup list, exactly the files Clear-DiskEmergency would act on: regular files under the policy's path whose name matches its pattern and whose modification time is older than olderThanDays. It walks the tree without following symlinks and without entering other filesystems.

It is the preview as objects: sort, group or export it before running Clear-DiskEmergency. Clear-DiskEmergency -WhatIf shows the same list as text with the total per policy.

Policies come only from the config (key 'cleanup': name, path, pattern, olderThanDays, action). When the key is absent, the default policy deletes *.log older than 7 days in logs.directory.
'@
    Parameters  = @{
        Policy      = @{ Description = "Names of the policies to list; each must be in the config's cleanup list."; Default = 'All policies' }
        Environment = @{ Description = "The environment whose cleanup policies to use."; Default = "The file's defaultEnvironment" }
        ConfigPath  = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Disk.CleanupCandidate' = 'Policy, Path, SizeBytes, LastWriteTimeUtc, AgeDays, Action.'
    }
    Examples    = @(
        @{
            Title   = 'What would be freed, per policy'
            Code    = 'Get-OpsCleanupCandidate | Group-Object Policy | ForEach-Object { [pscustomobject]@{ Policy = $_.Name; Files = $_.Count; Bytes = ($_.Group | Measure-Object SizeBytes -Sum).Sum } }'
            Remarks = 'The totals Clear-DiskEmergency would free.'
        }
        @{
            Title   = 'One policy, largest files first'
            Code    = 'Get-OpsCleanupCandidate -Policy old-backups | Sort-Object SizeBytes -Descending'
            Remarks = 'Lists the old dumps that would be deleted.'
        }
    )
    Notes       = 'Linux only.'
    Links       = @('Clear-DiskEmergency', 'Get-OpsConfig')
}
