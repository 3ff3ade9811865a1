using System.Runtime.InteropServices;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Systems;

/// <summary>Space and inodes of the filesystem holding a path, as df and df -i report them.</summary>
public sealed record FileSystemUsage
{
    /// <summary>The host this describes (its host name).</summary>
    public string ComputerName { get; init; } = Systems.HostIdentity.ComputerName;
    public required string Path { get; init; }
    public required string MountPoint { get; init; }
    public required string FileSystemType { get; init; }
    public required string Device { get; init; }
    public required long SizeBytes { get; init; }
    public required long UsedBytes { get; init; }
    /// <summary>Bytes available to unprivileged users (df's Avail).</summary>
    public required long FreeBytes { get; init; }
    /// <summary>Used / (Used + Free) * 100, as df computes Use%.</summary>
    public required double UsedPercent { get; init; }
    public required long InodesTotal { get; init; }
    public required long InodesUsed { get; init; }
    public required long InodesFree { get; init; }
    public required double InodesUsedPercent { get; init; }
}

/// <summary>Reads statvfs(3) and /proc/self/mountinfo. Linux only.</summary>
public static class FileSystemStats
{
    [StructLayout(LayoutKind.Sequential)]
    private struct StatVfs
    {
        public ulong f_bsize, f_frsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree, f_favail, f_fsid, f_flag, f_namemax;
        public int s0, s1, s2, s3, s4, s5;
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "statvfs")]
    private static extern int statvfs([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out StatVfs buf);

    [DllImport("libc", SetLastError = true, EntryPoint = "realpath")]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void free(IntPtr p);

    /// <summary>The path with every symlink resolved, or throws PathNotFound.</summary>
    public static string RealPath(string path)
    {
        var p = realpath(path, IntPtr.Zero);
        if (p == IntPtr.Zero)
            throw new OpsException(ErrorIds.PathNotFound, $"Path {path} does not exist or cannot be resolved ({Marshal.GetLastPInvokeErrorMessage()}).", path);
        try { return Marshal.PtrToStringUTF8(p)!; }
        finally { free(p); }
    }

    public static FileSystemUsage Get(string path)
    {
        var real = RealPath(path);
        if (statvfs(real, out var s) != 0)
            throw new OpsException(ErrorIds.DiskStatFailed, $"statvfs({path}) failed: {Marshal.GetLastPInvokeErrorMessage()}.", path);
        var frsize = s.f_frsize == 0 ? s.f_bsize : s.f_frsize;
        var size = (long)(s.f_blocks * frsize);
        var used = (long)((s.f_blocks - s.f_bfree) * frsize);
        var avail = (long)(s.f_bavail * frsize);
        var inodesUsed = (long)(s.f_files - s.f_ffree);
        var mount = MountFor(real);
        return new FileSystemUsage
        {
            Path = path,
            MountPoint = mount?.MountPoint ?? "/",
            FileSystemType = mount?.Type ?? "",
            Device = mount?.Source ?? "",
            SizeBytes = size,
            UsedBytes = used,
            FreeBytes = avail,
            UsedPercent = used + avail == 0 ? 0 : Math.Round(used * 100.0 / (used + avail), 2),
            InodesTotal = (long)s.f_files,
            InodesUsed = inodesUsed,
            InodesFree = (long)s.f_favail,
            InodesUsedPercent = s.f_files == 0 ? 0 : Math.Round(inodesUsed * 100.0 / (inodesUsed + (long)s.f_favail), 2),
        };
    }

    /// <summary>Kernel and virtual filesystems that hold no user data: never listed.</summary>
    public static readonly IReadOnlySet<string> PseudoFileSystemTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "proc", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue", "securityfs", "pstore", "debugfs", "tracefs", "configfs",
        "fusectl", "hugetlbfs", "bpf", "autofs", "binfmt_misc", "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs",
    };

    /// <summary>Memory-backed or read-only image filesystems: listed only on request.</summary>
    public static readonly IReadOnlySet<string> VolatileFileSystemTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "tmpfs", "devtmpfs", "ramfs", "squashfs",
    };

    /// <summary>
    /// Every mounted filesystem with a size, once per mount point (pseudo filesystems left out; tmpfs and the like only
    /// with <paramref name="includeVolatile"/>). Mounts that cannot be read are skipped.
    /// </summary>
    public static IReadOnlyList<FileSystemUsage> All(bool includeVolatile)
    {
        var list = new List<FileSystemUsage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in Mounts())
        {
            if (PseudoFileSystemTypes.Contains(m.Type) || (!includeVolatile && VolatileFileSystemTypes.Contains(m.Type)) || !seen.Add(m.MountPoint)) continue;
            try
            {
                var u = Get(m.MountPoint);
                if (u.SizeBytes > 0 && u.MountPoint == m.MountPoint) list.Add(u);
            }
            catch (Errors.OpsException) { }
        }
        return list;
    }

    public sealed record MountEntry(string MountPoint, string Type, string Source, string DeviceId);

    /// <summary>The mounts in /proc/self/mountinfo, in order.</summary>
    public static IReadOnlyList<MountEntry> Mounts()
    {
        var list = new List<MountEntry>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            var parts = line.Split(' ');
            var dash = Array.IndexOf(parts, "-");
            if (parts.Length < 5 || dash < 0 || dash + 2 >= parts.Length) continue;
            list.Add(new MountEntry(Unescape(parts[4]), parts[dash + 1], Unescape(parts[dash + 2]), parts[2]));
        }
        return list;
    }

    /// <summary>The mount that holds an already-resolved path: the longest matching mount point (the last one mounted wins).</summary>
    public static MountEntry? MountFor(string realPath)
    {
        MountEntry? best = null;
        foreach (var m in Mounts())
        {
            var inside = m.MountPoint == "/" || realPath == m.MountPoint || realPath.StartsWith(m.MountPoint + "/", StringComparison.Ordinal);
            if (inside && (best is null || m.MountPoint.Length >= best.MountPoint.Length)) best = m;
        }
        return best;
    }

    private static string Unescape(string s) => s.Contains('\\')
        ? System.Text.RegularExpressions.Regex.Replace(s, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString())
        : s;
}
