using System.IO.Enumeration;
using System.Text.RegularExpressions;
using OpsRunbook.Core.Disk;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Logs;

/// <summary>One log file of a set, as found when the set was resolved.</summary>
public sealed record LogFileInfo
{
    public required string Path { get; init; }
    /// <summary>Bytes on disk (compressed size for a .gz).</summary>
    public long Length { get; init; }
    public DateTime LastWriteTimeUtc { get; init; }
    /// <summary>gzip, by its magic bytes (not by its name).</summary>
    public bool Compressed { get; init; }
    public ulong Inode { get; init; }
}

/// <summary>
/// Turns the paths a user gives (files, wildcards in the file name, a live log whose rotations should come
/// along) into an ordered file list: oldest first (by last write, then by rotation number), each file once.
/// </summary>
public static partial class LogFiles
{
    [GeneratedRegex(@"^\.(\d+)(\.gz)?$|^\.gz$|^-\d{8,10}(\.gz)?$")]
    private static partial Regex RotationSuffix();

    /// <summary>
    /// Resolves paths. A plain path names one file; with <paramref name="includeRotated"/> its rotations
    /// (name.1, name.2.gz, name.gz, name-20261201[.gz]) in the same directory come along. '*', '?' and '[...]'
    /// in the file name are wildcards. A path that matches nothing is reported through <paramref name="problem"/>
    /// (LogFileNotFound) and skipped.
    /// </summary>
    public static IReadOnlyList<LogFileInfo> Resolve(IEnumerable<string> paths, bool includeRotated, Action<OpsException> problem)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<(LogFileInfo Info, int Rotation)>();
        foreach (var raw in paths)
        {
            if (string.IsNullOrWhiteSpace(raw)) continue;
            var full = System.IO.Path.GetFullPath(raw);
            var dir = System.IO.Path.GetDirectoryName(full) ?? "/";
            var name = System.IO.Path.GetFileName(full);
            var found = 0;
            if (name.IndexOfAny(['*', '?', '[']) >= 0)
            {
                foreach (var f in Enumerate(dir, n => FileSystemName.MatchesSimpleExpression(name, n, ignoreCase: false) || GlobClass(name, n)))
                    found += Add(f, 0);
            }
            else
            {
                if (File.Exists(full)) found += Add(full, 0);
                if (includeRotated)
                    foreach (var f in Enumerate(dir, n => n.Length > name.Length && n.StartsWith(name, StringComparison.Ordinal) && RotationSuffix().IsMatch(n.AsSpan(name.Length))))
                        found += Add(f, RotationNumber(f[(full.Length)..]));
            }
            if (found == 0 && !seen.Contains(full))
                problem(new OpsException(ErrorIds.LogFileNotFound, $"No log file matches {raw}.", raw,
                    "Check the path (and logs.directory in the config); wildcards work in the file name."));
        }
        return files.OrderBy(f => f.Info.LastWriteTimeUtc).ThenByDescending(f => f.Rotation).Select(f => f.Info).ToList();

        int Add(string path, int rotation)
        {
            if (!seen.Add(path)) return 1;
            if (!Posix.TryStat(path, out var st, out _) || !st.IsRegularFile) return 0;
            files.Add((new LogFileInfo { Path = path, Length = st.Size, LastWriteTimeUtc = st.LastWriteTimeUtc, Inode = st.Inode, Compressed = IsGzip(path) }, rotation));
            return 1;
        }
    }

    private static IEnumerable<string> Enumerate(string dir, Func<string, bool> match)
    {
        if (!Directory.Exists(dir)) return [];
        return new FileSystemEnumerable<string>(dir, (ref FileSystemEntry e) => e.ToFullPath(),
            new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && match(e.FileName.ToString()),
        }.Order(StringComparer.Ordinal);
    }

    // '[0-9]' style classes, which FileSystemName does not know: translate the glob to a regex.
    private static bool GlobClass(string pattern, string name) =>
        pattern.Contains('[') && Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".").Replace(@"\[", "[").Replace(@"\]", "]") + "$");

    private static int RotationNumber(string suffix)
    {
        var m = RotationSuffix().Match(suffix);
        return m.Success && m.Groups[1].Success && int.TryParse(m.Groups[1].ValueSpan, out var n) ? n : 0;
    }

    /// <summary>True when the file starts with the gzip magic bytes 1f 8b.</summary>
    public static bool IsGzip(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            Span<byte> b = stackalloc byte[2];
            return fs.ReadAtLeast(b, 2, throwOnEndOfStream: false) == 2 && b[0] == 0x1f && b[1] == 0x8b;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return path.EndsWith(".gz", StringComparison.Ordinal); }
    }
}
