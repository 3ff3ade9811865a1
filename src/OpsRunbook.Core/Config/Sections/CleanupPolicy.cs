using System.Globalization;

namespace OpsRunbook.Core.Config;

/// <summary>
/// One entry of cleanup: name, path (the root; never / or a system path), pattern (file name glob,
/// * and ?), olderThanDays (by modification time), action (delete, or truncate for live logs).
/// </summary>
public sealed class CleanupPolicy : IValidatableConfig
{
    public static readonly string[] Actions = ["delete", "truncate"];

    public string Name { get; set; } = "";
    public string Path { get; set; } = "";
    public string Pattern { get; set; } = "*";
    public double OlderThanDays { get; set; } = 7;
    public string Action { get; set; } = "delete";

    /// <summary>The runbook's defaults that need no extra keys: *.log older than 7 days in logs.directory.</summary>
    public static IReadOnlyList<CleanupPolicy> Defaults(EnvironmentConfig env) =>
        env.Logs is { Directory.Length: > 0 } logs
            ? [new CleanupPolicy { Name = "old-logs", Path = logs.Directory, Pattern = "*.log", OlderThanDays = 7, Action = "delete" }]
            : [];

    public void Validate(ConfigValidationContext c)
    {
        c.Require("name", Name);
        if (c.Require("path", Path))
        {
            if (!System.IO.Path.IsPathFullyQualified(Path))
                c.Error("path", $"Cleanup path '{Path}' must be absolute.", ConfigProblemKind.BadValue);
            else if (CleanupRoots.ForbiddenReason(Path) is { } why)
                c.Error("path", $"Cleanup path '{Path}' is not allowed: {why}.", ConfigProblemKind.BadValue);
        }
        if (c.Require("pattern", Pattern) && (Pattern.Contains('/') || Pattern is "." or ".."))
            c.Error("pattern", $"'pattern' is a file name pattern (* and ?) without '/', not '{Pattern}'.", ConfigProblemKind.BadValue);
        if (OlderThanDays < 0 || double.IsNaN(OlderThanDays))
            c.Error("olderThanDays", $"'olderThanDays' must be 0 or more, not {OlderThanDays}.", ConfigProblemKind.BadValue);
        if (!Actions.Contains(Action))
            c.Error("action", $"'action' must be one of {string.Join(", ", Actions)}, not '{Action}'.", ConfigProblemKind.BadValue);
    }

    public override string ToString() => $"{Name}: {Action} {Pattern} older than {OlderThanDays.ToString(CultureInfo.InvariantCulture)} days in {Path}";
}

/// <summary>Which roots a cleanup policy may never have: checked by the config (Test-OpsConfig) and again by Disk before acting.</summary>
public static class CleanupRoots
{
    // The root itself and everything under it.
    private static readonly string[] ForbiddenTrees =
        ["/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/proc", "/sys", "/dev", "/run",
         "/var/lib", "/var/spool", "/var/mail", "/snap", "/root/.ssh"];
    // The root itself only (a subdirectory such as /var/log/app or /home/app/logs is fine).
    private static readonly string[] ForbiddenExact = ["/", "/var", "/var/log", "/home", "/root", "/srv", "/opt", "/mnt", "/media", "/tmp", "/var/tmp", "/data"];

    /// <summary>Why a root is refused, or null when it is allowed. Checks the path as written.</summary>
    public static string? ForbiddenReason(string path)
    {
        var p = Normalize(path);
        if (ForbiddenExact.Contains(p)) return p == "/" ? "the filesystem root" : $"{p} is a top-level system directory (name a subdirectory)";
        foreach (var t in ForbiddenTrees)
            if (p == t || p.StartsWith(t + "/", StringComparison.Ordinal)) return $"{t} is a system path";
        return null;
    }

    public static string Normalize(string path)
    {
        var p = System.IO.Path.GetFullPath(path);
        return p.Length > 1 ? p.TrimEnd('/') : p;
    }
}
