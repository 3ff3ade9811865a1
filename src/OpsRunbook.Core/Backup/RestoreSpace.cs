using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Backup;

/// <summary>
/// The free-disk arithmetic of a restore test, apart from the file system so it can be tested alone: what each
/// directory needs, summed per filesystem (the download and the restored database on one disk need both).
/// </summary>
public static class RestoreSpace
{
    /// <summary>Bytes that <paramref name="What"/> will write under <paramref name="Path"/>.</summary>
    public sealed record Need(string Path, long Bytes, string What);

    /// <summary>The filesystem holding a path (any key that is equal for two paths on one filesystem) and its free bytes.</summary>
    public readonly record struct FreeSpace(string FileSystem, string MountPoint, long FreeBytes);

    /// <summary>How much a restore of a custom-format dump is expected to take when the manifest does not say: this many times the dump.</summary>
    public const int UnknownExpansionFactor = 4;

    /// <summary>
    /// The restored database's expected size: the dumped database's size recorded in the manifest (pg_database_size
    /// at dump time), else <see cref="UnknownExpansionFactor"/> times the dump (compressed custom format).
    /// </summary>
    public static (long Bytes, string How) EstimateRestoredBytes(BackupManifest? manifest, long dumpBytes) =>
        manifest is { DatabaseSizeBytes: > 0 } m
            ? (m.DatabaseSizeBytes, "the database's size in the manifest")
            : (dumpBytes * UnknownExpansionFactor, $"{UnknownExpansionFactor}x the dump: the manifest has no database size");

    /// <summary>
    /// Null when every need fits in its filesystem's free space (needs on one filesystem summed), else one sentence per
    /// filesystem that is short: where, what it needs, what is free.
    /// </summary>
    public static string? Check(IEnumerable<Need> needs, Func<string, FreeSpace> probe)
    {
        var shortfalls = new List<string>();
        foreach (var group in needs.Where(n => n.Bytes > 0).Select(n => (Need: n, Space: probe(n.Path))).GroupBy(x => x.Space.FileSystem))
        {
            var need = group.Sum(x => x.Need.Bytes);
            var free = group.First().Space.FreeBytes;
            if (need <= free) continue;
            shortfalls.Add($"{string.Join(" and ", group.Select(x => x.Need.Path).Distinct())} (filesystem {group.First().Space.MountPoint}) needs "
                + $"{Text.ByteSize.Format(need)} for {string.Join(" plus ", group.Select(x => x.Need.What))} and has {Text.ByteSize.Format(free)} free");
        }
        return shortfalls.Count == 0 ? null : string.Join("; ", shortfalls);
    }

    /// <summary>The real probe: statvfs (df's Avail) of the filesystem holding the path.</summary>
    public static FreeSpace ProbeFileSystem(string path)
    {
        var usage = FileSystemStats.Get(path);
        // st_dev identifies the filesystem (two bind mounts of one filesystem share it).
        var key = Disk.Posix.TryStat(usage.Path, out var st, out _) ? st.Device.ToString(System.Globalization.CultureInfo.InvariantCulture) : usage.Device + "|" + usage.MountPoint;
        return new FreeSpace(key, usage.MountPoint, usage.FreeBytes);
    }
}
