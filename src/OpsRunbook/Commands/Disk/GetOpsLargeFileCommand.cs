using System.Management.Automation;
using OpsRunbook.Core.Disk;

namespace OpsRunbook.Commands;

/// <summary>The largest files (or directories) under a path: a parallel du -x that keeps only the top N.</summary>
[Cmdlet(VerbsCommon.Get, "OpsLargeFile")]
[OutputType(typeof(LargeFileEntry))]
public sealed class GetOpsLargeFileCommand : OpsCmdlet
{
    /// <summary>The directory to scan; default: the current directory.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>How many entries to return.</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int Top { get; set; } = 20;

    /// <summary>Only entries of at least this many bytes (100MB works).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MinSize { get; set; }

    /// <summary>Rank directories by their total size instead of files.</summary>
    [Parameter]
    public SwitchParameter Directory { get; set; }

    protected override void Process()
    {
        foreach (var p in Path ?? ["."])
        {
            var path = GetUnresolvedProviderPathFromPSPath(p);
            var options = new LargeFileScanOptions { Path = path, Top = Top, MinSize = MinSize, Directories = Directory };
            var result = Run((r, ct) => Task.FromResult(LargeFileScanner.Scan(options, r, ct)));
            foreach (var u in result.UnreadableSamples.Take(10)) Warning($"Unreadable: {u}");
            if (result.Unreadable > 0)
                Warning($"{result.Unreadable} director{(result.Unreadable == 1 ? "y" : "ies")} under {result.Root} could not be read; their sizes are not counted.");
            foreach (var m in result.OtherFileSystems) Verbose($"Not entered (another filesystem): {m}");
            Verbose($"{result.Root}: {result.FilesScanned:N0} files, {result.DirectoriesScanned:N0} directories, {result.BytesScanned:N0} bytes in {result.Elapsed.TotalSeconds:0.00} s.");
            WriteObject(result.Entries, enumerateCollection: true);
        }
    }
}
