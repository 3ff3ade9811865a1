@{
    Synopsis    = 'Moves failed BullMQ jobs back to wait, the way BullMQ''s own job.retry() does.'
    Description = @'
Restart-OpsFailedJob retries failed jobs by running BullMQ's own reprocessJob script (from the bullmq package, 6.7.0) in Redis, which is what job.retry('failed') runs: the job leaves the failed set, loses its finishedOn, processedOn and failedReason, goes back to wait (or to prioritized when it has a priority, to the front for lifo jobs), workers waiting on the queue are woken by its marker, and a "waiting" event is written to the queue's event stream. A running worker then processes it again.

A job that no longer exists is reported as NotFound and one that is no longer failed (retried already, or running) as NotFailed; neither is an error. It needs queues.source: bullmq and redis: (the admin API has no retry call: FailedJobRetryUnsupported). It supports -WhatIf and -Confirm.
'@
    Parameters  = @{
        Queue         = @{ Description = 'The queue of the jobs; bound from Get-OpsFailedJob''s Queue when piped.' }
        Id            = @{ Description = 'The job ids; bound from Get-OpsFailedJob''s Id when piped.' }
        ResetAttempts = @{ Description = 'Start the attempt count from 0 again (job.retry with resetAttemptsMade), so a job with attempts: N gets N more tries.' }
        Timeout       = @{ Description = 'Bound on connecting and on each call to Redis.'; Default = '5s' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.FailedJobRetry' = 'One object per job: Queue, Id, Name, Result (Retried, NotFound, NotFailed) and Message.' }
    Examples    = @(
        @{ Title = 'Retry the jobs that failed on a timeout'; Code = "Get-OpsFailedJob | Where-Object FailedReason -like '*timeout*' | Restart-OpsFailedJob -WhatIf"; Remarks = 'Shows which jobs would be retried; drop -WhatIf to retry them.' }
        @{ Title = 'Retry one job by id'; Code = 'Restart-OpsFailedJob -Queue media-processing -Id 42 -Confirm:$false'; Remarks = 'Result says Retried, NotFound or NotFailed.' }
    )
    Links       = @('Get-OpsFailedJob', 'about_OpsRunbook')
}
