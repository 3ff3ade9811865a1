using System.IO.Enumeration;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Disk;

/// <summary>Which roots a cleanup policy may never have (the rule itself is the config's: <see cref="CleanupRoots"/>).</summary>
public static class CleanupSafety
{
    /// <summary>Why a root is refused, or null when it is allowed. Checks the path as written.</summary>
    public static string? ForbiddenReason(string path) => CleanupRoots.ForbiddenReason(path);

    public static string Normalize(string path) => CleanupRoots.Normalize(path);

    /// <summary>Throws CleanupRootForbidden for a refused root (as written, or after resolving symlinks).</summary>
    public static void AssertAllowed(CleanupPolicy policy, string realRoot)
    {
        foreach (var p in new[] { policy.Path, realRoot })
            if (ForbiddenReason(p) is { } why)
                throw new OpsException(ErrorIds.CleanupRootForbidden, $"Cleanup policy '{policy.Name}' has root {policy.Path}{(p != policy.Path ? $" (really {p})" : "")}, which is refused: {why}.",
                    policy.Name, "Point the policy at the application's own directory, e.g. /srv/app/logs.");
    }
}

/// <summary>A file a cleanup policy would free: what the preview lists and the real run removes.</summary>
public sealed record CleanupCandidate
{
    /// <summary>The host this describes (its host name).</summary>
    public string ComputerName { get; init; } = Systems.HostIdentity.ComputerName;
    public required string Policy { get; init; }
    public required string Path { get; init; }
    public required long SizeBytes { get; init; }
    public required DateTime LastWriteTimeUtc { get; init; }
    public required string Action { get; init; }
    public double AgeDays { get; init; }
}

/// <summary>A policy's candidates, worked out before anything is touched.</summary>
public sealed record CleanupPlan
{
    public required CleanupPolicy Policy { get; init; }
    /// <summary>The root with symlinks resolved; every candidate lies under it.</summary>
    public required string Root { get; init; }
    public required ulong Device { get; init; }
    public required DateTime CutoffUtc { get; init; }
    public required IReadOnlyList<CleanupCandidate> Candidates { get; init; }
    public long TotalBytes => Candidates.Sum(c => c.SizeBytes);
    /// <summary>Symlinks seen and left alone (never followed, never removed).</summary>
    public int SymlinksSkipped { get; init; }
    /// <summary>Directories on another filesystem, not entered.</summary>
    public IReadOnlyList<string> OtherFileSystems { get; init; } = [];
    /// <summary>Directories that could not be read.</summary>
    public IReadOnlyList<OpsException> Errors { get; init; } = [];
}

/// <summary>What one policy did (or, with WhatIf, would do).</summary>
public sealed record CleanupResult
{
    /// <summary>The host this describes (its host name).</summary>
    public string ComputerName { get; init; } = Systems.HostIdentity.ComputerName;
    public required string Policy { get; init; }
    public required string Path { get; init; }
    public required string Action { get; init; }
    public bool WhatIf { get; init; }
    /// <summary>Files that matched: what the preview listed.</summary>
    public int FilesMatched { get; init; }
    public long BytesMatched { get; init; }
    public int FilesRemoved { get; init; }
    public long BytesFreed { get; init; }
    /// <summary>Number of per-file (or per-directory) failures; the messages are in ErrorDetails.</summary>
    public int Errors { get; init; }
    public IReadOnlyList<OpsException> ErrorDetails { get; init; } = [];
    public long FreeBytesBefore { get; init; }
    public long FreeBytesAfter { get; init; }
    public IReadOnlyList<CleanupCandidate> Files { get; init; } = [];
}

