using System.Globalization;

namespace OpsRunbook.Core.Logs;

/// <summary>
/// Finds the time of a log line in the formats the platform's logs use:
/// <list type="bullet">
/// <item>ISO 8601 at the start, optionally in [] ("2026-12-02T10:25:48.123Z", "2026-12-02 10:25:48,123"; rsyslog's
/// "2026-12-02T10:25:48.123456+00:00 host sshd[1]: ..."). Without an offset the time is UTC.</item>
/// <item>Classic syslog at the start ("Dec  2 10:25:48 host ..."): no year and no zone, so the year is the one that puts
/// the time at or before the file's last write, and the zone is the machine's local zone (as syslog writes it).</item>
/// <item>nginx's $time_local in brackets within the first 200 characters ("[02/Dec/2026:10:25:48 +0000]").</item>
/// </list>
/// </summary>
public static class LogTimestamp
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static bool TryParse(string line, DateTime fileLastWriteUtc, out DateTimeOffset time)
    {
        var s = line.AsSpan().TrimStart();
        if (s.Length > 0 && s[0] == '[') s = s[1..];
        if (TryIso(s, out time)) return true;
        if (TrySyslog(s, fileLastWriteUtc, out time)) return true;
        var head = line.AsSpan(0, Math.Min(line.Length, 200));
        var b = head.IndexOf('[');
        while (b >= 0)
        {
            if (TryNginx(line.AsSpan(b + 1), out time)) return true;
            var next = head[(b + 1)..].IndexOf('[');
            b = next < 0 ? -1 : b + 1 + next;
        }
        time = default;
        return false;
    }

    /// <summary>"2026-12-02T10:25:48[.fff][Z|+hh:mm]" or with a space (and ',' before the fraction).</summary>
    public static bool TryIso(ReadOnlySpan<char> s, out DateTimeOffset time)
    {
        time = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || !char.IsAsciiDigit(s[0])) return false;
        var end = 19;
        if (end < s.Length && (s[end] == '.' || s[end] == ',')) { end++; while (end < s.Length && char.IsAsciiDigit(s[end])) end++; }
        if (end < s.Length && s[end] == 'Z') end++;
        else if (end + 3 <= s.Length && (s[end] == '+' || s[end] == '-') && char.IsAsciiDigit(s[end + 1]) && char.IsAsciiDigit(s[end + 2]))
        {
            end += 3;
            if (end < s.Length && s[end] == ':') end++;
            for (var k = 0; k < 2 && end < s.Length && char.IsAsciiDigit(s[end]); k++) end++;
        }
        Span<char> buf = stackalloc char[end];
        s[..end].CopyTo(buf);
        buf[10] = 'T';
        if (buf.Length > 19 && buf[19] == ',') buf[19] = '.';
        return DateTimeOffset.TryParse(buf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    /// <summary>"Dec  2 10:25:48" (RFC 3164).</summary>
    public static bool TrySyslog(ReadOnlySpan<char> s, DateTime fileLastWriteUtc, out DateTimeOffset time)
    {
        time = default;
        if (s.Length < 15 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':') return false;
        var month = Array.IndexOf(Months, s[..3].ToString()) + 1;
        if (month == 0) return false;
        var dayText = s[4..6].Trim();
        if (!int.TryParse(dayText, NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !int.TryParse(s[7..9], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(s[10..12], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !int.TryParse(s[13..15], NumberStyles.None, CultureInfo.InvariantCulture, out var sec)) return false;
        var reference = fileLastWriteUtc == default ? DateTime.UtcNow : fileLastWriteUtc;
        var year = reference.Year;
        try
        {
            var local = new DateTime(year, month, day, h, m, sec, DateTimeKind.Unspecified);
            // A line cannot be written after its file: "Dec 31" in a file last written on Jan 1 is last year.
            if (local > reference.ToLocalTime().AddDays(2)) local = local.AddYears(-1);
            time = new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local)).ToUniversalTime();
            return true;
        }
        catch (ArgumentException) { return false; }
    }

    /// <summary>nginx $time_local: "02/Dec/2026:10:25:48 +0000".</summary>
    public static bool TryNginx(ReadOnlySpan<char> s, out DateTimeOffset time)
    {
        time = default;
        if (s.Length < 26) return false;
        Span<byte> b = stackalloc byte[26];
        for (var i = 0; i < 26; i++) { if (s[i] > 127) return false; b[i] = (byte)s[i]; }
        return TryNginx(b, out time);
    }

    /// <summary>nginx $time_local on bytes: "02/Dec/2026:10:25:48 +0000" (exactly 26 bytes).</summary>
    public static bool TryNginx(ReadOnlySpan<byte> s, out DateTimeOffset time)
    {
        time = default;
        if (s.Length < 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' || s[20] != ' ') return false;
        var month = MonthOf(s[3], s[4], s[5]);
        if (month == 0) return false;
        if (!D2(s, 0, out var day) || !D2(s, 7, out var y1) || !D2(s, 9, out var y2) || !D2(s, 12, out var h) || !D2(s, 15, out var m)
            || !D2(s, 18, out var sec) || !D2(s, 22, out var oh) || !D2(s, 24, out var om)) return false;
        var sign = s[21] == '-' ? -1 : s[21] == '+' ? 1 : 0;
        if (sign == 0 || day < 1 || day > 31 || h > 23 || m > 59 || sec > 60 || oh > 14) return false;
        var year = y1 * 100 + y2;
        if (day > DateTime.DaysInMonth(year, month)) return false;
        try
        {
            time = new DateTimeOffset(year, month, day, h, m, Math.Min(sec, 59), new TimeSpan(sign * oh, sign * om, 0));
            return true;
        }
        catch (ArgumentException) { return false; }
    }

    private static bool D2(ReadOnlySpan<byte> s, int i, out int v)
    {
        var a = s[i] - '0'; var b = s[i + 1] - '0';
        v = a * 10 + b;
        return (uint)a < 10 && (uint)b < 10;
    }

    private static int MonthOf(byte a, byte b, byte c) => (a, b, c) switch
    {
        ((byte)'J', (byte)'a', (byte)'n') => 1, ((byte)'F', (byte)'e', (byte)'b') => 2, ((byte)'M', (byte)'a', (byte)'r') => 3,
        ((byte)'A', (byte)'p', (byte)'r') => 4, ((byte)'M', (byte)'a', (byte)'y') => 5, ((byte)'J', (byte)'u', (byte)'n') => 6,
        ((byte)'J', (byte)'u', (byte)'l') => 7, ((byte)'A', (byte)'u', (byte)'g') => 8, ((byte)'S', (byte)'e', (byte)'p') => 9,
        ((byte)'O', (byte)'c', (byte)'t') => 10, ((byte)'N', (byte)'o', (byte)'v') => 11, ((byte)'D', (byte)'e', (byte)'c') => 12,
        _ => 0,
    };
}
