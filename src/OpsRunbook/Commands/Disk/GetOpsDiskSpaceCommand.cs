using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Commands;

/// <summary>Size, used, free and inodes of each filesystem (df and df -i in one object).</summary>
[Cmdlet(VerbsCommon.Get, "OpsDiskSpace", DefaultParameterSetName = nameof(ParameterSets.Config))]
[OutputType(typeof(FileSystemUsage))]
public sealed class GetOpsDiskSpaceCommand : OpsEnvironmentCmdlet
{
    private enum ParameterSets { Config, Path, All }

    /// <summary>Paths whose filesystems to report; default: disk.paths from the config.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = nameof(ParameterSets.Path))]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Every mounted filesystem with a size (pseudo filesystems such as proc are left out; tmpfs is listed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = nameof(ParameterSets.All))]
    public SwitchParameter All { get; set; }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string>? ConfigSections => ["disk", "thresholds"];

    protected override void Process()
    {
        if (Path is null) return;
        foreach (var p in Path) Emit(GetUnresolvedProviderPathFromPSPath(p));
    }

    protected override void End()
    {
        if (ParameterSetName == nameof(ParameterSets.Path)) return;
        if (All)
        {
            WriteObject(FileSystemStats.All(includeVolatile: true), enumerateCollection: true);
            return;
        }
        var paths = Env.Disk?.Paths ?? ["/"];
        foreach (var p in paths) Emit(p);
    }

    private void Emit(string path)
    {
        try { WriteObject(FileSystemStats.Get(path)); }
        catch (OpsException e) { WriteOpsError(e); }
    }
}
