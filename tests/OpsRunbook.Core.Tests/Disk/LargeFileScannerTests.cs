using OpsRunbook.Core.Disk;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;

namespace OpsRunbook.Core.Tests.Disk;

public class LargeFileScannerTests
{
    private static TempTree BuildTree(out TempTree outside)
    {
        var t = new TempTree();
        outside = new TempTree();
        var rng = new Random(42);
        for (var d = 0; d < 12; d++)
            for (var f = 0; f < 25; f++)
                t.File($"d{d}/sub{f % 3}/f{f}.bin", rng.Next(0, 200_000));
        t.File("top.bin", 50_000);
        t.File("name with space.log", 123_456);
        t.File("-leading-dash", 77_777);
        t.File("ünïcødé/ファイル.txt", 99_999);
        // Symlinks to a big file and a big directory outside: counted as links, never followed.
        outside.File("huge.bin", 5_000_000);
        outside.File("bigdir/inner.bin", 4_000_000);
        t.Link("link-to-huge", outside.P("huge.bin"));
        t.Link("d0/link-to-dir", outside.P("bigdir"));
        return t;
    }

    private static Dictionary<string, long> Du(string root)
    {
        var d = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in TempTree.Run("du", "-ab", root).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t');
            d[line[(tab + 1)..]] = long.Parse(line[..tab]);
        }
        return d;
    }

    [Fact]
    public void Top_files_match_du_and_symlinks_are_not_followed()
    {
        using var t = BuildTree(out var outside);
        using var _ = outside;
        var r = LargeFileScanner.Scan(new LargeFileScanOptions { Path = t.Root, Top = 10 }, NullReporter.Allow, default);
        var du = Du(t.Root);
        var files = TempTree.Walk(t.Root).OfType<FileInfo>().Where(f => f.LinkTarget is null).Select(f => (f.FullName, f.Length))
            .OrderByDescending(x => x.Length).Take(10).ToList();
        Assert.Equal(files.Select(f => f.Length), r.Entries.Select(e => e.SizeBytes));
        Assert.All(r.Entries, e => Assert.Equal(du[e.Path], e.SizeBytes));
        Assert.DoesNotContain(r.Entries, e => e.Path.Contains("huge") || e.Path.Contains("inner"));
        Assert.Equal(du[t.Root], r.BytesScanned);
        Assert.Equal(304, r.FilesScanned);
    }

    [Fact]
    public void Directory_totals_match_du_ab()
    {
        using var t = BuildTree(out var outside);
        using var _ = outside;
        var r = LargeFileScanner.Scan(new LargeFileScanOptions { Path = t.Root, Top = 8, Directories = true }, NullReporter.Allow, default);
        var du = Du(t.Root);
        Assert.Equal(8, r.Entries.Count);
        Assert.Equal(t.Root, r.Entries[0].Path);
        Assert.All(r.Entries, e => Assert.Equal(du[e.Path], e.SizeBytes));
        var expected = du.Where(kv => Directory.Exists(kv.Key) && new DirectoryInfo(kv.Key).LinkTarget is null)
            .Select(kv => kv.Value).OrderDescending().Take(8);
        Assert.Equal(expected, r.Entries.Select(e => e.SizeBytes));
    }

    [Fact]
    public void MinSize_filters_and_Top_bounds_the_result()
    {
        using var t = BuildTree(out var outside);
        using var _ = outside;
        var r = LargeFileScanner.Scan(new LargeFileScanOptions { Path = t.Root, Top = 1000, MinSize = 150_000 }, NullReporter.Allow, default);
        Assert.NotEmpty(r.Entries);
        Assert.All(r.Entries, e => Assert.True(e.SizeBytes >= 150_000));
        var one = LargeFileScanner.Scan(new LargeFileScanOptions { Path = t.Root, Top = 1 }, NullReporter.Allow, default);
        Assert.Single(one.Entries);
        Assert.Equal(r.Entries[0].SizeBytes, one.Entries[0].SizeBytes);
    }

    [Fact]
    public void Heap_keeps_only_the_largest_N()
    {
        var heap = new LargeFileScanner.TopN(5, 0);
        var rng = new Random(7);
        var all = Enumerable.Range(0, 10_000).Select(i => (long)rng.Next()).ToList();
        Parallel.ForEach(all, v => heap.Offer(v, () => new LargeFileEntry { Path = v.ToString(), Kind = LargeFileKind.File, SizeBytes = v }));
        Assert.Equal(5, heap.Count);
        Assert.Equal(all.OrderDescending().Take(5), heap.Sorted().Select(e => e.SizeBytes));
    }

    [Fact]
    public void Cancellation_stops_the_scan()
    {
        using var t = BuildTree(out var outside);
        using var _ = outside;
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => LargeFileScanner.Scan(new LargeFileScanOptions { Path = t.Root }, NullReporter.Allow, cts.Token));
    }

    [Fact]
    public void A_missing_path_or_a_file_is_a_clear_error()
    {
        var e = Assert.Throws<OpsException>(() => LargeFileScanner.Scan(new LargeFileScanOptions { Path = "/nonexistent/opsrunbook" }, NullReporter.Allow, default));
        Assert.Equal("PathNotFound", e.ErrorId);
        using var t = new TempTree();
        var f = t.File("a", 1);
        Assert.Equal("NotADirectory", Assert.Throws<OpsException>(() => LargeFileScanner.Scan(new LargeFileScanOptions { Path = f }, NullReporter.Allow, default)).ErrorId);
    }

    [Fact]
    public void Stays_on_one_filesystem()
    {
        using var t = BuildTree(out var outside);
        using var _ = outside;
        var mnt = t.Dir("mnt");
        TempTree.Run("mount", "-t", "tmpfs", "-o", "size=4m", "opsrunbook-test", mnt);
        try
        {
            using (var f = File.Create(Path.Combine(mnt, "on-other-fs.bin"))) f.SetLength(3_000_000);
            var r = LargeFileScanner.Scan(new LargeFileScanOptions { Path = t.Root, Top = 5 }, NullReporter.Allow, default);
            Assert.DoesNotContain(r.Entries, e => e.Path.StartsWith(mnt, StringComparison.Ordinal));
            Assert.Contains(mnt, r.OtherFileSystems);
        }
        finally { TempTree.Run("umount", mnt); }
    }
}

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class UnreadableDirectoryTests
{
    [Fact]
    public void Scanner_counts_an_unreadable_directory_and_goes_on()
    {
        using var t = new TempTree();
        t.File("open/a.bin", 1000);
        t.File("locked/secret.bin", 9000);
        t.File("z/b.bin", 2000);
        File.SetUnixFileMode(t.P("locked"), UnixFileMode.None);
        try
        {
            var r = UnprivilegedThread.Run(() => LargeFileScanner.Scan(new LargeFileScanOptions { Path = t.Root, Top = 10, MaxParallelism = 1 }, NullReporter.Allow, default));
            Assert.Equal(1, r.Unreadable);
            Assert.Contains(t.P("locked"), Assert.Single(r.UnreadableSamples));
            Assert.Equal([2000L, 1000L], r.Entries.Select(e => e.SizeBytes));
        }
        finally { File.SetUnixFileMode(t.P("locked"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); }
    }

    [Fact]
    public void Cleanup_reports_an_unreadable_directory_and_cleans_the_rest()
    {
        using var t = new TempTree();
        var root = t.Dir("r");
        var a = t.File("r/a.log", 10, DateTime.UtcNow.AddDays(-9));
        t.File("r/locked/b.log", 10, DateTime.UtcNow.AddDays(-9));
        File.SetUnixFileMode(t.P("r/locked"), UnixFileMode.None);
        try
        {
            var engine = new CleanupEngine();
            var result = UnprivilegedThread.Run(() => engine.Execute(engine.Plan(new OpsRunbook.Core.Config.CleanupPolicy { Name = "p", Path = root, Pattern = "*.log", OlderThanDays = 7 })));
            Assert.Equal(1, result.FilesRemoved);
            Assert.False(File.Exists(a));
            Assert.Equal("CleanupDirectoryUnreadable", Assert.Single(result.ErrorDetails).ErrorId);
        }
        finally { File.SetUnixFileMode(t.P("r/locked"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); }
        Assert.True(File.Exists(t.P("r/locked/b.log")));
    }
}
