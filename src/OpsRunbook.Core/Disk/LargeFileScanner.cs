using System.Collections.Concurrent;
using System.IO.Enumeration;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Disk;

public enum LargeFileKind { File, Directory }

/// <summary>One of the largest files (or directories, by total apparent size as du -ab counts).</summary>
public sealed record LargeFileEntry
{
    /// <summary>The host this describes (its host name).</summary>
    public string ComputerName { get; init; } = Systems.HostIdentity.ComputerName;
    public required string Path { get; init; }
    public required LargeFileKind Kind { get; init; }
    /// <summary>Apparent size in bytes (du -b); for a directory the total of everything under it.</summary>
    public required long SizeBytes { get; init; }
    /// <summary>Files under the directory (1 for a file).</summary>
    public long FileCount { get; init; } = 1;
    public DateTime LastWriteTimeUtc { get; init; }
}

public sealed record LargeFileScanOptions
{
    public required string Path { get; init; }
    public int Top { get; init; } = 20;
    public long MinSize { get; init; }
    public bool Directories { get; init; }
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>What a scan saw, besides the top entries.</summary>
public sealed record LargeFileScanResult
{
    public required string Root { get; init; }
    public required IReadOnlyList<LargeFileEntry> Entries { get; init; }
    public long FilesScanned { get; init; }
    public long DirectoriesScanned { get; init; }
    public long BytesScanned { get; init; }
    /// <summary>Directories that could not be read (permission denied, vanished): counted, never fatal.</summary>
    public long Unreadable { get; init; }
    public IReadOnlyList<string> UnreadableSamples { get; init; } = [];
    /// <summary>Directories skipped because another filesystem is mounted there (du -x).</summary>
    public IReadOnlyList<string> OtherFileSystems { get; init; } = [];
    public TimeSpan Elapsed { get; init; }
}

/// <summary>
/// Finds the largest files or directories under a path: a parallel walk over subdirectories that
/// never follows symlinks, stays on the root's filesystem (du -x), counts a hard-linked file once (du counts
/// each inode once, under the first name it meets) and keeps only a top-N min-heap,
/// so memory is bounded by N and the tree's depth, not by its size.
/// </summary>
public static class LargeFileScanner
{
    private readonly struct Item
    {
        public readonly string? Path;   // set for directories and for files that may enter the heap
        public readonly long Length;
        public readonly byte Kind;      // 0 file, 1 directory, 2 symlink or other, 3 another name of a file already counted
        public readonly DateTime LastWrite;
        public Item(string? path, long length, byte kind, DateTime lastWrite) { Path = path; Length = length; Kind = kind; LastWrite = lastWrite; }
    }

    private sealed class State
    {
        public required LargeFileScanOptions Options;
        public required ulong Device;
        public required TopN Heap;
        public required CancellationToken Token;
        public long Files, Dirs, Bytes, Unreadable;
        /// <summary>(device, inode) of every file with more than one name seen so far.</summary>
        public readonly ConcurrentDictionary<(ulong, ulong), byte> SeenInodes = new();
        public readonly ConcurrentQueue<string> UnreadableSamples = new();
        public readonly ConcurrentQueue<string> OtherFs = new();
        public volatile string Current = "";
    }

    public static LargeFileScanResult Scan(LargeFileScanOptions options, IOpsReporter reporter, CancellationToken ct)
    {
        if (options.Top < 1) throw new OpsException(ErrorIds.InvalidTop, $"-Top must be at least 1, not {options.Top}.", options.Top);
        var root = FileSystemStats.RealPath(options.Path);
        if (!Posix.TryLStat(root, out var rootStat, out var err))
            throw new OpsException(ErrorIds.PathNotFound, $"Cannot read {options.Path}: {Posix.ErrorText(err)}.", options.Path);
        if (!rootStat.IsDirectory)
            throw new OpsException(ErrorIds.NotADirectory, $"{options.Path} is not a directory.", options.Path,
                "Give a directory; Get-Item shows a single file's size.");

        var state = new State { Options = options, Device = rootStat.Device, Heap = new TopN(options.Top, Math.Max(options.MinSize, 0)), Token = ct };
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new Timer(_ => reporter.Progress(new OpsProgress(1, $"Scanning {root}",
            $"{Interlocked.Read(ref state.Files):N0} files, {Text.ByteSize.Format(Interlocked.Read(ref state.Bytes))} in {Interlocked.Read(ref state.Dirs):N0} directories",
            -1, state.Current)), null, 100, 250);

        var (bytes, files) = Walk(root, 0, state);
        bytes += rootStat.Size;
        state.Bytes += rootStat.Size;
        if (options.Directories) state.Heap.Offer(bytes, () => Entry(root, LargeFileKind.Directory, bytes, files, rootStat.LastWriteTimeUtc));
        timer.Change(Timeout.Infinite, Timeout.Infinite);

        return new LargeFileScanResult
        {
            Root = root,
            Entries = state.Heap.Sorted(),
            FilesScanned = state.Files,
            DirectoriesScanned = state.Dirs,
            BytesScanned = state.Bytes,
            Unreadable = state.Unreadable,
            UnreadableSamples = state.UnreadableSamples.ToArray(),
            OtherFileSystems = state.OtherFs.ToArray(),
            Elapsed = sw.Elapsed,
        };
    }

    private static LargeFileEntry Entry(string path, LargeFileKind kind, long size, long files, DateTime mtime)
        => new() { Path = path, Kind = kind, SizeBytes = size, FileCount = files, LastWriteTimeUtc = mtime };

