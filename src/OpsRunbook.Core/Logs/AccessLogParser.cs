using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Logs;

/// <summary>
/// One access-log line, parsed in place: the spans point into the line (or the parser's scratch buffer for JSON)
/// and are valid only until the next parse. -1 means "not logged" for the times.
/// </summary>
public ref struct AccessLogEntry
{
    public DateTimeOffset Time;
    public bool HasTime;
    public ReadOnlySpan<byte> ClientIp;
    public ReadOnlySpan<byte> Method;
    /// <summary>The request target as logged: path and query string.</summary>
    public ReadOnlySpan<byte> Uri;
    public ReadOnlySpan<byte> UserAgent;
    public ReadOnlySpan<byte> Referer;
    /// <summary>$args when the format logs it apart from $uri (joined into Uri after parsing).</summary>
    internal ReadOnlySpan<byte> Args;
    public int Status;
    public long Bytes;
    /// <summary>$request_time in whole milliseconds (as logged: nginx logs milliseconds), or -1.</summary>
    public int RequestTimeMs;
    /// <summary>$upstream_response_time in milliseconds (the sum when several upstreams answered), or -1 (also for "-").</summary>
    public int UpstreamTimeMs;
}

/// <summary>
/// Parses nginx access logs: any <c>log_format</c> string (default: <c>combined</c>, optionally followed by
/// <c>$request_time</c> and <c>$upstream_response_time</c>, as most setups append them), and JSON lines
/// (<c>log_format x escape=json '{...}'</c>, keys named after the nginx variables). Works on UTF-8 bytes without
/// allocating per line.
/// </summary>
public sealed class AccessLogParser
{
    /// <summary>nginx's predefined combined format.</summary>
    public const string Combined = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"";

    private enum Var : byte
    {
        Ignore, RemoteAddr, TimeLocal, TimeIso8601, Msec, Request, Method, RequestUri, UriPath, Args, Status, BodyBytes, Referer, UserAgent, RequestTime, UpstreamTime,
    }

    private readonly record struct Token(byte[]? Literal, Var Variable);

    private readonly Token[] _tokens;
    private readonly bool _trailingTimes;
    private byte[] _scratch = new byte[4096];

    private AccessLogParser(Token[] tokens, bool trailingTimes)
    {
        _tokens = tokens;
        _trailingTimes = trailingTimes;
    }

    /// <summary>The text of the format in use.</summary>
    public string Format { get; private init; } = Combined;

    /// <summary>
    /// A parser for an nginx log_format string (null or empty: combined, plus $request_time and
    /// $upstream_response_time when a line has them after the user agent). Throws ConfigLogFormatInvalid.
    /// </summary>
    public static AccessLogParser Create(string? logFormat = null)
    {
        var trailing = string.IsNullOrWhiteSpace(logFormat);
        var format = trailing ? Combined : logFormat!.Trim();
        var tokens = new List<Token>();
        var lit = new StringBuilder();
        for (var i = 0; i < format.Length;)
        {
            if (format[i] != '$') { lit.Append(format[i++]); continue; }
            var braced = i + 1 < format.Length && format[i + 1] == '{';
            var j = i + (braced ? 2 : 1);
            var start = j;
            while (j < format.Length && (char.IsAsciiLetterOrDigit(format[j]) || format[j] == '_')) j++;
            if (j == start || (braced && (j >= format.Length || format[j] != '}')))
                throw new OpsException(ErrorIds.ConfigLogFormatInvalid, $"logs.accessFormat: '$' at {i} is not followed by a variable name: {format}", format);
            var name = format[start..j];
            if (lit.Length > 0) { tokens.Add(new Token(Encoding.UTF8.GetBytes(lit.ToString()), Var.Ignore)); lit.Clear(); }
            if (tokens.Count > 0 && tokens[^1].Literal is null)
                throw new OpsException(ErrorIds.ConfigLogFormatInvalid, $"logs.accessFormat: ${name} directly follows another variable, so the two cannot be told apart: {format}", format);
            tokens.Add(new Token(null, VarOf(name)));
            i = braced ? j + 1 : j;
        }
        if (lit.Length > 0) tokens.Add(new Token(Encoding.UTF8.GetBytes(lit.ToString()), Var.Ignore));
        if (!tokens.Any(t => t.Variable is Var.Request or Var.RequestUri or Var.UriPath) || !tokens.Any(t => t.Variable == Var.Status))
            throw new OpsException(ErrorIds.ConfigLogFormatInvalid, $"logs.accessFormat must log the request ($request, $request_uri or $uri) and $status: {format}", format);
        return new AccessLogParser(tokens.ToArray(), trailing) { Format = format };
    }

