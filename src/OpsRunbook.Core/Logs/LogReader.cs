using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using OpsRunbook.Core.Disk;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;

namespace OpsRunbook.Core.Logs;

/// <summary>What to read: paths (files, wildcards, live logs with their rotations) and an optional time window.</summary>
public sealed record LogReadOptions
{
    public required IReadOnlyList<string> Paths { get; init; }
    /// <summary>Bring name.1, name.2.gz, name-20261201.gz... along with each plain path.</summary>
    public bool IncludeRotated { get; init; } = true;
    /// <summary>Lines before this are skipped; files last written before it are not even opened.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Lines after this are skipped.</summary>
    public DateTimeOffset? Until { get; init; }
    /// <summary>Longer lines are skipped (and counted): a 1 MB line never costs more than this.</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;
    /// <summary>The progress activity text.</summary>
    public string Activity { get; init; } = "Reading logs";
    /// <summary>Read buffer per file (tests make it small to put lines across buffer boundaries).</summary>
    internal int BufferBytes { get; init; } = 1 << 20;
}

/// <summary>One line of a log, decoded (UTF-8; invalid bytes become U+FFFD).</summary>
public sealed record LogLine(string File, long LineNumber, string Text, DateTimeOffset? Timestamp);

/// <summary>Totals of one read.</summary>
public sealed record LogReadSummary
{
    public IReadOnlyList<LogFileInfo> Files { get; init; } = [];
    public long Lines { get; init; }
    public long BytesRead { get; init; }
    public long OversizedLines { get; init; }
    public long BinaryLines { get; init; }
}

/// <summary>Receives each line of a byte-level scan. The span is valid only during the call.</summary>
public delegate void LogLineHandler(ReadOnlySpan<byte> line, LogFileInfo file);

/// <summary>
/// THE log reader of the module. Every cmdlet that reads nginx, API, auth or service logs goes through it.
/// <list type="bullet">
/// <item>Plain and gzip files (by magic bytes), wildcards, a live log with its rotations (oldest first).</item>
/// <item>All files are opened when the read starts, so a rotation during the scan (rename + recreate) neither
/// loses nor repeats lines: the file that was open is read to its end, and LogFileRotated says so.</item>
/// <item>Bad input never stops a scan: a missing file (LogFileNotFound), an unreadable one (LogFileUnreadable), a
/// truncated or corrupt gzip member (LogGzipCorrupt: the lines before the break count), lines over
/// <see cref="LogReadOptions.MaxLineBytes"/> (LogLineTooLong) and lines with NUL bytes (LogBinaryData) each go to
/// the problem callback once per file, with a stable id.</item>
/// <item>Progress is bytes read (on disk) against the total size; cancellation is checked every buffer.</item>
/// </list>
/// Three ways in: <see cref="Scan"/> hands out byte spans (fast, no allocation per line), <see cref="Search"/> hands
/// out only the lines that hold one of a few byte strings (a whole-buffer vectorized search: the lines between
/// matches are counted, never split one by one), and <see cref="ReadLines"/> yields decoded lines with their
/// timestamps, filtered to the time window.
/// </summary>
public static class LogReader
{
    /// <summary>Opens the file set: resolves paths, skips files last written before Since, opens the rest.</summary>
    public static LogFileSet Open(LogReadOptions options, Action<OpsException> problem)
    {
        if (options.Since is { } s && options.Until is { } u && s > u)
            throw new OpsException(ErrorIds.InvalidTimeWindow, $"-Since ({s:O}) is after -Until ({u:O}).", s);
        var files = LogFiles.Resolve(options.Paths, options.IncludeRotated, problem);
        return new LogFileSet(files.Where(f => options.Since is not { } since || f.LastWriteTimeUtc >= since.UtcDateTime).ToList(), options, problem);
    }

    /// <summary>Reads every line of the set as bytes. The time window is the caller's to apply (it knows the format).</summary>
    public static LogReadSummary Scan(LogReadOptions options, LogLineHandler handler, IOpsReporter reporter, Action<OpsException> problem, CancellationToken ct)
    {
        using var set = Open(options, problem);
        using var progress = set.StartProgress(reporter);
        foreach (var cursor in set.Cursors(ct))
        {
            var file = cursor.File;
            while (cursor.TryReadLine(out var line))
                handler(line, file);
        }
        return set.Summary();
    }

