using System.Globalization;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Disk;

/// <summary>
/// A file that has been deleted but is still held open: its space is not freed until the process
/// closes it (what lsof +L1 shows). A log deleted while nginx holds it frees nothing.
/// </summary>
public sealed record DeletedOpenFile
{
    /// <summary>The host this describes (its host name).</summary>
    public string ComputerName { get; init; } = Systems.HostIdentity.ComputerName;
    public required int ProcessId { get; init; }
    public required string ProcessName { get; init; }
    public required int FileDescriptor { get; init; }
    /// <summary>The path the file had, without the " (deleted)" suffix.</summary>
    public required string Path { get; init; }
    /// <summary>Apparent size (st_size).</summary>
    public required long SizeBytes { get; init; }
    /// <summary>Space it still takes on disk (st_blocks * 512): what closing or truncating it frees.</summary>
    public required long AllocatedBytes { get; init; }
    public string MountPoint { get; init; } = "";
    /// <summary>/proc/PID/fd/N: truncating this path frees the space without restarting the process.</summary>
    public required string FdPath { get; init; }
}

/// <summary>Reads /proc/PID/fd for links ending in " (deleted)". Processes that vanish or cannot be read are skipped.</summary>
public static class DeletedOpenFiles
{
    private const string Suffix = " (deleted)";

    public static IReadOnlyList<DeletedOpenFile> Scan(string procRoot = "/proc", CancellationToken ct = default)
    {
        var list = new List<DeletedOpenFile>();
        var mounts = FileSystemStats.Mounts();
        IEnumerable<string> pids;
        try { pids = Directory.EnumerateDirectories(procRoot); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return list; }
        foreach (var pidDir in pids)
        {
            ct.ThrowIfCancellationRequested();
            if (!int.TryParse(System.IO.Path.GetFileName(pidDir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string[] fds;
            try { fds = Directory.GetFileSystemEntries(System.IO.Path.Combine(pidDir, "fd")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            string? name = null;
            foreach (var fdPath in fds)
            {
                if (!int.TryParse(System.IO.Path.GetFileName(fdPath), NumberStyles.None, CultureInfo.InvariantCulture, out var fd)) continue;
                string? target;
                try { target = new FileInfo(fdPath).LinkTarget; }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                if (target is null || !target.EndsWith(Suffix, StringComparison.Ordinal) || !target.StartsWith('/')) continue;
                if (target.StartsWith("/memfd:", StringComparison.Ordinal)) continue; // anonymous memory, not a file on disk
                if (!Posix.TryStat(fdPath, out var st, out _) || !st.IsRegularFile || st.Links != 0) continue;
                var path = target[..^Suffix.Length];
                name ??= ReadName(pidDir);
                list.Add(new DeletedOpenFile
                {
                    ProcessId = pid,
                    ProcessName = name,
                    FileDescriptor = fd,
                    Path = path,
                    SizeBytes = st.Size,
                    AllocatedBytes = st.AllocatedBytes,
                    MountPoint = MountOf(mounts, path),
                    FdPath = fdPath,
                });
            }
        }
        return list;
    }

    private static string ReadName(string pidDir)
    {
        try { return File.ReadAllText(System.IO.Path.Combine(pidDir, "comm")).TrimEnd('\n'); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    private static string MountOf(IReadOnlyList<FileSystemStats.MountEntry> mounts, string path)
    {
        string best = "/";
        foreach (var m in mounts)
            if ((path == m.MountPoint || path.StartsWith(m.MountPoint.TrimEnd('/') + "/", StringComparison.Ordinal)) && m.MountPoint.Length >= best.Length) best = m.MountPoint;
        return best;
    }
}
