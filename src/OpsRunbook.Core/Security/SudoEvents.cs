using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Core.Security;

/// <summary>One sudo command from auth.log: who ran what as whom, from which terminal; Allowed false for a refusal.</summary>
public sealed class SudoEvent
{
    public DateTimeOffset Time { get; set; }
    public string Host { get; set; } = "";
    public string User { get; set; } = "";
    public string Tty { get; set; } = "";
    /// <summary>USER=: the account the command ran as.</summary>
    public string RunAs { get; set; } = "";
    public string Command { get; set; } = "";
    public string Pwd { get; set; } = "";
    /// <summary>False when sudo refused: the user is not in sudoers, the command is not allowed, or the password was wrong.</summary>
    public bool Allowed { get; set; } = true;
    /// <summary>Why sudo refused ("user NOT in sudoers", "3 incorrect password attempts"...); empty when allowed.</summary>
    public string Reason { get; set; } = "";
    public string File { get; set; } = "";
    public long LineNumber { get; set; }

    public override string ToString() => $"{Time:u} {User} -> {RunAs}: {Command}";
}

/// <summary>Get-OpsSudoEvent's engine: sudo's command lines of auth.log (and its rotations), read with the one log reader.</summary>
public static class SudoEvents
{
    /// <summary>
    /// A sudo command line ("sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id"); null for
    /// every other line (its pam_unix session lines included).
    /// </summary>
    public static SudoEvent? Parse(string line, DateTime fileLastWriteUtc)
    {
        if (!line.Contains("COMMAND=", StringComparison.Ordinal) || !SyslogLine.TryParse(line, fileLastWriteUtc, out var s) || s!.Program != "sudo") return null;
        var msg = s.Message;
        var colon = msg.IndexOf(" : ", StringComparison.Ordinal);
        if (colon <= 0) return null;
        var e = new SudoEvent { Time = s.Time, Host = s.Host, User = msg[..colon].Trim() };
        var rest = msg[(colon + 3)..];
        var cmd = rest.IndexOf("COMMAND=", StringComparison.Ordinal);
        e.Command = rest[(cmd + 8)..].Trim();
        var reasons = new List<string>();
        foreach (var part in rest[..cmd].Split(" ; ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq > 0 ? part[..eq] : "";
            switch (key)
            {
                case "TTY": e.Tty = part[(eq + 1)..]; break;
                case "PWD": e.Pwd = part[(eq + 1)..]; break;
                case "USER": e.RunAs = part[(eq + 1)..]; break;
                case "GROUP" or "ENV" or "TSID": break;
                default: if (part.Length > 0 && part != ";") reasons.Add(part); break;
            }
        }
        e.Reason = string.Join("; ", reasons);
        e.Allowed = reasons.Count == 0;
        return e;
    }

    public static IReadOnlyList<SudoEvent> Collect(IReadOnlyList<string> paths, DateTimeOffset? since, DateTimeOffset? until, IOpsReporter reporter, Action<OpsException> problem, CancellationToken ct)
    {
        var read = new LogReadOptions { Paths = paths, Since = since, Until = until, Activity = "Reading auth.log for sudo" };
        var events = new List<SudoEvent>();
        using var set = LogReader.Open(read, problem);
        using var progress = set.StartProgress(reporter);
        foreach (var cursor in set.Cursors(ct))
            while (cursor.TryReadLine(out var bytes))
            {
                if (bytes.IndexOf("sudo"u8) < 0 || bytes.IndexOf("COMMAND="u8) < 0) continue;
                if (Parse(System.Text.Encoding.UTF8.GetString(bytes), cursor.File.LastWriteTimeUtc) is { } e && read.InWindow(e.Time))
                {
                    e.File = cursor.File.Path;
                    e.LineNumber = cursor.LineNumber;
                    events.Add(e);
                }
            }
        return events.OrderBy(e => e.Time).ToList();
    }
}