    /// <summary>
    /// Reads only the lines that contain one of <paramref name="needles"/> (exact, case-sensitive bytes; UTF-8 for
    /// text), as <see cref="Scan"/> would hand them out: same end-of-line handling, same skipped (too long, binary)
    /// lines and problems, same summary. The buffer is searched whole for the next match (span IndexOf, vectorized);
    /// line bounds are found only around matches, so the cost is close to reading the files.
    /// </summary>
    public static LogReadSummary Search(LogReadOptions options, IReadOnlyList<byte[]> needles, LogLineHandler handler, IOpsReporter reporter, Action<OpsException> problem, CancellationToken ct)
    {
        var search = new LogNeedles(needles);
        using var set = Open(options, problem);
        using var progress = set.StartProgress(reporter);
        foreach (var cursor in set.Cursors(ct))
        {
            var file = cursor.File;
            while (cursor.TryReadMatch(search, out var line))
                handler(line, file);
        }
        return set.Summary();
    }

    /// <summary>
    /// Reads decoded lines in the time window. A line's time comes from <see cref="LogTimestamp"/>; a line
    /// without one (a stack trace under an ERROR line) shares the verdict of the line before it.
    /// </summary>
    public static IEnumerable<LogLine> ReadLines(LogReadOptions options, IOpsReporter reporter, Action<OpsException> problem, CancellationToken ct)
    {
        using var set = Open(options, problem);
        using var progress = set.StartProgress(reporter);
        foreach (var cursor in set.Cursors(ct))
        {
            var yearHint = cursor.File.LastWriteTimeUtc;
            var inWindow = true;
            while (true)
            {
                LogLine next;
                {
                    if (!cursor.TryReadLine(out var bytes)) break;
                    var text = Encoding.UTF8.GetString(bytes);
                    DateTimeOffset? ts = LogTimestamp.TryParse(text, yearHint, out var t) ? t : null;
                    if (ts is { } when)
                        inWindow = (options.Since is not { } s || when >= s) && (options.Until is not { } u || when <= u);
                    if (!inWindow) continue;
                    next = new LogLine(cursor.File.Path, cursor.LineNumber, text, ts);
                }
                yield return next;
            }
        }
    }

    /// <summary>True when t is inside the window of the options (both ends inclusive).</summary>
    public static bool InWindow(this LogReadOptions o, DateTimeOffset t) => (o.Since is not { } s || t >= s) && (o.Until is not { } u || t <= u);
}

/// <summary>An opened set of log files. Dispose closes whatever was not read.</summary>
public sealed class LogFileSet : IDisposable
{
    private const int MaxOpenAhead = 256;
    private readonly List<LogFileInfo> _files;
    private readonly FileStream?[] _streams;
    private readonly LogReadOptions _options;
    private readonly Action<OpsException> _problem;
    private long _doneBytes, _lines, _oversized, _binary;
    private LogFileCursor? _current;
    private volatile string _currentName = "";

    internal LogFileSet(List<LogFileInfo> files, LogReadOptions options, Action<OpsException> problem)
    {
        _files = files;
        _options = options;
        _problem = problem;
        _streams = new FileStream?[files.Count];
        for (var i = 0; i < files.Count && i < MaxOpenAhead; i++) _streams[i] = TryOpen(files[i]);
        TotalBytes = files.Sum(f => f.Length);
    }

    public IReadOnlyList<LogFileInfo> Files => _files;
    public long TotalBytes { get; }
    /// <summary>Bytes read so far (on disk, so compressed bytes for a .gz); safe to read from another thread.</summary>
    public long BytesRead => Interlocked.Read(ref _doneBytes) + (_current?.Position ?? 0);

