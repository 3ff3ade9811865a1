using System.Diagnostics;
using OpsRunbook.Core.Disk;

namespace OpsRunbook.Core.Tests.Disk;

public class DeletedOpenFilesTests
{
    [Fact]
    public void Finds_a_file_deleted_while_a_child_process_holds_it()
    {
        using var t = new TempTree();
        var path = t.File("held open.log", 300_000);
        // The child opens the file on fd 7, signals, and sleeps; we delete it while it is held.
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec 7<\"$1\"; echo ready; exec sleep 60");
        psi.ArgumentList.Add("holder");
        psi.ArgumentList.Add(path);
        using var child = Process.Start(psi)!;
        try
        {
            Assert.Equal("ready", child.StandardOutput.ReadLine());
            Assert.DoesNotContain(DeletedOpenFiles.Scan(), f => f.ProcessId == child.Id);
            File.Delete(path);
            var found = Assert.Single(DeletedOpenFiles.Scan(), f => f.ProcessId == child.Id);
            Assert.Equal(path, found.Path);
            Assert.Equal(7, found.FileDescriptor);
            Assert.Equal("sleep", found.ProcessName);
            Assert.Equal(300_000, found.SizeBytes);
            Assert.Equal($"/proc/{child.Id}/fd/7", found.FdPath);
        }
        finally { child.Kill(); child.WaitForExit(); }
        Assert.DoesNotContain(DeletedOpenFiles.Scan(), f => f.ProcessId == child.Id);
    }
}
