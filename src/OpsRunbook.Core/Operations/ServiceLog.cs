using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health.Probes;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Operations;

/// <summary>A log line's severity (syslog's priorities, merged into six).</summary>
public enum ServiceLogLevel { Debug, Info, Notice, Warning, Error, Critical }

/// <summary>One line of a service's log.</summary>
public sealed class ServiceLogEntry
{
    /// <summary>The host this describes (its host name).</summary>
    public string ComputerName { get; init; } = Systems.HostIdentity.ComputerName;
    /// <summary>When the line was written (null when the source gives no time).</summary>
    public DateTimeOffset? Time { get; init; }
    /// <summary>journald:UNIT, docker:CONTAINER or file:PATH.</summary>
    public string Source { get; init; } = "";
    public ServiceLogLevel Level { get; init; }
    public string Message { get; init; } = "";
    /// <summary>docker: stdout or stderr; journald: the SYSLOG_IDENTIFIER; file: empty.</summary>
    public string Stream { get; init; } = "";
    public override string ToString() => $"{Time:u} {Level} {Message}";
}

/// <summary>
/// Reads the tail of a configured service's log: journald (journalctl -u UNIT -o json), a container's logs (the
/// Engine API's /containers/{id}/logs, its multiplexed stdout/stderr stream decoded), or logFile.
/// </summary>
public static class ServiceLog
{
    public static async Task<IReadOnlyList<ServiceLogEntry>> ReadAsync(ServiceConfig s, int tail, DateTimeOffset? since, CancellationToken ct)
    {
        if (s.LogFile is { Length: > 0 } file) return ReadFile(file, tail, since, ct);
        return s.Kind switch
        {
            "systemd" => await JournalAsync(s, tail, since, ct).ConfigureAwait(false),
            "docker" => await DockerAsync(s, tail, since, ct).ConfigureAwait(false),
            _ => throw new OpsException(ErrorIds.ServiceKindNotSupported, $"Service '{s.Name}' is of kind {s.Kind}: it has no journal or container log to read.", s.Name,
                $"Give it a logFile (an absolute path) in the config."),
        };
    }

    // ---- journald ------------------------------------------------------------------------------

