namespace OpsRunbook.Core.Config;

/// <summary>disk: paths whose filesystems are checked.</summary>
public sealed class DiskConfig : IValidatableConfig
{
    public List<string> Paths { get; set; } = new() { "/" };
    public void Validate(ConfigValidationContext c)
    {
        foreach (var p in Paths)
            if (!System.IO.Path.IsPathFullyQualified(p)) c.Error("paths", $"Disk path '{p}' must be absolute.", ConfigProblemKind.BadValue);
    }
    public override string ToString() => string.Join(", ", Paths);
}