    private static Var VarOf(string name) => name switch
    {
        "remote_addr" or "binary_remote_addr" or "realip_remote_addr" => Var.RemoteAddr,
        "time_local" => Var.TimeLocal,
        "time_iso8601" => Var.TimeIso8601,
        "msec" => Var.Msec,
        "request" => Var.Request,
        "request_method" => Var.Method,
        "request_uri" => Var.RequestUri,
        "uri" or "document_uri" => Var.UriPath,
        "args" or "query_string" => Var.Args,
        "status" => Var.Status,
        "body_bytes_sent" or "bytes_sent" => Var.BodyBytes,
        "http_referer" => Var.Referer,
        "http_user_agent" => Var.UserAgent,
        "request_time" => Var.RequestTime,
        "upstream_response_time" => Var.UpstreamTime,
        _ => Var.Ignore,
    };

    /// <summary>Parses one line (text format or JSON). False when the line does not match.</summary>
    public bool TryParse(ReadOnlySpan<byte> line, out AccessLogEntry e)
    {
        e = default;
        e.RequestTimeMs = -1;
        e.UpstreamTimeMs = -1;
        if (line.Length > 0 && line[0] == (byte)'{') return TryParseJson(line, ref e);
        var pos = 0;
        for (var t = 0; t < _tokens.Length; t++)
        {
            var tok = _tokens[t];
            if (tok.Literal is { } l)
            {
                if (!line[pos..].StartsWith(l)) return false;
                pos += l.Length;
                continue;
            }
            int len;
            if (t + 1 < _tokens.Length)
            {
                len = Find(line[pos..], _tokens[t + 1].Literal!);
                if (len < 0) return false;
            }
            else if (_trailingTimes) { len = line[pos..].IndexOf((byte)' '); if (len < 0) len = line.Length - pos; }
            else len = line.Length - pos;
            var v = line.Slice(pos, len);
            pos += len;
            if (tok.Variable == Var.TimeLocal)
            {
                if (!TimeLocal(v, out e.Time)) return false;
                e.HasTime = true;
                continue;
            }
            if (!Assign(tok.Variable, v, ref e)) return false;
        }
        if (_trailingTimes && pos < line.Length)
        {
            // combined + " $request_time" [+ " $upstream_response_time"]: both optional.
            var rest = line[pos..].TrimStart((byte)' ');
            var sp = rest.IndexOf((byte)' ');
            var rt = sp < 0 ? rest : rest[..sp];
            if (!TryMillis(rt, out e.RequestTimeMs)) return false;
            if (sp >= 0) e.UpstreamTimeMs = UpstreamMillis(rest[(sp + 1)..]);
        }
        if (!e.Args.IsEmpty && !e.Uri.IsEmpty && e.Uri.IndexOf((byte)'?') < 0)
        {
            // $uri?$args logged apart: join them in the scratch buffer.
            var need = e.Uri.Length + 1 + e.Args.Length;
            if (_scratch.Length < need) _scratch = new byte[need * 2];
            e.Uri.CopyTo(_scratch); _scratch[e.Uri.Length] = (byte)'?'; e.Args.CopyTo(_scratch.AsSpan(e.Uri.Length + 1));
            e.Uri = _scratch.AsSpan(0, need);
        }
        return e.Status > 0 && !e.Uri.IsEmpty;
    }

    /// <summary>
    /// The first occurrence of a literal, as IndexOf finds it, by its first byte and a comparison: the fields between
    /// literals are short, where a single-byte search is quicker than a vectorized multi-byte one.
    /// </summary>
    private static int Find(ReadOnlySpan<byte> s, byte[] literal)
    {
        var first = literal[0];
        if (literal.Length == 1) return s.IndexOf(first);
        var rest = literal.AsSpan(1);
        for (var off = 0; ;)
        {
            var i = s[off..].IndexOf(first);
            if (i < 0) return -1;
            i += off;
            if (s[(i + 1)..].StartsWith(rest)) return i;
            off = i + 1;
        }
    }