    private static async Task<IReadOnlyList<ServiceLogEntry>> JournalAsync(ServiceConfig s, int tail, DateTimeOffset? since, CancellationToken ct)
    {
        var journalctl = s.JournalctlPath();
        var unit = s.UnitName();
        var args = new List<string> { "-u", unit, "-o", "json", "--no-pager", "-n", tail.ToString(CultureInfo.InvariantCulture) };
        if (since is { } t) { args.Add("--since"); args.Add("@" + t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)); }
        int exit; string stdout, stderr;
        try { (exit, stdout, stderr) = await ProcessRunner.RunAsync(journalctl, args, ct).ConfigureAwait(false); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new OpsException(ErrorIds.ServiceLogUnavailable, $"Cannot run {journalctl}: {e.Message}", s.Name, "Install systemd's journalctl, or set journalctl: in the service's config.");
        }
        if (exit != 0)
            throw new OpsException(ErrorIds.ServiceLogUnavailable, $"{journalctl} -u {unit} exited {exit}: {stderr.Trim().Split('\n')[0]}", s.Name,
                "Run it by hand as root (reading the journal needs root or the systemd-journal group).");
        var source = "journald:" + unit;
        var list = new List<ServiceLogEntry>();
        foreach (var line in stdout.Split('\n'))
        {
            if (line.Length == 0 || line[0] != '{') continue;
            list.Add(ParseJournalJson(line, source));
        }
        return list;
    }

    /// <summary>One line of journalctl -o json: __REALTIME_TIMESTAMP (µs), PRIORITY, MESSAGE (a string, or an array of bytes when not UTF-8 text).</summary>
    public static ServiceLogEntry ParseJournalJson(string json, string source)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        DateTimeOffset? time = null;
        if (root.TryGetProperty("__REALTIME_TIMESTAMP", out var rt) && long.TryParse(rt.ValueKind == JsonValueKind.String ? rt.GetString() : rt.GetRawText(), NumberStyles.None, CultureInfo.InvariantCulture, out var us))
            time = DateTimeOffset.UnixEpoch.AddTicks(us * 10);
        var message = "";
        if (root.TryGetProperty("MESSAGE", out var m))
        {
            message = m.ValueKind switch
            {
                JsonValueKind.String => m.GetString() ?? "",
                JsonValueKind.Array => Encoding.UTF8.GetString(m.EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray()),
                _ => "",
            };
        }
        var level = ServiceLogLevel.Info;
        if (root.TryGetProperty("PRIORITY", out var p) && int.TryParse(p.ValueKind == JsonValueKind.String ? p.GetString() : p.GetRawText(), out var prio))
            level = prio switch { <= 2 => ServiceLogLevel.Critical, 3 => ServiceLogLevel.Error, 4 => ServiceLogLevel.Warning, 5 => ServiceLogLevel.Notice, 6 => ServiceLogLevel.Info, _ => ServiceLogLevel.Debug };
        var ident = root.TryGetProperty("SYSLOG_IDENTIFIER", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() ?? "" : "";
        return new ServiceLogEntry { Time = time, Source = source, Level = level, Message = message.TrimEnd('\n'), Stream = ident };
    }

    // ---- docker --------------------------------------------------------------------------------

    private static async Task<IReadOnlyList<ServiceLogEntry>> DockerAsync(ServiceConfig s, int tail, DateTimeOffset? since, CancellationToken ct)
    {
        var endpoint = s.DockerEndpoint();
        var container = Uri.EscapeDataString(s.ContainerName());
        using var client = DockerEngine.CreateClient(endpoint, ServiceProbe.DockerApiVersion, Timeout.InfiniteTimeSpan);
        try
        {
            // A container with a TTY has one raw stream; without, stdout and stderr come multiplexed in frames.
            bool tty;
            using (var inspect = await client.GetAsync($"containers/{container}/json", ct).ConfigureAwait(false))
            {
                var body = await inspect.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (inspect.StatusCode == HttpStatusCode.NotFound)
                    throw new OpsException(ErrorIds.ServiceLogUnavailable, $"Docker has no container '{s.ContainerName()}'.", s.Name, "Check the container name (docker ps -a).");
                if (!inspect.IsSuccessStatusCode)
                    throw new OpsException(ErrorIds.ServiceLogUnavailable, $"The Engine API answered {(int)inspect.StatusCode} to inspect: {body.Trim()}", s.Name);
                using var doc = JsonDocument.Parse(body);
                tty = doc.RootElement.TryGetProperty("Config", out var cfg) && cfg.TryGetProperty("Tty", out var t) && t.ValueKind == JsonValueKind.True;
            }
            var url = $"containers/{container}/logs?stdout=1&stderr=1&timestamps=1&tail={tail.ToString(CultureInfo.InvariantCulture)}";
            if (since is { } from) url += "&since=" + from.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new OpsException(ErrorIds.ServiceLogUnavailable, $"The Engine API answered {(int)response.StatusCode} to logs: {Encoding.UTF8.GetString(bytes).Trim()}", s.Name);
            var source = "docker:" + (s.ContainerName());
            return (tty ? [("stdout", bytes)] : Demultiplex(bytes))
                .SelectMany(f => SplitLines(f.Payload).Select(l => (f.Stream, Line: l)))
                .Select(x => DockerLine(x.Line, x.Stream, source)).ToList();
        }
        catch (HttpRequestException e)
        {
            throw new OpsException(ErrorIds.ServiceLogUnavailable, $"Cannot reach the Docker Engine API at {endpoint}: {e.Message}", s.Name);
        }
    }

    /// <summary>
    /// Splits the Engine API's multiplexed stream: frames of an 8-byte header (stream type 0 stdin, 1 stdout, 2 stderr;
    /// three zero bytes; the payload size as a big-endian uint32) and the payload. Consecutive frames of one stream are joined.
    /// </summary>
    public static IReadOnlyList<(string Stream, byte[] Payload)> Demultiplex(ReadOnlySpan<byte> data)
    {
        var frames = new List<(string, byte[])>();
        string? current = null;
        var buffer = new List<byte>();
        while (data.Length >= 8)
        {
            var stream = data[0] switch { 2 => "stderr", 0 => "stdin", _ => "stdout" };
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data[4..8]), (uint)(data.Length - 8));
            if (current is not null && current != stream) { frames.Add((current, buffer.ToArray())); buffer.Clear(); }
            current = stream;
            buffer.AddRange(data.Slice(8, size).ToArray());
            data = data[(8 + size)..];
        }
        if (current is not null) frames.Add((current, buffer.ToArray()));
        return frames;
    }

    private static IEnumerable<string> SplitLines(byte[] payload) =>
        Encoding.UTF8.GetString(payload).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);

    private static ServiceLogEntry DockerLine(string line, string stream, string source)
    {
        // timestamps=1: "2026-12-02T10:00:00.123456789Z message" (RFC 3339 with nanoseconds).
        DateTimeOffset? time = null;
        var sp = line.IndexOf(' ');
        if (sp > 0 && TryRfc3339(line.AsSpan(0, sp), out var t)) { time = t; line = line[(sp + 1)..]; }
        return new ServiceLogEntry { Time = time, Source = source, Level = LevelOf(line), Message = line, Stream = stream };
    }

    private static bool TryRfc3339(ReadOnlySpan<char> s, out DateTimeOffset t)
    {
        // .NET parses at most 7 fractional digits: cut nanoseconds to ticks.
        var dot = s.IndexOf('.');
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < s.Length && char.IsAsciiDigit(s[end])) end++;
            if (end - dot - 1 > 7) s = string.Concat(s[..(dot + 8)], s[end..]);
        }
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out t);
    }

    /// <summary>The level a line names near its start (ERROR, WARN, ...); Info when it names none.</summary>
    public static ServiceLogLevel LevelOf(string line)
    {
        var head = line.Length > 60 ? line[..60] : line;
        foreach (var token in head.Split([' ', '[', ']', ':', '|', '"', '='], StringSplitOptions.RemoveEmptyEntries))
        {
            switch (token.ToUpperInvariant())
            {
                case "FATAL" or "CRIT" or "CRITICAL" or "EMERG" or "ALERT" or "PANIC": return ServiceLogLevel.Critical;
                case "ERROR" or "ERR": return ServiceLogLevel.Error;
                case "WARN" or "WARNING": return ServiceLogLevel.Warning;
                case "NOTICE": return ServiceLogLevel.Notice;
                case "INFO": return ServiceLogLevel.Info;
                case "DEBUG" or "TRACE": return ServiceLogLevel.Debug;
            }
        }
        return ServiceLogLevel.Info;
    }

    // ---- file ----------------------------------------------------------------------------------

    /// <summary>The last <paramref name="tail"/> lines of a file, read backwards from its end in blocks (a large log is not read whole).</summary>
    public static IReadOnlyList<ServiceLogEntry> ReadFile(string path, int tail, DateTimeOffset? since, CancellationToken ct)
    {
        List<string> lines;
        try { lines = TailLines(path, tail, ct); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OpsException(ErrorIds.ServiceLogUnavailable, $"Cannot read {path}: {e.Message}", path, "Check the path (logFile in the config) and that this user may read it.");
        }
        var source = "file:" + path;
        var mtime = File.GetLastWriteTimeUtc(path);
        var list = new List<ServiceLogEntry>(lines.Count);
        foreach (var line in lines)
        {
            // The one log reader's timestamp rules (ISO 8601, syslog, nginx), so a line reads the same time everywhere.
            DateTimeOffset? time = Logs.LogTimestamp.TryParse(line, mtime, out var ts) ? ts : null;
            if (since is { } from && time is { } t && t < from) continue;
            list.Add(new ServiceLogEntry { Time = time, Source = source, Level = LevelOf(line), Message = line });
        }
        return list;
    }

    private static List<string> TailLines(string path, int count, CancellationToken ct)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var block = new byte[64 * 1024];
        var chunks = new List<byte[]>();
        long pos = fs.Length;
        var newlines = 0;
        // Stop once count + 1 newlines are in hand (the extra one ends the line before the first kept).
        while (pos > 0 && newlines <= count)
        {
            ct.ThrowIfCancellationRequested();
            var n = (int)Math.Min(block.Length, pos);
            pos -= n;
            fs.Position = pos;
            fs.ReadExactly(block, 0, n);
            var chunk = block[..n];
            newlines += chunk.Count(b => b == (byte)'\n');
            chunks.Insert(0, chunk);
        }
        var text = Encoding.UTF8.GetString(chunks.SelectMany(c => c).ToArray());
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        if (pos > 0 && lines.Count > 0) lines.RemoveAt(0); // a partial first line
        return lines.Count > count ? lines.GetRange(lines.Count - count, count) : lines;
    }
}
