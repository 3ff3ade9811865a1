@{
    Synopsis    = 'Deletes health history recorded before a time, in short batches.'
    Description = @'
Clear-OpsState deletes the stored health results (the health_results table) recorded before -Before, 5000 rows per transaction, so a cron job recording at the same time is never held up for long. It counts the rows first and asks before deleting (ConfirmImpact High: pass -Confirm:$false in scripts); -WhatIf shows the count and changes nothing.

Runs that record results (Get-OpsHealth -Record, Save-OpsHealth) already prune what is older than state.healthRetention (default 400d); Clear-OpsState is for pruning by hand, e.g. before moving the store. It deletes only health history: other areas' tables (replay ledger, incidents) are kept.
'@
    Parameters  = @{
        Before      = 'Delete results recorded before this time, or before this long ago (90d, 400d).'
        Environment = @{ Description = 'The environment whose state store is pruned.'; Default = "The file's defaultEnvironment" }
    }
    Outputs     = @{
        'OpsRunbook.Core.Health.StatePruneResult' = 'Table, Before, RowsDeleted, Batches and Duration.'
    }
    Examples    = @(
        @{
            Title   = 'How much would go?'
            Code    = 'Clear-OpsState -Before 90d -WhatIf'
            Remarks = 'Says how many results are older than 90 days and deletes nothing.'
        }
        @{
            Title   = 'Prune by hand in a script'
            Code    = 'Clear-OpsState -Before 400d -Confirm:$false'
            Remarks = 'Deletes results older than 400 days without asking.'
        }
    )
    Links       = @('Get-OpsState', 'Get-OpsHealthHistory')
}
