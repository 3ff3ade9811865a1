using System.Management.Automation;
using OpsRunbook.Core.Systems;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Commands;

/// <summary>CPU load, memory, swap, disks and the top processes by CPU and by memory, from /proc.</summary>
[Cmdlet(VerbsCommon.Get, "OpsSystemInfo")]
[OutputType(typeof(SystemInfo))]
public sealed class GetOpsSystemInfoCommand : OpsCmdlet
{
    /// <summary>How many processes to list by CPU and by memory.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Top { get; set; } = 5;

    /// <summary>How long to sample CPU use, in seconds.</summary>
    [Parameter]
    [ValidateRange(0.05, 60)]
    public double SampleSeconds { get; set; } = 0.5;

    protected override void End()
    {
        if (!OperatingSystem.IsLinux())
            throw new Core.Errors.OpsException(ErrorIds.PlatformNotSupported, "Get-OpsSystemInfo reads /proc and runs on Linux only.");
        var interval = TimeSpan.FromSeconds(SampleSeconds);
        WriteObject(Run((_, ct) => SystemInfoReader.ReadAsync(interval, Top, ct)));
    }
}
