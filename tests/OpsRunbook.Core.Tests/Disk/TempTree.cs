using System.Diagnostics;

namespace OpsRunbook.Core.Tests.Disk;

/// <summary>A scratch directory tree under /tmp, removed (without following symlinks) on Dispose.</summary>
public sealed class TempTree : IDisposable
{
    public string Root { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "opsrunbook-disk-" + Guid.NewGuid().ToString("n"))).FullName;

    public string P(string relative) => Path.Combine(Root, relative);

    public string File(string relative, int bytes, DateTime? mtimeUtc = null)
    {
        var path = P(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var f = System.IO.File.Create(path)) f.SetLength(bytes);
        if (mtimeUtc is { } m) System.IO.File.SetLastWriteTimeUtc(path, m);
        return path;
    }

    public string Dir(string relative) => Directory.CreateDirectory(P(relative)).FullName;

    public string Link(string relative, string target)
    {
        var path = P(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.CreateSymbolicLink(path, target);
        return path;
    }

    /// <summary>Every entry under the root (relative path, kind, size, mtime) without following symlinks.</summary>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in Walk(root))
        {
            var kind = e.LinkTarget is not null ? "link->" + e.LinkTarget : e is DirectoryInfo ? "dir" : "file";
            var size = e is FileInfo fi && e.LinkTarget is null ? fi.Length : 0;
            var mtime = e.LinkTarget is null ? e.LastWriteTimeUtc.Ticks : 0;
            d[Path.GetRelativePath(root, e.FullName)] = $"{kind} {size} {mtime}";
        }
        return d;
    }

    /// <summary>Every entry under a directory, recursing only into real directories (never through a symlink).</summary>
    public static IEnumerable<FileSystemInfo> Walk(string dir)
    {
        foreach (var e in new DirectoryInfo(dir).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0 }))
        {
            yield return e;
            if (e is DirectoryInfo && e.LinkTarget is null)
                foreach (var c in Walk(e.FullName)) yield return c;
        }
    }

    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {p.StandardError.ReadToEnd()}");
        return o;
    }

    public void Dispose()
    {
        // rm -rf does not follow symlinks; unmount anything a test left mounted first.
        try { Run("rm", "-rf", "--one-file-system", Root); } catch (InvalidOperationException) { }
    }
}
