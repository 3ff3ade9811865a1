using System.Buffers.Binary;
using System.Text;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Security;

/// <summary>One row of the login history, as `last -F` shows it: a session (Kind Login) or a system boot (Kind Boot).</summary>
public sealed class LoginRecord
{
    /// <summary>Login, or Boot (user "reboot", Tty "system boot", Host the kernel version).</summary>
    public string Kind { get; set; } = "Login";
    public string User { get; set; } = "";
    public string Tty { get; set; } = "";
    public string Host { get; set; } = "";
    public DateTimeOffset Login { get; set; }
    /// <summary>When the session ended: its logout, or the shutdown/crash that ended it; null while it goes on or when unknown.</summary>
    public DateTimeOffset? Logout { get; set; }
    /// <summary>`last`'s words: logged out, still logged in, gone - no logout, down, crash; for a boot: still running or shut down.</summary>
    public string Status { get; set; } = "";
    public TimeSpan? Duration { get; set; }
    public double? DurationMs => Duration is { } d ? Math.Round(d.TotalMilliseconds, 3) : null;
    public int Pid { get; set; }

    public override string ToString() => $"{User} {Tty} {Host} {Login:u} {Status}";
}

/// <summary>One utmp record (struct utmp of glibc on 64-bit Linux: 384 bytes, little-endian).</summary>
public readonly record struct UtmpRecord(short Type, int Pid, string Line, string Id, string User, string Host, int Session, DateTimeOffset Time)
{
    public const int Size = 384;
    public const short RunLevel = 1, BootTime = 2, NewTime = 3, OldTime = 4, InitProcess = 5, LoginProcess = 6, UserProcess = 7, DeadProcess = 8;
    /// <summary>last's own type for a shutdown record (runlevel 0 or 6, or user "shutdown" on line "~").</summary>
    internal const short ShutdownTime = 254;

    public static UtmpRecord Parse(ReadOnlySpan<byte> r) => new(
        BinaryPrimitives.ReadInt16LittleEndian(r),
        BinaryPrimitives.ReadInt32LittleEndian(r[4..]),
        CString(r.Slice(8, 32)), CString(r.Slice(40, 4)), CString(r.Slice(44, 32)), CString(r.Slice(76, 256)),
        BinaryPrimitives.ReadInt32LittleEndian(r[336..]),
        DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt32LittleEndian(r[340..]))
            .AddTicks(BinaryPrimitives.ReadInt32LittleEndian(r[344..]) * 10L));

    private static string CString(ReadOnlySpan<byte> b)
    {
        var n = b.IndexOf((byte)0);
        return Encoding.UTF8.GetString(n < 0 ? b : b[..n]);
    }
}

/// <summary>
/// Reads wtmp (utmp records) directly and pairs logins with logouts the way util-linux `last` does: the file read
/// from its end, a login ends at the next record on its tty (a logout or another login), a boot or shutdown ends the
/// sessions still open before it (crash or down), and a session with no end is still logged in when its process still
/// runs as its user (/proc/PID/loginuid), else gone - no logout.
/// </summary>
public static class LoginHistory
{
    public const string DefaultPath = "/var/log/wtmp";

