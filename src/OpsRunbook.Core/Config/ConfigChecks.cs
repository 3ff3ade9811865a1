using System.Globalization;

namespace OpsRunbook.Core.Config;

/// <summary>Marks a property the binder must not read from the file.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigIgnoreAttribute : Attribute { }

internal static class ConfigChecks
{
    public static void HttpUrl(ConfigValidationContext c, string key, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps))
            c.Error(key, $"'{key}' must be an absolute http(s) URL, not '{value}'.", ConfigProblemKind.BadValue);
    }

    public static bool TryParseHostPort(string value, out string host, out int port)
    {
        host = ""; port = 0;
        var i = value.LastIndexOf(':');
        if (i <= 0 || !int.TryParse(value.AsSpan(i + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535) return false;
        host = value[..i].Trim('[', ']');
        return host.Length > 0;
    }
}
