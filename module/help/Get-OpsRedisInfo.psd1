@{
    Synopsis    = 'Shows Redis INFO as a typed object: ops/s, hits, misses, hit ratio, evicted and expired keys, memory, fragmentation and clients.'
    Description = @'
Get-OpsRedisInfo is the runbook's Friday "redis-cli info stats" with the figures named and typed. It connects with the redis section of the config (the password comes from its variable and is never shown) and runs INFO for each section asked.

The result has OpsPerSecond (instantaneous_ops_per_sec), TotalCommands, KeyspaceHits, KeyspaceMisses, HitRatio (hits / (hits + misses), 0..1; empty before the first lookup), EvictedKeys, ExpiredKeys, UsedMemoryBytes, UsedMemoryRssBytes, UsedMemoryPeakBytes, MaxMemoryBytes (0: no limit), FragmentationRatio, ConnectedClients, BlockedClients, Keys (over every database), Version and Uptime. A figure whose section was not asked is empty. Fields holds every field INFO returned, by section, as text.
'@
    Parameters  = @{
        Section = @{ Description = 'INFO sections to read: server, clients, memory, persistence, stats, replication, cpu, modules, commandstats, errorstats, latencystats, cluster, keyspace, all, default or everything. Default: server, clients, memory, stats and keyspace.' }
        Timeout = @{ Description = 'Bound on connecting and on each INFO call (5s, 1m).'; Default = '5s' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Performance.RedisInfo' = 'One object with the typed figures and every raw field.' }
    Examples    = @(
        @{ Title = 'The weekly review''s Redis figures'; Code = 'Get-OpsRedisInfo'; Remarks = 'Hit ratio, evictions, memory, fragmentation and clients of the configured Redis.' }
        @{ Title = 'Only stats, as a number to compare'; Code = '(Get-OpsRedisInfo -Section stats).HitRatio'; Remarks = 'The keyspace hit ratio from 0 to 1.' }
        @{ Title = 'Every raw field of one section'; Code = '(Get-OpsRedisInfo -Section memory).Fields.memory'; Remarks = 'The memory section as INFO returned it.' }
    )
    Links       = @('Get-OpsRedisSlowLog', 'Get-OpsHealth', 'about_OpsRunbook')
}
