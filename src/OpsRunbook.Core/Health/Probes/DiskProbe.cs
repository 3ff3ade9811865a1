using OpsRunbook.Core.Config;
using OpsRunbook.Core.Systems;
using OpsRunbook.Core.Text;

namespace OpsRunbook.Core.Health.Probes;

/// <summary>The Disk family: each configured path's filesystem, judged on the worse of space and inodes used.</summary>
public static class DiskProbe
{
    public const string Check = "Disk";

    public static Task<IReadOnlyList<HealthCheckResult>> CheckAsync(EnvironmentConfig env, CancellationToken ct)
    {
        var disk = env.Disk ?? new DiskConfig();
        // statvfs can block on a dead network mount: run each path on the pool so the bound still holds.
        return HealthProbe.AllAsync(disk.Paths.Select(p => HealthProbe.TargetAsync(Check, p, t => HealthProbe.OffThread(() => Judge(FileSystemStats.Get(p), env.Thresholds), t), ct)));
    }

    public static HealthCheckResult Judge(FileSystemUsage u, ThresholdsConfig th)
    {
        var worst = Math.Max(u.UsedPercent, u.InodesUsedPercent);
        var status = HealthProbe.Judge(worst, th.DiskWarnPercent, th.DiskCriticalPercent);
        var r = new HealthCheckResult
        {
            Status = status, Value = u.UsedPercent, Unit = "%",
            Threshold = HealthProbe.ThresholdText(th.DiskWarnPercent, th.DiskCriticalPercent, " %") + " (space or inodes)",
            WarnAt = th.DiskWarnPercent, CriticalAt = th.DiskCriticalPercent,
            Message = $"{HealthProbe.F(u.UsedPercent)} % used, {ByteSize.Format(u.FreeBytes)} free of {ByteSize.Format(u.SizeBytes)}, inodes {HealthProbe.F(u.InodesUsedPercent)} % used ({u.MountPoint}, {u.FileSystemType}).",
        };
        r.AddDetail("used_percent", u.UsedPercent);
        r.AddDetail("free_bytes", u.FreeBytes);
        r.AddDetail("size_bytes", u.SizeBytes);
        r.AddDetail("inodes_used_percent", u.InodesUsedPercent);
        r.AddDetail("inodes_free", u.InodesFree);
        return r;
    }
}
