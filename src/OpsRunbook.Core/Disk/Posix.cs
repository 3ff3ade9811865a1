using System.Runtime.InteropServices;

namespace OpsRunbook.Core.Disk;

/// <summary>The fields of struct stat the disk code needs. Mode holds the file type bits (S_IFMT).</summary>
public readonly record struct PosixStat(ulong Device, ulong Inode, uint Mode, ulong Links, long Size, long Blocks, DateTime LastWriteTimeUtc)
{
    public const uint TypeMask = 0xF000, Regular = 0x8000, Directory = 0x4000, Symlink = 0xA000;
    public bool IsRegularFile => (Mode & TypeMask) == Regular;
    public bool IsDirectory => (Mode & TypeMask) == Directory;
    public bool IsSymlink => (Mode & TypeMask) == Symlink;
    /// <summary>Bytes allocated on disk (st_blocks * 512).</summary>
    public long AllocatedBytes => Blocks * 512;
}

/// <summary>stat(2)/lstat(2) through glibc (2.33+ exports them). Linux x86_64 and aarch64 layouts.</summary>
public static class Posix
{
    [DllImport("libc", SetLastError = true, EntryPoint = "stat")]
    private static extern int stat_([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buf);

    [DllImport("libc", SetLastError = true, EntryPoint = "lstat")]
    private static extern int lstat_([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buf);

    private static readonly bool Arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>lstat: the entry itself, never a symlink's target. False (with errno in <paramref name="error"/>) when it fails.</summary>
    public static bool TryLStat(string path, out PosixStat st, out int error) => Call(lstat_, path, out st, out error);

    /// <summary>stat: follows symlinks (and /proc/PID/fd links to deleted files).</summary>
    public static bool TryStat(string path, out PosixStat st, out int error) => Call(stat_, path, out st, out error);

    private static bool Call(Func<string, byte[], int> f, string path, out PosixStat st, out int error)
    {
        var b = new byte[256];
        if (f(path, b) != 0)
        {
            error = Marshal.GetLastPInvokeError();
            st = default;
            return false;
        }
        error = 0;
        var dev = BitConverter.ToUInt64(b, 0);
        var ino = BitConverter.ToUInt64(b, 8);
        uint mode; ulong links;
        if (Arm64) { mode = BitConverter.ToUInt32(b, 16); links = BitConverter.ToUInt32(b, 20); }
        else { links = BitConverter.ToUInt64(b, 16); mode = BitConverter.ToUInt32(b, 24); }
        var size = BitConverter.ToInt64(b, 48);
        var blocks = BitConverter.ToInt64(b, 64);
        var sec = BitConverter.ToInt64(b, 88);
        var nsec = BitConverter.ToInt64(b, 96);
        var mtime = DateTime.UnixEpoch.AddTicks(sec * TimeSpan.TicksPerSecond + nsec / 100);
        st = new PosixStat(dev, ino, mode, links, size, blocks, mtime);
        return true;
    }

    public const int ENOENT = 2, EACCES = 13, ENOTDIR = 20;

    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