    /// <summary>Walks one directory; returns its subtree's apparent bytes and file count.</summary>
    private static (long Bytes, long Files) Walk(string dir, int depth, State s)
    {
        s.Token.ThrowIfCancellationRequested();
        Interlocked.Increment(ref s.Dirs);
        s.Current = dir;
        var wantFiles = !s.Options.Directories;
        List<Item>? subdirs = null;
        long bytes = 0, files = 0;
        try
        {
            var e = new FileSystemEnumerable<Item>(dir, (ref FileSystemEntry entry) =>
            {
                // d_type says "directory" without a syscall; a symlink to a directory also says so and is sorted out by the
                // lstat of each subdirectory below. Everything else gets one lstat of our own, which gives what
                // FileSystemEntry would have read (size, type, time) plus the link count and inode it does not show.
                if (entry.IsDirectory) return new Item(entry.ToFullPath(), 0, 1, default);
                var path = entry.ToFullPath();
                if (!Posix.TryLStat(path, out var st, out _)) return new Item(null, 0, 3, default);      // vanished meanwhile
                if (st.IsSymlink) return new Item(null, st.Size, 2, default);                           // counted as itself, never followed
                // A file with several names (hard links) is counted once, under the first name seen, as du counts each inode once.
                if (st.Links > 1 && !st.IsDirectory && !s.SeenInodes.TryAdd((st.Device, st.Inode), 0)) return new Item(null, 0, 3, default);
                return wantFiles && s.Heap.WouldAccept(st.Size)
                    ? new Item(path, st.Size, 0, st.LastWriteTimeUtc)
                    : new Item(null, st.Size, 0, default);
            }, new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false });
            foreach (var item in e)
            {
                if (item.Kind == 1) { (subdirs ??= new()).Add(item); continue; }
                if (item.Kind == 3) continue;
                bytes += item.Length;
                if (item.Kind == 0)
                {
                    files++;
                    if (item.Path is not null) { var i = item; s.Heap.Offer(i.Length, () => Entry(i.Path!, LargeFileKind.File, i.Length, 1, i.LastWrite)); }
                }
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            Interlocked.Increment(ref s.Unreadable);
            if (s.UnreadableSamples.Count < 100) s.UnreadableSamples.Enqueue($"{dir}: {ex.Message}");
        }
        Interlocked.Add(ref s.Files, files);
        Interlocked.Add(ref s.Bytes, bytes);

        if (subdirs is not null)
        {
            // Stay on one filesystem: one lstat per directory (not per file).
            var local = new List<Item>(subdirs.Count);
            long linkBytes = 0;
            foreach (var d in subdirs)
            {
                if (!Posix.TryLStat(d.Path!, out var st, out _)) continue; // vanished
                if (st.IsSymlink) { linkBytes += st.Size; continue; }     // a symlink to a directory: counted as itself, never followed
                if (!st.IsDirectory || st.Device != s.Device)
                {
                    if (st.IsDirectory) s.OtherFs.Enqueue(d.Path!);
                    continue;
                }
                local.Add(new Item(d.Path, st.Size, 1, st.LastWriteTimeUtc)); // du -b counts the directory's own size too
            }
            if (linkBytes > 0) { bytes += linkBytes; Interlocked.Add(ref s.Bytes, linkBytes); }
            if (local.Count > 1 && depth < 8 && s.Options.MaxParallelism > 1)
            {
                long pb = 0, pf = 0;
                Parallel.ForEach(local, new ParallelOptions { MaxDegreeOfParallelism = s.Options.MaxParallelism, CancellationToken = s.Token }, d =>
                {
                    var (b, f) = WalkDir(d, depth + 1, s);
                    Interlocked.Add(ref pb, b);
                    Interlocked.Add(ref pf, f);
                });
                bytes += pb; files += pf;
            }
            else
            {
                foreach (var d in local)
                {
                    var (b, f) = WalkDir(d, depth + 1, s);
                    bytes += b; files += f;
                }
            }
        }
        return (bytes, files);
    }

    private static (long, long) WalkDir(Item dir, int depth, State s)
    {
        var (b, f) = Walk(dir.Path!, depth, s);
        b += dir.Length;
        Interlocked.Add(ref s.Bytes, dir.Length);
        if (s.Options.Directories && s.Heap.WouldAccept(b))
            s.Heap.Offer(b, () => Entry(dir.Path!, LargeFileKind.Directory, b, f, dir.LastWrite));
        return (b, f);
    }

    /// <summary>A thread-safe top-N min-heap with a lock-free rejection test for the common case.</summary>
    internal sealed class TopN
    {
        private readonly PriorityQueue<LargeFileEntry, long> _q;
        private readonly int _n;
        private long _threshold; // an entry must be >= this to get in (the heap's minimum once full)

        public TopN(int n, long minSize) { _n = n; _q = new(n + 1); _threshold = minSize; }

        public int Count { get { lock (_q) return _q.Count; } }

        public bool WouldAccept(long size) => size >= Volatile.Read(ref _threshold);

        public void Offer(long size, Func<LargeFileEntry> make)
        {
            if (!WouldAccept(size)) return;
            lock (_q)
            {
                if (_q.Count < _n) _q.Enqueue(make(), size);
                else if (_q.TryPeek(out _, out var min) && size > min) _q.EnqueueDequeue(make(), size);
                else return;
                if (_q.Count == _n && _q.TryPeek(out _, out var m)) Volatile.Write(ref _threshold, Math.Max(_threshold, m + 1));
            }
        }

        public IReadOnlyList<LargeFileEntry> Sorted()
        {
            lock (_q)
                return _q.UnorderedItems.Select(x => x.Element).OrderByDescending(x => x.SizeBytes).ThenBy(x => x.Path, StringComparer.Ordinal).ToArray();
        }
    }
}
