@{
    Synopsis    = 'Removes backups from S3, dump and manifest together: by key, or by retention (older than N days, always keeping the newest K good ones).'
    Description = @'
Remove-OpsBackup deletes a backup's dump and its manifest in one S3 DeleteObjects request, so a backup is never left half removed (BackupRemoveFailed when S3 reports either key as not deleted).

With -OlderThanDays it applies retention per database: the newest -KeepLatest good backups (with a manifest whose size matches the object and at least backup.minimumSizeBytes) are always kept, whatever their age; of the others, those older than -OlderThanDays are removed.

With -Key (or keys piped from Get-OpsBackup) it removes those backups; a key that does not exist is BackupNotFound.

ConfirmImpact is High: it asks before each removal unless -Confirm:$false. -WhatIf shows what would be removed and removes nothing.
'@
    Parameters  = @{
        Environment   = @{ Description = 'The environment whose s3 section is used.'; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read.'; Default = '$env:OPSRUNBOOK_CONFIG, ./ops.yaml, ~/.config/opsrunbook/ops.yaml' }
        Key           = 'The dump keys to remove (with their manifests). Binds by property name from Get-OpsBackup.'
        OlderThanDays = 'Retention: remove backups older than this many days (fractions allowed).'
        KeepLatest    = @{ Description = 'Retention: always keep this many of the newest good backups per database.'; Default = '1' }
        Database      = @{ Description = 'Retention: only this database''s backups.'; Default = 'Every database' }
        PassThru      = 'Return a BackupRemoval record for every backup considered, kept ones included, with the reason.'
    }
    Outputs     = @{
        'OpsRunbook.Core.Backup.BackupRemoval' = 'With -PassThru: Key, Database, Time, SizeBytes, Removed and Reason.'
    }
    Examples    = @(
        @{
            Title   = 'Preview a 30-day retention that keeps the newest 7'
            Code    = 'Remove-OpsBackup -OlderThanDays 30 -KeepLatest 7 -WhatIf'
            Remarks = 'Says which backups would be removed; removes nothing.'
        }
        @{
            Title   = 'Apply the retention from a scheduled job'
            Code    = 'Remove-OpsBackup -OlderThanDays 30 -KeepLatest 7 -Confirm:$false -PassThru | Where-Object Removed'
            Run     = $false
            Why     = 'It really deletes backups from the bucket; the help test must not remove the sandbox''s backups.'
            Remarks = 'Removes expired backups without asking and lists them.'
        }
        @{
            Title   = 'Remove specific backups'
            Code    = 'Get-OpsBackup -Database app | Select-Object -Skip 10 | Remove-OpsBackup -WhatIf'
            Remarks = 'Everything but the newest ten backups of app; drop -WhatIf to remove them.'
        }
    )
    Notes       = 'Retention counts only good backups as kept: a backup without a manifest never protects itself.'
    Links       = @('Get-OpsBackup', 'Backup-OpsDatabase')
}