/// <summary>
/// Plans and runs cleanup policies. Walks the root without following symlinks or leaving its
/// filesystem; removes only regular files whose name matches and whose mtime is older than the
/// cutoff; re-checks every file (type, age, device, still under the root) right before acting.
/// </summary>
public sealed class CleanupEngine
{
    private readonly TimeProvider _clock;
    public CleanupEngine(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    public CleanupPlan Plan(CleanupPolicy policy, CancellationToken ct = default)
    {
        var root = RealRoot(policy);
        CleanupSafety.AssertAllowed(policy, root);
        if (!Posix.TryLStat(root, out var rs, out var err) || !rs.IsDirectory)
            throw new OpsException(ErrorIds.CleanupRootNotFound, $"Cleanup policy '{policy.Name}': root {policy.Path} is not a directory{(err != 0 ? $" ({Posix.ErrorText(err)})" : "")}.", policy.Name);
        var cutoff = _clock.GetUtcNow().UtcDateTime.AddDays(-policy.OlderThanDays);
        var now = _clock.GetUtcNow().UtcDateTime;
        var candidates = new List<CleanupCandidate>();
        var errors = new List<OpsException>();
        var otherFs = new List<string>();
        var links = 0;
        var stack = new Stack<string>();
        stack.Push(root);
        var opts = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        while (stack.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var dir = stack.Pop();
            try
            {
                var entries = new FileSystemEnumerable<(string Path, byte Kind)>(dir,
                    (ref FileSystemEntry e) => ((e.Attributes & FileAttributes.ReparsePoint) != 0 ? (e.ToFullPath(), (byte)2)
                        : e.IsDirectory ? (e.ToFullPath(), (byte)1)
                        : (e.ToFullPath(), (byte)0)), opts)
                {
                    ShouldIncludePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) != 0 || e.IsDirectory
                        || FileSystemName.MatchesSimpleExpression(policy.Pattern, e.FileName, ignoreCase: false),
                };
                var subdirs = new List<string>();
                foreach (var (path, kind) in entries)
                {
                    if (kind == 2) { links++; continue; }
                    if (!Posix.TryLStat(path, out var st, out _)) continue; // vanished since listed
                    if (st.IsSymlink) { links++; continue; }
                    if (st.IsDirectory)
                    {
                        if (st.Device != rs.Device) otherFs.Add(path);
                        else subdirs.Add(path);
                        continue;
                    }
                    if (!st.IsRegularFile || st.Device != rs.Device || st.LastWriteTimeUtc >= cutoff) continue;
                    candidates.Add(new CleanupCandidate
                    {
                        Policy = policy.Name, Path = path, SizeBytes = st.Size, LastWriteTimeUtc = st.LastWriteTimeUtc,
                        Action = policy.Action, AgeDays = Math.Round((now - st.LastWriteTimeUtc).TotalDays, 2),
                    });
                }
                for (var i = subdirs.Count - 1; i >= 0; i--) stack.Push(subdirs[i]);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                errors.Add(new OpsException(ErrorIds.CleanupDirectoryUnreadable, $"Cleanup policy '{policy.Name}': cannot read {dir}: {e.Message}", dir));
            }
        }
        candidates.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new CleanupPlan
        {
            Policy = policy, Root = root, Device = rs.Device, CutoffUtc = cutoff, Candidates = candidates,
            SymlinksSkipped = links, OtherFileSystems = otherFs, Errors = errors,
        };
    }

