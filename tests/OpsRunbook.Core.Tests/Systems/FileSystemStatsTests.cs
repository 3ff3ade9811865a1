using System.Diagnostics;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Tests.Systems;

public class FileSystemStatsTests
{
    private static string[] Df(params string[] args)
    {
        var psi = new ProcessStartInfo("df") { RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.WaitForExit();
        return lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Matches_df_for_the_root_filesystem()
    {
        var u = FileSystemStats.Get("/");
        var df = Df("-B1", "--output=size,itotal,target", "/");
        Assert.Equal(long.Parse(df[0]), u.SizeBytes);
        Assert.Equal(long.Parse(df[1]), u.InodesTotal);
        Assert.Equal(df[2], u.MountPoint);
        // Used and free move while other tests write; they must add up as df's do.
        Assert.InRange(u.UsedPercent, 0, 100);
        Assert.True(u.UsedBytes + u.FreeBytes <= u.SizeBytes);
    }

    [Fact]
    public void Finds_the_mount_of_a_path_on_another_filesystem()
    {
        var u = FileSystemStats.Get("/proc/self");
        Assert.Equal("/proc", u.MountPoint);
        Assert.Equal("proc", u.FileSystemType);
    }

    [Fact]
    public void A_missing_path_is_PathNotFound()
        => Assert.Equal("PathNotFound", Assert.Throws<OpsException>(() => FileSystemStats.Get("/no/such/dir")).ErrorId);
}