    /// <summary>
    /// $time_local, parsed once per distinct text: consecutive lines of a busy log share their second, and the
    /// comparison of 26 bytes costs far less than building the DateTimeOffset again.
    /// </summary>
    private bool TimeLocal(ReadOnlySpan<byte> s, out DateTimeOffset time)
    {
        if (_lastTimeLength >= 0 && s.SequenceEqual(_lastTime.AsSpan(0, _lastTimeLength)))
        {
            time = _lastTimeValue;
            return _lastTimeOk;
        }
        var ok = LogTimestamp.TryNginx(s, out time);
        if (s.Length <= _lastTime.Length)
        {
            s.CopyTo(_lastTime);
            _lastTimeLength = s.Length;
            _lastTimeValue = time;
            _lastTimeOk = ok;
        }
        return ok;
    }

    private readonly byte[] _lastTime = new byte[64];
    private int _lastTimeLength = -1;
    private DateTimeOffset _lastTimeValue;
    private bool _lastTimeOk;

    private static bool Assign(Var v, ReadOnlySpan<byte> s, ref AccessLogEntry e)
    {
        switch (v)
        {
            case Var.RemoteAddr: e.ClientIp = s; return s.Length > 0;
            case Var.TimeLocal: return e.HasTime = LogTimestamp.TryNginx(s, out e.Time);
            case Var.TimeIso8601:
                Span<char> c = stackalloc char[Math.Min(s.Length, 40)];
                for (var i = 0; i < c.Length; i++) c[i] = (char)s[i];
                return e.HasTime = LogTimestamp.TryIso(c, out e.Time);
            case Var.Msec:
                if (!Utf8Parser.TryParse(s, out decimal ms, out _)) return false;
                e.Time = DateTimeOffset.FromUnixTimeMilliseconds((long)(ms * 1000)); e.HasTime = true; return true;
            case Var.Request: return SplitRequest(s, ref e);
            case Var.Method: e.Method = s; return true;
            case Var.RequestUri: e.Uri = s; return true;
            case Var.UriPath: if (e.Uri.IsEmpty) e.Uri = s; return true;
            case Var.Args: if (s.Length > 0 && !(s.Length == 1 && s[0] == (byte)'-')) e.Args = s; return true;
            case Var.Status: return Utf8Parser.TryParse(s, out e.Status, out var n) && n == s.Length && e.Status is >= 100 and <= 999;
            case Var.BodyBytes: return (s.Length == 1 && s[0] == (byte)'-') || (Utf8Parser.TryParse(s, out e.Bytes, out var nb) && nb == s.Length);
            case Var.Referer: e.Referer = s; return true;
            case Var.UserAgent: e.UserAgent = s; return true;
            case Var.RequestTime: return TryMillis(s, out e.RequestTimeMs) || (s.Length == 1 && s[0] == (byte)'-');
            case Var.UpstreamTime: e.UpstreamTimeMs = UpstreamMillis(s); return true;
            default: return true;
        }
    }

    /// <summary>"GET /path?q HTTP/1.1" (an odd request such as "-" or garbage keeps its text as the URI with no method).</summary>
    private static bool SplitRequest(ReadOnlySpan<byte> s, ref AccessLogEntry e)
    {
        var sp = s.IndexOf((byte)' ');
        if (sp <= 0) { e.Method = default; e.Uri = s; return s.Length > 0; }
        e.Method = s[..sp];
        var rest = s[(sp + 1)..];
        var sp2 = rest.LastIndexOf((byte)' ');
        e.Uri = sp2 > 0 && rest[(sp2 + 1)..].StartsWith("HTTP/"u8) ? rest[..sp2] : rest;
        return true;
    }

    /// <summary>"0.123" seconds to 123 ms (rounded half up below a millisecond).</summary>
    public static bool TryMillis(ReadOnlySpan<byte> s, out int ms)
    {
        ms = -1;
        if (s.IsEmpty) return false;
        long whole = 0; var i = 0;
        for (; i < s.Length && (uint)(s[i] - '0') < 10; i++) whole = whole * 10 + (s[i] - '0');
        if (i == 0 && (s.Length < 2 || s[0] != (byte)'.')) return false;
        long frac = 0; var digits = 0; var roundUp = false;
        if (i < s.Length && s[i] == (byte)'.')
        {
            for (i++; i < s.Length && (uint)(s[i] - '0') < 10; i++, digits++)
            {
                if (digits < 3) frac = frac * 10 + (s[i] - '0');
                else if (digits == 3) roundUp = s[i] >= (byte)'5';
            }
        }
        if (i != s.Length || whole > 2_000_000) return false;
        for (; digits < 3; digits++) frac *= 10;
        ms = (int)(whole * 1000 + frac + (roundUp ? 1 : 0));
        return true;
    }