    /// <summary>
    /// Removes (or truncates) the plan's candidates, each one re-checked right before. A file that
    /// changed, vanished or fails is recorded as an error and the run goes on.
    /// </summary>
    public CleanupResult Execute(CleanupPlan plan, CancellationToken ct = default, Action<CleanupCandidate>? onDone = null)
    {
        var before = SafeFree(plan.Root);
        var errors = new List<OpsException>(plan.Errors);
        int removed = 0; long freed = 0;
        foreach (var c in plan.Candidates)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var bytes = Apply(plan, c);
                removed++; freed += bytes;
                onDone?.Invoke(c);
            }
            catch (OpsException e) { errors.Add(e); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(new OpsException(ErrorIds.CleanupFileFailed, $"Could not {plan.Policy.Action} {c.Path}: {e.Message}", c.Path));
            }
        }
        return new CleanupResult
        {
            Policy = plan.Policy.Name, Path = plan.Root, Action = plan.Policy.Action,
            FilesMatched = plan.Candidates.Count, BytesMatched = plan.TotalBytes,
            FilesRemoved = removed, BytesFreed = freed, Errors = errors.Count, ErrorDetails = errors,
            FreeBytesBefore = before, FreeBytesAfter = SafeFree(plan.Root), Files = plan.Candidates,
        };
    }

    /// <summary>The result of a preview: nothing touched.</summary>
    public static CleanupResult Preview(CleanupPlan plan) => new()
    {
        Policy = plan.Policy.Name, Path = plan.Root, Action = plan.Policy.Action, WhatIf = true,
        FilesMatched = plan.Candidates.Count, BytesMatched = plan.TotalBytes, Errors = plan.Errors.Count, ErrorDetails = plan.Errors,
        FreeBytesBefore = SafeFree(plan.Root), FreeBytesAfter = SafeFree(plan.Root), Files = plan.Candidates,
    };

    private long Apply(CleanupPlan plan, CleanupCandidate c)
    {
        // Re-check: still a regular file (not swapped for a symlink), same filesystem, still old enough,
        // and its directory still resolves to a place under the root (no symlinked parent swapped in).
        if (!Posix.TryLStat(c.Path, out var st, out var err))
            throw err == Posix.ENOENT
                ? new OpsException(ErrorIds.CleanupFileVanished, $"{c.Path} vanished before it could be removed.", c.Path)
                : new OpsException(ErrorIds.CleanupFileFailed, $"Cannot check {c.Path}: {Posix.ErrorText(err)}.", c.Path);
        if (!st.IsRegularFile || st.Device != plan.Device)
            throw Changed(c, "it is no longer a regular file on the root's filesystem");
        if (st.LastWriteTimeUtc >= plan.CutoffUtc)
            throw Changed(c, $"it was modified at {st.LastWriteTimeUtc:u}, after the cutoff");
        var parent = System.IO.Path.GetDirectoryName(c.Path)!;
        string realParent;
        try { realParent = FileSystemStats.RealPath(parent); }
        catch (OpsException) { throw Changed(c, "its directory vanished"); }
        if (realParent != parent || !(parent == plan.Root || parent.StartsWith(plan.Root.TrimEnd('/') + "/", StringComparison.Ordinal)))
            throw Changed(c, $"its directory now resolves to {realParent}, outside {plan.Root}");

        if (plan.Policy.Action == "truncate")
        {
            using var h = File.OpenHandle(c.Path, FileMode.Open, FileAccess.Write);
            // The handle must be the inode just checked, not something swapped in since.
            if (!Posix.TryStat($"/proc/self/fd/{h.DangerousGetHandle()}", out var hs, out _) || hs.Inode != st.Inode || hs.Device != st.Device)
                throw Changed(c, "it was replaced while being opened");
            RandomAccess.SetLength(h, 0);
            return st.Size;
        }
        File.Delete(c.Path); // unlink(2): removes the name, never a symlink's target
        return st.Links <= 1 ? st.Size : 0;
    }

    private static OpsException Changed(CleanupCandidate c, string why) =>
        new(ErrorIds.CleanupFileChanged, $"Left {c.Path} alone: {why}.", c.Path);

    private static string RealRoot(CleanupPolicy policy)
    {
        if (!System.IO.Path.IsPathFullyQualified(policy.Path))
            throw new OpsException(ErrorIds.CleanupRootForbidden, $"Cleanup policy '{policy.Name}' has a relative root '{policy.Path}'.", policy.Name);
        CleanupSafety.AssertAllowed(policy, CleanupSafety.Normalize(policy.Path));
        try { return FileSystemStats.RealPath(policy.Path); }
        catch (OpsException)
        {
            throw new OpsException(ErrorIds.CleanupRootNotFound, $"Cleanup policy '{policy.Name}': root {policy.Path} does not exist.", policy.Name);
        }
    }

    private static long SafeFree(string path)
    {
        try { return FileSystemStats.Get(path).FreeBytes; }
        catch (OpsException) { return -1; }
    }
}