    /// <summary>Every record of a wtmp file, oldest first.</summary>
    public static IReadOnlyList<UtmpRecord> ReadRecords(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OpsException(ErrorIds.LoginHistoryUnreadable, $"Cannot read {path}: {e.Message}", path,
                "Run as root or a member of the utmp group, or give -Path to a readable wtmp file.", e);
        }
        if (bytes.Length % UtmpRecord.Size != 0)
            throw new OpsException(ErrorIds.LoginHistoryUnreadable, $"{path} is not a wtmp file: {bytes.Length} bytes is not a whole number of {UtmpRecord.Size}-byte utmp records.", path,
                "Give -Path a wtmp file (/var/log/wtmp, or a rotated /var/log/wtmp.1).");
        var list = new List<UtmpRecord>(bytes.Length / UtmpRecord.Size);
        for (var o = 0; o < bytes.Length; o += UtmpRecord.Size) list.Add(UtmpRecord.Parse(bytes.AsSpan(o, UtmpRecord.Size)));
        return list;
    }

    /// <summary>
    /// The history newest first, as `last -F` lists it (boots included, shutdown and runlevel records not), at most
    /// <paramref name="last"/> rows. <paramref name="stillOwned"/> decides whether an unended session still goes on
    /// (default: <see cref="IsSessionAlive"/>, last's own test).
    /// </summary>
    public static IReadOnlyList<LoginRecord> Read(string path, int last = int.MaxValue, TimeProvider? clock = null, Func<UtmpRecord, DateTimeOffset, bool>? stillOwned = null)
        => Pair(ReadRecords(path), last, (clock ?? TimeProvider.System).GetUtcNow(), stillOwned ?? IsSessionAlive);

    public static IReadOnlyList<LoginRecord> Pair(IReadOnlyList<UtmpRecord> records, int last, DateTimeOffset now, Func<UtmpRecord, DateTimeOffset, bool> stillOwned)
    {
        var result = new List<LoginRecord>();
        var open = new List<UtmpRecord>();   // last's ulist: newest first
        var lastDown = now;                  // the end of the boot being read (a shutdown's time, or now)
        DateTimeOffset? lastBoot = null;     // the boot or shutdown after the records being read
        var whyDown = "crash";
        var bootTime = BootTime(now);
        for (var i = records.Count - 1; i >= 0 && result.Count < last; i--)
        {
            var ut = records[i];
            var type = Classify(ut);
            var down = false;
            switch (type)
            {
                case UtmpRecord.ShutdownTime:
                    lastDown = ut.Time;
                    down = true;
                    break;
                case UtmpRecord.BootTime:
                    result.Add(new LoginRecord
                    {
                        Kind = "Boot", User = ut.User, Tty = "system boot", Host = ut.Host, Login = ut.Time, Pid = ut.Pid,
                        Logout = lastDown == now ? null : lastDown, Status = lastDown == now ? "still running" : "shut down",
                        Duration = lastDown == now ? null : Seconds(lastDown) - Seconds(ut.Time),
                    });
                    down = true;
                    break;
                case UtmpRecord.UserProcess:
                    var found = open.FindIndex(p => p.Line == ut.Line);
                    if (found >= 0)
                        result.Add(Session(ut, open[found].Time, "logged out"));
                    else if (lastBoot is { } b)
                        result.Add(Session(ut, b, whyDown));
                    else
                        result.Add(Session(ut, null, ut.Time >= bootTime && stillOwned(ut, now) ? "still logged in" : "gone - no logout"));
                    open.RemoveAll(p => p.Line == ut.Line);
                    if (ut.Line.Length > 0) open.Insert(0, ut);
                    break;
                case UtmpRecord.DeadProcess:
                    if (ut.Line.Length > 0) open.Insert(0, ut);
                    break;
            }
            if (down)
            {
                lastBoot = ut.Time;
                whyDown = type == UtmpRecord.ShutdownTime ? "down" : "crash";
                open.Clear();
            }
        }
        return result;
    }

    private static LoginRecord Session(UtmpRecord ut, DateTimeOffset? end, string status) => new()
    {
        User = ut.User, Tty = ut.Line, Host = ut.Host, Login = ut.Time, Pid = ut.Pid, Logout = end, Status = status,
        Duration = end is { } e ? Seconds(e) - Seconds(ut.Time) : null,
    };

    /// <summary>Whole seconds, as last counts durations.</summary>
    private static TimeSpan Seconds(DateTimeOffset t) => TimeSpan.FromSeconds(t.ToUnixTimeSeconds());

    /// <summary>The record's type as last reads it (its fix-ups for shutdown, reboot, runlevel and ghost entries).</summary>
    private static short Classify(UtmpRecord ut)
    {
        var type = ut.Type;
        if (ut.Line.StartsWith('~'))
        {
            if (ut.User.StartsWith("shutdown", StringComparison.Ordinal)) return UtmpRecord.ShutdownTime;
            if (ut.User.StartsWith("reboot", StringComparison.Ordinal)) return UtmpRecord.BootTime;
            if (ut.User.StartsWith("runlevel", StringComparison.Ordinal)) type = UtmpRecord.RunLevel;
        }
        else
        {
            if (type != UtmpRecord.DeadProcess && ut.User.Length > 0 && ut.Line.Length > 0 && ut.User != "LOGIN") type = UtmpRecord.UserProcess;
            if (ut.User.Length == 0) type = UtmpRecord.DeadProcess;
            if (ut.User == "date" && ut.Line.Length > 0 && ut.Line[0] is '|' or '{') type = ut.Line[0] == '|' ? UtmpRecord.OldTime : UtmpRecord.NewTime;
        }
        if (type == UtmpRecord.RunLevel && (ut.Pid & 255) is '0' or '6') return UtmpRecord.ShutdownTime;
        return type;
    }

    /// <summary>When this host booted (btime of /proc/stat), or the start of time when it cannot be read.</summary>
    private static DateTimeOffset BootTime(DateTimeOffset now)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/stat"))
                if (line.StartsWith("btime ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(6), out var s))
                    return DateTimeOffset.FromUnixTimeSeconds(s);
        }
        catch (IOException) { }
        return DateTimeOffset.MinValue;
    }

    /// <summary>
    /// last's test for a session with no logout record: the user exists and the session's process still runs as that
    /// user (/proc/PID/loginuid).
    /// </summary>
    public static bool IsSessionAlive(UtmpRecord ut, DateTimeOffset now)
    {
        var uid = UserId(ut.User);
        if (uid is null) return false;
        try
        {
            // last also accepts a session whose process is gone when the tty is still owned by the user; here a
            // session is alive only while its process is (a terminal left owned by a dead session is gone).
            var loginuid = $"/proc/{ut.Pid}/loginuid";
            return File.Exists(loginuid) && uint.TryParse(File.ReadAllText(loginuid).Trim(), out var l) && l == uid;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static uint? UserId(string user)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length > 3 && f[0] == user && uint.TryParse(f[2], out var uid)) return uid;
            }
        }
        catch (IOException) { }
        return null;
    }
}
