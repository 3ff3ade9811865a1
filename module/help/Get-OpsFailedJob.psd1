@{
    Synopsis    = 'Lists failed BullMQ jobs (the Queue Depth Alert''s "check for failed jobs"), newest failure first, from Redis or the admin API.'
    Description = @'
Get-OpsFailedJob reads each queue's failed jobs. With queues.source: bullmq it reads BullMQ's keys in Redis directly: the {prefix}:{queue}:failed sorted set (newest failure first) and each job's hash. With queues.source: api it asks the admin API, GET {api.baseUrl}/api/admin/queues/failed, the runbook's curl.

Each job has Queue, Id, Name, FailedReason, AttemptsMade, Timestamp (added), ProcessedOn, FinishedOn (failed) and Source. The job's data is not read, so payloads never reach the screen or a CSV. Pipe the jobs into Restart-OpsFailedJob to retry them.
'@
    Parameters  = @{
        Queue   = @{ Description = 'The queues to read.'; Default = 'queues.names' }
        First   = @{ Description = 'At most this many jobs per queue, newest failure first.'; Default = '50' }
        Timeout = @{ Description = 'Bound on connecting and on each call to Redis or the API.'; Default = '5s' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.FailedJob' = 'One object per failed job.' }
    Examples    = @(
        @{ Title = 'Why did jobs fail?'; Code = 'Get-OpsFailedJob | Group-Object FailedReason | Sort-Object Count -Descending | Select-Object Count, Name'; Remarks = 'The failure reasons, most frequent first.' }
        @{ Title = 'The last ten failures of one queue'; Code = 'Get-OpsFailedJob -Queue media-processing -First 10'; Remarks = 'Id, name, reason, attempts and when.' }
    )
    Links       = @('Restart-OpsFailedJob', 'Get-OpsHealth', 'about_OpsRunbook')
}
