namespace OpsRunbook.Core.Config;

/// <summary>thresholds: the numbers statuses are judged by.</summary>
public sealed class ThresholdsConfig : IValidatableConfig
{
    public double DiskWarnPercent { get; set; } = 80;
    public double DiskCriticalPercent { get; set; } = 90;
    public double DbConnectionsWarnPercent { get; set; } = 80;
    public double DbConnectionsCriticalPercent { get; set; } = 95;
    public long QueueDepthWarn { get; set; } = 1000;
    public long ErrorCountWarn { get; set; } = 100;
    /// <summary>Waiting jobs in one queue from which it is Critical.</summary>
    public long QueueDepthCritical { get; set; } = 10000;
    /// <summary>Failed jobs kept in one queue from which it is a Warning.</summary>
    public long QueueFailedWarn { get; set; } = 100;
    /// <summary>ERROR lines in 24 h from which the Errors check is Critical.</summary>
    public long ErrorCountCritical { get; set; } = 1000;
    /// <summary>Round trip (tcp connect, http, database, redis ping) in ms from which a check is a Warning.</summary>
    public double LatencyWarnMs { get; set; } = 1000;
    /// <summary>Sessions idle in transaction from which the Database check is a Warning.</summary>
    public long DbIdleInTransactionWarn { get; set; } = 5;
    /// <summary>A query active longer than this many seconds counts as long-running (any one is a Warning).</summary>
    public double DbLongQuerySeconds { get; set; } = 300;
    public double RedisMemoryWarnPercent { get; set; } = 80;
    public double RedisMemoryCriticalPercent { get; set; } = 95;

    public void Validate(ConfigValidationContext c)
    {
        c.Percent("diskWarnPercent", DiskWarnPercent);
        c.Percent("diskCriticalPercent", DiskCriticalPercent);
        c.Percent("dbConnectionsWarnPercent", DbConnectionsWarnPercent);
        c.Percent("dbConnectionsCriticalPercent", DbConnectionsCriticalPercent);
        if (DiskWarnPercent > DiskCriticalPercent)
            c.Error("diskWarnPercent", $"diskWarnPercent ({DiskWarnPercent}) is above diskCriticalPercent ({DiskCriticalPercent}).");
        if (DbConnectionsWarnPercent > DbConnectionsCriticalPercent)
            c.Error("dbConnectionsWarnPercent", $"dbConnectionsWarnPercent ({DbConnectionsWarnPercent}) is above dbConnectionsCriticalPercent ({DbConnectionsCriticalPercent}).");
        c.Positive("queueDepthWarn", QueueDepthWarn);
        c.Positive("errorCountWarn", ErrorCountWarn);
        c.Positive("queueDepthCritical", QueueDepthCritical);
        c.Positive("queueFailedWarn", QueueFailedWarn);
        c.Positive("errorCountCritical", ErrorCountCritical);
        c.Positive("latencyWarnMs", LatencyWarnMs);
        c.Positive("dbIdleInTransactionWarn", DbIdleInTransactionWarn);
        c.Positive("dbLongQuerySeconds", DbLongQuerySeconds);
        c.Percent("redisMemoryWarnPercent", RedisMemoryWarnPercent);
        c.Percent("redisMemoryCriticalPercent", RedisMemoryCriticalPercent);
        if (QueueDepthWarn > QueueDepthCritical)
            c.Error("queueDepthWarn", $"queueDepthWarn ({QueueDepthWarn}) is above queueDepthCritical ({QueueDepthCritical}).");
        if (ErrorCountWarn > ErrorCountCritical)
            c.Error("errorCountWarn", $"errorCountWarn ({ErrorCountWarn}) is above errorCountCritical ({ErrorCountCritical}).");
        if (RedisMemoryWarnPercent > RedisMemoryCriticalPercent)
            c.Error("redisMemoryWarnPercent", $"redisMemoryWarnPercent ({RedisMemoryWarnPercent}) is above redisMemoryCriticalPercent ({RedisMemoryCriticalPercent}).");
    }
    public override string ToString() => $"disk {DiskWarnPercent}/{DiskCriticalPercent}%, db connections {DbConnectionsWarnPercent}/{DbConnectionsCriticalPercent}%, queue {QueueDepthWarn}, errors {ErrorCountWarn}";
}
