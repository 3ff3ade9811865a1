using System.Diagnostics;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Systems;

/// <summary>Runs outside tools (pg_dump, pg_restore, systemctl, journalctl): output collected, killed on cancellation or when its bound runs out.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs a tool to completion, collecting stdout and stderr; kills its process tree on cancellation. When it has not
    /// finished within <paramref name="timeout"/> it is killed and ProcessTimeout is thrown, naming the tool and
    /// <paramref name="boundName"/> (the config key that sets the bound, e.g. diskEmergency.stepTimeoutSeconds).
    /// </summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(ProcessStartInfo psi, TimeSpan timeout, string boundName, CancellationToken ct)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout != Timeout.InfiniteTimeSpan) bound.CancelAfter(timeout);
        try
        {
            return await RunAsync(psi, bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            var what = Path.GetFileName(psi.FileName) + (psi.ArgumentList.Count > 0 ? " " + string.Join(' ', psi.ArgumentList.Take(3)) : "");
            throw new OpsException(ErrorIds.ProcessTimeout, $"{what} did not finish within {timeout.TotalSeconds:0.###} s ({boundName}); it was stopped.", what,
                $"Find out why {Path.GetFileName(psi.FileName)} hangs on this host; raise {boundName} only if it is slow but working.", e);
        }
    }

    /// <summary>Runs <paramref name="fileName"/> with the arguments, as <see cref="RunAsync(ProcessStartInfo, TimeSpan, string, CancellationToken)"/>.</summary>
    public static Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string boundName, CancellationToken ct)
        => RunAsync(StartInfo(fileName, arguments), timeout, boundName, ct);

    /// <summary>Runs a tool to completion, bounded only by <paramref name="ct"/>: prefer the overload with a timeout.</summary>
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

    /// <summary>Runs <paramref name="fileName"/> with the arguments, bounded only by <paramref name="ct"/>: prefer the overload with a timeout.</summary>
    public static Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken ct)
        => RunAsync(StartInfo(fileName, arguments), ct);

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo(fileName);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>The last three non-empty lines of a tool's output, joined with " | ": what an error message quotes of it.</summary>
    public static string LastLines(string text) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3)).Trim();

    /// <summary>Kills the process tree if it is still running (cancellation, failure); never throws.</summary>
    public static void KillQuietly(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
    }
}
