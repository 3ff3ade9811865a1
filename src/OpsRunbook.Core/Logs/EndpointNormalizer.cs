using System.Text.RegularExpressions;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Logs;

/// <summary>
/// Turns a request target into an endpoint: the query string and fragment are dropped, and a path segment that is
/// a number, a UUID or a long hex id (16+ hex digits with a digit in them) becomes ":id". So
/// "/api/media/123?x=1" and "/api/media/456" are both "/api/media/:id". Extra rules (logs.endpointRules: a regex
/// and its replacement) run on the result.
/// </summary>
public sealed class EndpointNormalizer
{
    private readonly (Regex Pattern, string Replacement)[] _rules;
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);

    public EndpointNormalizer(IEnumerable<EndpointRule>? rules = null)
    {
        _rules = (rules ?? []).Select(r =>
        {
            try { return (new Regex(r.Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1)), r.Replacement); }
            catch (ArgumentException e)
            {
                throw new OpsException(ErrorIds.ConfigLogFormatInvalid, $"logs.endpointRules: '{r.Pattern}' is not a valid regex: {e.Message}", r.Pattern);
            }
        }).ToArray();
    }

    public bool HasRules => _rules.Length > 0;

    /// <summary>Writes the normalised path of <paramref name="uri"/> into <paramref name="dest"/>; returns its length (0 if it does not fit).</summary>
    public static int NormalizePath(ReadOnlySpan<byte> uri, Span<char> dest)
    {
        var q = uri.IndexOfAny((byte)'?', (byte)'#');
        if (q >= 0) uri = uri[..q];
        // An absolute-form target ("http://host/path") keeps only its path.
        if (uri.Length > 8 && uri[0] != (byte)'/' && uri.IndexOf("://"u8) is var scheme and > 0)
        {
            var slash = uri[(scheme + 3)..].IndexOf((byte)'/');
            uri = slash < 0 ? "/"u8 : uri[(scheme + 3 + slash)..];
        }
        var len = 0;
        while (true)
        {
            var slash = uri.IndexOf((byte)'/');
            var seg = slash < 0 ? uri : uri[..slash];
            if (IsId(seg))
            {
                if (len + 3 > dest.Length) return 0;
                dest[len++] = ':'; dest[len++] = 'i'; dest[len++] = 'd';
            }
            else
            {
                if (len + seg.Length > dest.Length) return 0;
                for (var i = 0; i < seg.Length; i++) dest[len++] = seg[i] < 128 ? (char)seg[i] : '\uFFFD';
            }
            if (slash < 0) break;
            if (len + 1 > dest.Length) return 0;
            dest[len++] = '/';
            uri = uri[(slash + 1)..];
        }
        return len;
    }

    /// <summary>A number, a UUID, or 16+ hex digits with at least one digit.</summary>
    public static bool IsId(ReadOnlySpan<byte> s)
    {
        if (s.Length == 0) return false;
        var digits = 0; var hex = 0;
        foreach (var b in s)
        {
            if ((uint)(b - '0') < 10) { digits++; hex++; }
            else if ((uint)((b | 0x20) - 'a') < 6) hex++;
        }
        if (digits == s.Length) return true;
        if (s.Length == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' && hex == 32) return true;
        return s.Length >= 16 && hex == s.Length && digits > 0;
    }

    /// <summary>Applies the configured rules to a normalised path (cached; the cache is bounded).</summary>
    public string ApplyRules(string path)
    {
        if (_rules.Length == 0) return path;
        if (_cache.TryGetValue(path, out var done)) return done;
        var r = path;
        foreach (var (pattern, replacement) in _rules) r = pattern.Replace(r, replacement);
        if (_cache.Count > 100_000) _cache.Clear();
        _cache[path] = r;
        return r;
    }

    /// <summary>The endpoint of a method and a URI, as a string ("GET /api/media/:id").</summary>
    public string Endpoint(ReadOnlySpan<byte> method, ReadOnlySpan<byte> uri)
    {
        Span<char> buf = stackalloc char[2048];
        var n = NormalizePath(uri, buf);
        var path = n == 0 && uri.Length > 0 ? System.Text.Encoding.UTF8.GetString(uri) : new string(buf[..n]);
        path = ApplyRules(path);
        return method.IsEmpty ? path : System.Text.Encoding.ASCII.GetString(method) + " " + path;
    }
}
