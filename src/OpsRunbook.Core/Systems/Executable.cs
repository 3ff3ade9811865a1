namespace OpsRunbook.Core.Systems;

/// <summary>Finds an outside tool (trivy, npm) the way a shell does: the first directory of PATH that holds it.</summary>
public static class Executable
{
    /// <summary>The full path of <paramref name="name"/> in the first PATH directory that has it, or null.</summary>
    public static string? FindOnPath(string name, string? path = null)
    {
        foreach (var dir in (path ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
