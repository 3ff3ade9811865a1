using System.Globalization;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Core.Health.Probes;

/// <summary>What <see cref="ErrorLogCounter"/> found.</summary>
public sealed record ErrorLogCount(long Errors, long LinesInWindow, long UnparsedLines, IReadOnlyList<string> Files, DateTimeOffset? LastError);

/// <summary>
/// Counts ERROR lines in the API logs whose timestamp falls in a window (default the last 24 h), across the
/// daily files that can hold it (logs.api with {date:...}), plain or gzip-rotated (name.gz).
/// A line is "&lt;timestamp&gt; &lt;LEVEL&gt; message"; the timestamp may be ISO 8601 or "yyyy-MM-dd HH:mm:ss", optionally in [].
/// Timestamps without an offset are taken as UTC.
/// </summary>
public static class ErrorLogCounter
{
    public static ErrorLogCount Count(LogsConfig logs, DateTimeOffset now, TimeSpan window, CancellationToken ct = default)
    {
        var from = now - window;
        // The one log reader (Logs/LogReader): every daily file the window can touch, plain or .gz.
        var files = logs.DatedFiles(logs.Api, from, now);
        long errors = 0, inWindow = 0, unparsed = 0;
        DateTimeOffset? last = null;
        LogReader.Scan(new LogReadOptions { Paths = files, IncludeRotated = false, Activity = "Counting ERROR lines" }, (bytes, _) =>
        {
            var line = System.Text.Encoding.UTF8.GetString(bytes);
            if (!TryParse(line, out var ts, out var level)) { unparsed++; return; }
            if (ts < from || ts > now) return;
            inWindow++;
            if (level.SequenceEqual("ERROR"))
            {
                errors++;
                if (last is null || ts > last) last = ts;
            }
        }, NullReporter.Allow, _ => { }, ct);
        return new ErrorLogCount(errors, inWindow, unparsed, files, last);
    }

    /// <summary>Splits "&lt;timestamp&gt; &lt;LEVEL&gt; ..." into its time and level.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(string line, out DateTimeOffset timestamp, out ReadOnlySpan<char> level)
    {
        timestamp = default; level = default;
        var span = line.AsSpan().TrimStart();
        var bracket = span.Length > 0 && span[0] == '[';
        if (bracket) span = span[1..];
        var sp = span.IndexOfAny(' ', ']');
        if (sp <= 0) return false;
        var stamp = span[..sp];
        var rest = span[sp..].TrimStart(']').TrimStart();
        // "yyyy-MM-dd HH:mm:ss[.fff]": the time is the next token.
        if (stamp.Length == 10 && rest.Length >= 8 && char.IsAsciiDigit(rest[0]))
        {
            var sp2 = rest.IndexOfAny(' ', ']');
            if (sp2 < 0) return false;
            Span<char> buf = stackalloc char[stamp.Length + 1 + sp2];
            stamp.CopyTo(buf); buf[stamp.Length] = 'T'; rest[..sp2].CopyTo(buf[(stamp.Length + 1)..]);
            if (!DateTimeOffset.TryParse(buf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp)) return false;
            rest = rest[sp2..].TrimStart(']').TrimStart();
        }
        else if (!DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp)) return false;
        var end = rest.IndexOfAny(' ', ':', ']');
        level = (end < 0 ? rest : rest[..end]).Trim('[');
        return level.Length > 0;
    }
}

/// <summary>The Errors family: ERROR lines in the API logs over the last 24 hours.</summary>
public static class ErrorLogProbe
{
    public const string Check = "Errors";
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public static Task<IReadOnlyList<HealthCheckResult>> CheckAsync(EnvironmentConfig env, CancellationToken ct)
    {
        var logs = env.Require(e => e.Logs, "logs");
        // Today's file, as an operator would look for it (api-2026-12-02.log), not the pattern.
        var target = logs.ApiFileFor(DateOnly.FromDateTime(DateTime.UtcNow));
        return HealthProbe.AllAsync([HealthProbe.TargetAsync(Check, target, t => HealthProbe.OffThread(() => Judge(logs, env.Thresholds, DateTimeOffset.UtcNow, t), t), ct, HealthStatus.Unknown)]);
    }

    public static HealthCheckResult Judge(LogsConfig logs, ThresholdsConfig th, DateTimeOffset now, CancellationToken ct)
    {
        var threshold = HealthProbe.ThresholdText(th.ErrorCountWarn, th.ErrorCountCritical, "") + " ERROR lines in 24 h";
        if (!Directory.Exists(logs.Directory))
            return new HealthCheckResult { Status = HealthStatus.Unknown, Threshold = threshold, Message = $"The log directory {logs.Directory} does not exist." };
        var c = ErrorLogCounter.Count(logs, now, Window, ct);
        if (c.Files.Count == 0)
            return new HealthCheckResult
            {
                Status = HealthStatus.Unknown, Threshold = threshold,
                Message = $"No API log for the last 24 h in {logs.Directory} (looked for {logs.ApiFileFor(DateOnly.FromDateTime(now.UtcDateTime))} and earlier days, plain or .gz).",
            };
        var r = new HealthCheckResult
        {
            Status = HealthProbe.Judge(c.Errors, th.ErrorCountWarn, th.ErrorCountCritical), Value = c.Errors, Unit = "errors/24h", Threshold = threshold,
            WarnAt = th.ErrorCountWarn, CriticalAt = th.ErrorCountCritical,
            Message = $"{c.Errors} ERROR line(s) of {c.LinesInWindow} in the last 24 h" + (c.LastError is { } l ? $", last at {l.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z" : "")
                      + $" ({string.Join(", ", c.Files.Select(Path.GetFileName))})" + (c.UnparsedLines > 0 ? $"; {c.UnparsedLines} line(s) without a timestamp skipped." : "."),
        };
        r.AddDetail("lines_in_window", c.LinesInWindow).AddDetail("unparsed_lines", c.UnparsedLines).AddDetail("files", c.Files.Count);
        return r;
    }
}
