using System.Collections.Concurrent;

namespace OpsRunbook.Core.Security;

/// <summary>
/// Defence in depth: every secret value the config resolves is registered here, and every line of
/// text the cmdlet layer writes (errors, warnings, verbose, debug) passes through <see cref="Scrub"/>.
/// Secrets are kept out of messages in the first place; this catches what a library might echo.
/// </summary>
public static class SecretScrubber
{
    public const string Mask = "********";
    private static readonly ConcurrentDictionary<string, byte> Values = new(StringComparer.Ordinal);

    /// <summary>Values shorter than 4 characters are not registered: masking them would garble text.</summary>
    public static void Register(string? value)
    {
        if (!string.IsNullOrEmpty(value) && value.Length >= 4) Values.TryAdd(value, 0);
    }

    public static string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text) || Values.IsEmpty) return text ?? string.Empty;
        foreach (var v in Values.Keys.OrderByDescending(k => k.Length))
        {
            if (text.Contains(v, StringComparison.Ordinal)) text = text.Replace(v, Mask, StringComparison.Ordinal);
        }
        return text;
    }
}