    private FileStream? TryOpen(LogFileInfo f)
    {
        try
        {
            return new FileStream(f.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _problem(new OpsException(ErrorIds.LogFileUnreadable, $"Cannot open {f.Path}: {e.Message}", f.Path, "Check its permissions (run as a user that can read the logs).", e));
            return null;
        }
    }

    /// <summary>One cursor per file, in order. Each is finished (checks, counters) before the next one opens.</summary>
    public IEnumerable<LogFileCursor> Cursors(CancellationToken ct)
    {
        for (var i = 0; i < _files.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var fs = i < MaxOpenAhead ? _streams[i] : TryOpen(_files[i]);
            _streams[i] = null;
            if (fs is null) { Interlocked.Add(ref _doneBytes, _files[i].Length); continue; }
            _currentName = _files[i].Path;
            using var cursor = new LogFileCursor(_files[i], fs, _options.MaxLineBytes, _problem, ct, _options.BufferBytes);
            _current = cursor;
            yield return cursor;
            cursor.Finish();
            _lines += cursor.LineNumber - cursor.Skipped;
            _oversized += cursor.Oversized;
            _binary += cursor.Binary;
            _current = null;
            Interlocked.Add(ref _doneBytes, _files[i].Length);
        }
    }

    /// <summary>Reports "bytes read of total" every 250 ms until disposed.</summary>
    public IDisposable StartProgress(IOpsReporter reporter)
    {
        var activity = _options.Activity;
        return new Timer(_ =>
        {
            var done = BytesRead;
            var pct = TotalBytes > 0 ? (int)Math.Clamp(done * 100 / TotalBytes, 0, 100) : -1;
            reporter.Progress(new OpsProgress(12, activity,
                $"{Text.ByteSize.Format(done)} of {Text.ByteSize.Format(TotalBytes)} in {_files.Count} file(s)", pct, _currentName));
        }, null, 250, 250);
    }

    public LogReadSummary Summary() => new()
    {
        Files = _files, Lines = _lines, BytesRead = Interlocked.Read(ref _doneBytes), OversizedLines = _oversized, BinaryLines = _binary,
    };

    public void Dispose()
    {
        foreach (var s in _streams) s?.Dispose();
    }
}

/// <summary>Reads the lines of one open file. The span from <see cref="TryReadLine"/> is valid until the next call.</summary>
public sealed class LogFileCursor : IDisposable
{
    private readonly FileStream _fs;
    private readonly Stream _stream;
    private readonly int _maxLine;
    private readonly Action<OpsException> _problem;
    private readonly CancellationToken _ct;
    private readonly byte[] _buf;
    private int _pos, _end;
    private bool _eof, _skipping, _broken;
    private long _decompressed;
    private readonly uint? _gzipSize;

