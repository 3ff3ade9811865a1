using System.Diagnostics;

namespace OpsRunbook.Core.Systems;

/// <summary>Runs outside tools (pg_dump, pg_restore, systemctl, journalctl): output collected, killed on cancellation.</summary>
public static class ProcessRunner
{
    /// <summary>Runs a tool to completion, collecting stdout and stderr; kills its process tree on cancellation.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(ProcessStartInfo psi, CancellationToken ct)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("Process.Start returned null for " + psi.FileName);
        var stdout = p.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = p.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await p.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(p);
            throw;
        }
        return (p.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs <paramref name="fileName"/> with the arguments, as <see cref="RunAsync(ProcessStartInfo, CancellationToken)"/>.</summary>
    public static Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(fileName);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        return RunAsync(psi, ct);
    }

    /// <summary>Kills the process tree if it is still running (cancellation, failure); never throws.</summary>
    public static void KillQuietly(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
    }
}