    private static int UpstreamMillis(ReadOnlySpan<byte> s)
    {
        // "0.012", "0.012, 0.003" (several upstreams tried), "0.002 : 0.010" (internal redirect), "-".
        var total = -1;
        while (!s.IsEmpty)
        {
            var end = s.IndexOfAny((byte)',', (byte)':');
            var part = (end < 0 ? s : s[..end]).Trim((byte)' ');
            if (TryMillis(part, out var ms)) total = Math.Max(total, 0) + ms;
            s = end < 0 ? default : s[(end + 1)..];
        }
        return total;
    }

    private bool TryParseJson(ReadOnlySpan<byte> line, ref AccessLogEntry e)
    {
        if (_scratch.Length < line.Length * 2) _scratch = new byte[line.Length * 2];
        var used = 0;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = JsonKey(ref reader);
                if (!reader.Read()) return false;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) { reader.Skip(); continue; }
                ReadOnlySpan<byte> value;
                if (reader.TokenType == JsonTokenType.String)
                {
                    if (!reader.ValueIsEscaped) value = reader.ValueSpan;
                    else
                    {
                        var n = reader.CopyString(_scratch.AsSpan(used));
                        value = _scratch.AsSpan(used, n);
                        used += n;
                    }
                }
                else if (reader.TokenType == JsonTokenType.Null) continue;
                else value = reader.ValueSpan;
                if (key == Var.Ignore) continue;
                if (!Assign(key, value, ref e) && key is Var.Status or Var.Request) return false;
            }
        }
        catch (JsonException) { return false; }
        if (!e.Args.IsEmpty && !e.Uri.IsEmpty && e.Uri.IndexOf((byte)'?') < 0)
        {
            var need = e.Uri.Length + 1 + e.Args.Length;
            var buf = new byte[need];
            e.Uri.CopyTo(buf); buf[e.Uri.Length] = (byte)'?'; e.Args.CopyTo(buf.AsSpan(e.Uri.Length + 1));
            e.Uri = buf;
        }
        return e.Status > 0 && !e.Uri.IsEmpty;
    }

    private static Var JsonKey(ref Utf8JsonReader r)
    {
        Span<byte> k = stackalloc byte[64];
        if (r.ValueSpan.Length > 64) return Var.Ignore;
        var n = r.CopyString(k);
        var key = k[..n];
        return key switch
        {
            _ when key.SequenceEqual("remote_addr"u8) || key.SequenceEqual("client"u8) || key.SequenceEqual("client_ip"u8) || key.SequenceEqual("ip"u8) => Var.RemoteAddr,
            _ when key.SequenceEqual("time_local"u8) => Var.TimeLocal,
            _ when key.SequenceEqual("time_iso8601"u8) || key.SequenceEqual("time"u8) || key.SequenceEqual("timestamp"u8) || key.SequenceEqual("@timestamp"u8) => Var.TimeIso8601,
            _ when key.SequenceEqual("msec"u8) => Var.Msec,
            _ when key.SequenceEqual("request"u8) => Var.Request,
            _ when key.SequenceEqual("request_method"u8) || key.SequenceEqual("method"u8) => Var.Method,
            _ when key.SequenceEqual("request_uri"u8) => Var.RequestUri,
            _ when key.SequenceEqual("uri"u8) || key.SequenceEqual("path"u8) => Var.UriPath,
            _ when key.SequenceEqual("args"u8) || key.SequenceEqual("query_string"u8) => Var.Args,
            _ when key.SequenceEqual("status"u8) => Var.Status,
            _ when key.SequenceEqual("body_bytes_sent"u8) || key.SequenceEqual("bytes_sent"u8) || key.SequenceEqual("bytes"u8) => Var.BodyBytes,
            _ when key.SequenceEqual("http_referer"u8) || key.SequenceEqual("referer"u8) => Var.Referer,
            _ when key.SequenceEqual("http_user_agent"u8) || key.SequenceEqual("user_agent"u8) => Var.UserAgent,
            _ when key.SequenceEqual("request_time"u8) => Var.RequestTime,
            _ when key.SequenceEqual("upstream_response_time"u8) => Var.UpstreamTime,
            _ => Var.Ignore,
        };
    }
}