    internal LogFileCursor(LogFileInfo file, FileStream fs, int maxLine, Action<OpsException> problem, CancellationToken ct, int bufferSize = 1 << 20)
    {
        File = file;
        _fs = fs;
        _buf = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, 512));
        _maxLine = Math.Clamp(maxLine, 256, _buf.Length / 2);
        _problem = problem;
        _ct = ct;
        if (file.Compressed)
        {
            _gzipSize = ReadGzipTrailerSize(fs);
            _stream = new GZipStream(fs, CompressionMode.Decompress, leaveOpen: true);
        }
        else _stream = fs;
    }

    public LogFileInfo File { get; }
    /// <summary>Lines handed out or skipped so far (1-based number of the last one).</summary>
    public long LineNumber { get; private set; }
    public long Oversized { get; private set; }
    public long Binary { get; private set; }
    internal long Skipped => Oversized + Binary;
    /// <summary>Changes whenever the buffer's contents move (positions cached by <see cref="LogNeedles"/> expire).</summary>
    internal int Generation { get; private set; }
    /// <summary>Bytes of the file on disk read so far.</summary>
    public long Position { get { try { return _fs.Position; } catch (ObjectDisposedException) { return File.Length; } } }

    /// <summary>The next non-empty line without its end of line; false at the end of the file.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var nl = _buf.AsSpan(_pos, _end - _pos).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                var start = _pos;
                _pos += nl + 1;
                if (_skipping) { _skipping = false; continue; }
                if (nl > _maxLine) { Oversize(); continue; }
                if (Accept(_buf.AsSpan(start, nl), out line)) return true;
                continue;
            }
            if (_skipping) _pos = _end;
            else if (_end - _pos > _maxLine)
            {
                Oversize();
                _skipping = true;
                _pos = _end;
            }
            if (_eof)
            {
                if (_pos < _end && !_skipping)
                {
                    var start = _pos;
                    _pos = _end;
                    if (Accept(_buf.AsSpan(start, _end - start), out line)) return true;
                }
                line = default;
                return false;
            }
            Fill();
        }
    }

    /// <summary>
    /// The next line holding one of the needles, exactly as <see cref="TryReadLine"/> would hand it out; the lines
    /// before it are counted (and their problems reported) in bulk. False at the end of the file.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // called per match: no waiting for tiering
    public bool TryReadMatch(LogNeedles needles, out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            if (_skipping)
            {
                // The rest of a line too long for the buffer.
                var nl = _buf.AsSpan(_pos, _end - _pos).IndexOf((byte)'\n');
                if (nl >= 0) { _pos += nl + 1; _skipping = false; continue; }
                _pos = _end;
                if (_eof) { line = default; return false; }
                Fill();
                continue;
            }
            var avail = _buf.AsSpan(_pos, _end - _pos);
            // Only complete lines are searched (a match never spans a buffer fill); at the end of the file, the last
            // line needs no newline.
            var complete = _eof ? avail.Length : avail.LastIndexOf((byte)'\n') + 1;
            if (complete == 0)
            {
                if (avail.Length > _maxLine) { Oversize(); _skipping = true; _pos = _end; }
                if (_eof) { line = default; return false; }
                Fill();
                continue;
            }
            var region = avail[..complete];
            var m = needles.IndexIn(this, _buf, Generation, _pos, _pos + complete);
            if (m < 0)
            {
                Account(region);
                _pos += complete;
                continue;
            }
            var rel = m - _pos;
            var start = region[..rel].LastIndexOf((byte)'\n') + 1;
            Account(region[..start]);
            var len = region[start..].IndexOf((byte)'\n');
            var next = len < 0 ? complete : start + len + 1;
            if (len < 0) len = complete - start;
            var raw = _buf.AsSpan(_pos + start, len);
            _pos += next;
            if (len > _maxLine) { Oversize(); continue; }
            if (Accept(raw, out line)) return true;
        }
    }

    /// <summary>Counts a run of complete lines that holds no match, as <see cref="TryReadLine"/> would have.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Account(Span<byte> region)
    {
        while (!region.IsEmpty)
        {
            var anomaly = FirstAnomaly(region);
            LineNumber += NonEmptyLines(anomaly < 0 ? region : region[..anomaly]);
            if (anomaly < 0) return;
            region = region[anomaly..];
            var nl = region.IndexOf((byte)'\n');
            var len = nl < 0 ? region.Length : nl;
            if (len > _maxLine) Oversize();
            else Accept(region[..len], out _);
            region = nl < 0 ? default : region[(nl + 1)..];
        }
    }

    /// <summary>Start of the first line that is too long or holds a NUL byte; -1 when none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int FirstAnomaly(ReadOnlySpan<byte> region)
    {
        var nul = region.IndexOf((byte)0);
        var limit = nul < 0 ? region.Length : region[..nul].LastIndexOf((byte)'\n') + 1;
        // A line longer than the limit has no newline within _maxLine + 1 bytes of its start.
        var p = 0;
        while (region.Length - p > _maxLine && p < limit)
        {
            var q = region.Slice(p, _maxLine + 1).LastIndexOf((byte)'\n');
            if (q < 0) return p;
            p += q + 1;
        }
        return nul < 0 ? -1 : limit;
    }

    /// <summary>Lines of a run of complete lines that are not empty (nor a lone CR), as <see cref="Accept"/> counts them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long NonEmptyLines(ReadOnlySpan<byte> region)
    {
        if (region.IsEmpty) return 0;
        long lines = region.Count((byte)'\n');
        if (region[^1] != (byte)'\n' && !(region.Length == 1 && region[0] == (byte)'\r') && !(region.Length >= 2 && region[^1] == (byte)'\r' && region[^2] == (byte)'\n'))
            lines++;   // the last line of the file, without a newline
        // Empty lines: "" or "\r" at the start of the run, or right after a newline.
        if (region[0] == (byte)'\n' || region.StartsWith("\r\n"u8)) lines--;
        lines -= Overlapping(region, "\n\n"u8) + Overlapping(region, "\n\r\n"u8);
        return lines;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Overlapping(ReadOnlySpan<byte> s, ReadOnlySpan<byte> what)
    {
        long n = 0;
        for (var i = s.IndexOf(what); i >= 0; i = s.IndexOf(what))
        {
            n++;
            s = s[(i + 1)..];
        }
        return n;
    }

    private void Oversize()
    {
        LineNumber++;
        if (Oversized++ == 0)
            _problem(new OpsException(ErrorIds.LogLineTooLong, $"{File.Path}: line {LineNumber} is longer than {_maxLine / 1024} KiB; it was skipped (and any more such lines in this file).", File.Path));
    }

    private bool Accept(Span<byte> raw, out ReadOnlySpan<byte> line)
    {
        if (raw.Length > 0 && raw[^1] == (byte)'\r') raw = raw[..^1];
        line = raw;
        if (raw.Length == 0) return false;
        LineNumber++;
        if (raw.IndexOf((byte)0) >= 0)
        {
            if (Binary++ == 0)
                _problem(new OpsException(ErrorIds.LogBinaryData, $"{File.Path}: line {LineNumber} holds binary data (NUL bytes); such lines are skipped.", File.Path));
            return false;
        }
        return true;
    }

    private void Fill()
    {
        _ct.ThrowIfCancellationRequested();
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buf, _pos, _buf, 0, _end - _pos);
            _end -= _pos;
            _pos = 0;
        }
        Generation++;
        if (_end == _buf.Length) { _pos = _end; return; }   // cannot happen: lines are capped below the buffer size
        try
        {
            var n = _stream.Read(_buf, _end, _buf.Length - _end);
            if (n == 0) { _eof = true; return; }
            _end += n;
            _decompressed += n;
        }
        catch (InvalidDataException e)
        {
            _eof = true; _broken = true;
            _problem(new OpsException(ErrorIds.LogGzipCorrupt, $"{File.Path} is corrupt after {_decompressed:N0} uncompressed bytes ({e.Message}); the lines before were read.", File.Path, null, e));
        }
        catch (IOException e)
        {
            _eof = true; _broken = true;
            _problem(new OpsException(ErrorIds.LogFileUnreadable, $"Reading {File.Path} failed after {Position:N0} bytes: {e.Message}", File.Path, null, e));
        }
    }

    /// <summary>After the last line: checks the gzip trailer and whether the file was rotated while it was read.</summary>
    internal void Finish()
    {
        if (_gzipSize is { } expected && !_broken && (uint)_decompressed != expected)
            _problem(new OpsException(ErrorIds.LogGzipCorrupt,
                $"{File.Path} is truncated or corrupt: it decompressed to {_decompressed:N0} bytes but its gzip trailer says {expected:N0} (mod 2^32); the lines before the break were read.",
                File.Path, "If the file was copied while being written, copy it again; a partial last line is counted as unparsed."));
        if (!Posix.TryStat(File.Path, out var now, out _) || now.Inode != File.Inode)
            _problem(new OpsException(ErrorIds.LogFileRotated,
                $"{File.Path} was rotated during the scan; the file that was open was read to its end ({Position:N0} bytes). Lines written to the new {System.IO.Path.GetFileName(File.Path)} since are not included.", File.Path));
        else if (!File.Compressed && now.Size < Position)
            _problem(new OpsException(ErrorIds.LogFileRotated,
                $"{File.Path} was truncated during the scan (copytruncate rotation); lines written after the truncation may be missing.", File.Path));
    }

    // ISIZE: the last 4 bytes of a gzip file, the uncompressed size of its last member mod 2^32.
    private static uint? ReadGzipTrailerSize(FileStream fs)
    {
        try
        {
            if (fs.Length < 18) return null;
            Span<byte> t = stackalloc byte[4];
            fs.Position = fs.Length - 4;
            fs.ReadExactly(t);
            fs.Position = 0;
            return BinaryPrimitives.ReadUInt32LittleEndian(t);
        }
        catch (IOException) { fs.Position = 0; return null; }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_stream, _fs)) _stream.Dispose();
        _fs.Dispose();
        System.Buffers.ArrayPool<byte>.Shared.Return(_buf);
    }
}

