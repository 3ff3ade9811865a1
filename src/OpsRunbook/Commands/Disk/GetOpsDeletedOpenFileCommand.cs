using System.Management.Automation;
using OpsRunbook.Core.Disk;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Commands;

/// <summary>Files deleted while a process still holds them open: their space is not freed (lsof +L1).</summary>
[Cmdlet(VerbsCommon.Get, "OpsDeletedOpenFile")]
[OutputType(typeof(DeletedOpenFile))]
public sealed class GetOpsDeletedOpenFileCommand : OpsCmdlet
{
    /// <summary>Only files on the filesystem that holds this path.</summary>
    [Parameter(Position = 0)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Only files taking at least this many bytes on disk.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MinSize { get; set; }

    protected override void End()
    {
        string? mount = null;
        if (Path is not null) mount = FileSystemStats.Get(GetUnresolvedProviderPathFromPSPath(Path)).MountPoint;
        var files = Run((r, ct) => Task.FromResult(DeletedOpenFiles.Scan("/proc", ct)));
        var shown = files.Where(f => f.AllocatedBytes >= MinSize && (mount is null || f.MountPoint == mount))
                         .OrderByDescending(f => f.AllocatedBytes).ThenBy(f => f.ProcessId).ToList();
        if (shown.Count > 0)
            Verbose($"{shown.Count} deleted file(s) still open, holding {shown.Sum(f => f.AllocatedBytes):N0} bytes. Restart or signal the process (e.g. nginx -s reopen) or truncate the FdPath to free them.");
        WriteObject(shown, enumerateCollection: true);
    }
}
