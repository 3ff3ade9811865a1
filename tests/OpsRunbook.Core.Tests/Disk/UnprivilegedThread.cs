using System.Runtime.InteropServices;

namespace OpsRunbook.Core.Tests.Disk;

/// <summary>
/// Runs an action on a new thread whose effective capabilities lack CAP_DAC_OVERRIDE and
/// CAP_DAC_READ_SEARCH, so that root gets "permission denied" on a chmod 000 directory like any user.
/// Capabilities are per thread on Linux; the thread ends afterwards, so nothing else is affected.
/// </summary>
public static class UnprivilegedThread
{
    [StructLayout(LayoutKind.Sequential)] private struct Header { public uint Version; public int Pid; }
    [StructLayout(LayoutKind.Sequential)] private struct Data { public uint Effective, Permitted, Inheritable; }

    [DllImport("libc", SetLastError = true)] private static extern int capget(ref Header h, [In, Out] Data[] d);
    [DllImport("libc", SetLastError = true)] private static extern int capset(ref Header h, [In] Data[] d);

    public static T Run<T>(Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        var t = new Thread(() =>
        {
            try
            {
                var h = new Header { Version = 0x20080522, Pid = 0 };
                var d = new Data[2];
                if (capget(ref h, d) != 0) throw new InvalidOperationException($"capget failed: {Marshal.GetLastPInvokeErrorMessage()}");
                d[0].Effective &= ~((1u << 1) | (1u << 2)); // CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
                if (capset(ref h, d) != 0) throw new InvalidOperationException($"capset failed: {Marshal.GetLastPInvokeErrorMessage()}");
                result = action();
            }
            catch (Exception e) { error = e; }
        });
        t.Start();
        t.Join();
        if (error is not null) throw new AggregateException(error);
        return result;
    }
}