/// <summary>
/// The byte strings of a <see cref="LogReader.Search"/> (exact, case-sensitive; no newlines). Remembers where each
/// one was last found in a cursor's buffer, so a needle that is rare is searched once per buffer, not once per match.
/// </summary>
public sealed class LogNeedles
{
    private readonly byte[][] _needles;
    private readonly int[] _next, _from;
    private LogFileCursor? _owner;
    private int _generation, _to;

    public LogNeedles(IReadOnlyList<byte[]> needles)
    {
        if (needles.Count == 0) throw new ArgumentException("At least one byte string to search for.", nameof(needles));
        foreach (var n in needles)
            if (n.Length == 0 || n.AsSpan().IndexOfAny((byte)'\n', (byte)'\r') >= 0)
                throw new ArgumentException("A search string is empty or holds a line break.", nameof(needles));
        _needles = needles.ToArray();
        _next = new int[_needles.Length];
        _from = new int[_needles.Length];
    }

    /// <summary>The first position in [from, to) of the buffer where one of the needles starts and ends before to; -1 when none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int IndexIn(LogFileCursor owner, byte[] buf, int generation, int from, int to)
    {
        if (!ReferenceEquals(owner, _owner) || generation != _generation || to != _to)
        {
            _owner = owner; _generation = generation; _to = to;
            Array.Fill(_from, int.MaxValue);
        }
        var best = -1;
        for (var i = 0; i < _needles.Length; i++)
        {
            // Still valid: nothing between where it was searched from and what it found (or the end).
            if (_from[i] > from || (_next[i] >= 0 && _next[i] < from))
            {
                var k = buf.AsSpan(from, to - from).IndexOf(_needles[i]);
                _next[i] = k < 0 ? -1 : from + k;
                _from[i] = from;
            }
            if (_next[i] >= 0 && (best < 0 || _next[i] < best)) best = _next[i];
        }
        return best;
    }
}
