using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpsRunbook.Core.Payments;

/// <summary>
/// AWS Signature Version 4 for one JSON-protocol POST (the AWSSDK.CostExplorer package is not served here; AWSSDK.Core's signer is internal).
/// Checked against AWS's published example (xUnit) and against the npm aws4 signer in the Cost Explorer stand-in.
/// </summary>
public static class SigV4
{
    /// <summary>The Authorization header value for a request signed over exactly <paramref name="headers"/> (lower-case names: host, content-type, x-amz-date, x-amz-target).</summary>
    public static string Authorization(string method, Uri uri, IReadOnlyDictionary<string, string> headers, byte[] body,
        string region, string service, string accessKey, string secretKey, DateTimeOffset at)
    {
        var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var day = amzDate[..8];
        var canonicalHeaders = headers
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(' ', h.Value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))))
            .OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        var signedHeaders = string.Join(';', canonicalHeaders.Select(h => h.Name));
        var canonicalRequest = string.Join('\n',
            method,
            string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath,
            CanonicalQuery(uri.Query),
            string.Concat(canonicalHeaders.Select(h => $"{h.Name}:{h.Value}\n")),
            signedHeaders,
            Hex(SHA256.HashData(body)));
        var scope = $"{day}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), day), region), service), "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));
        return $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query) || query == "?") return "";
        return string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => { var i = p.IndexOf('='); return i < 0 ? (K: p, V: "") : (K: p[..i], V: p[(i + 1)..]); })
            .Select(kv => (K: Uri.EscapeDataString(Uri.UnescapeDataString(kv.K)), V: Uri.EscapeDataString(Uri.UnescapeDataString(kv.V))))
            .OrderBy(kv => kv.K, StringComparer.Ordinal).ThenBy(kv => kv.V, StringComparer.Ordinal)
            .Select(kv => $"{kv.K}={kv.V}"));
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
    private static string Hex(byte[] b) => Convert.ToHexStringLower(b);
}
