using System.Globalization;
using System.Text.RegularExpressions;

namespace OpsRunbook.Core.Backup;

/// <summary>
/// The key layout under s3.postgresPrefix:
/// <c>&lt;postgresPrefix&gt;&lt;database&gt;/&lt;yyyy&gt;/&lt;MM&gt;/&lt;database&gt;-&lt;yyyyMMddTHHmmssZ&gt;.dump</c>
/// and the manifest next to it with <c>.manifest.json</c> in place of <c>.dump</c>. Keys sort by time.
/// </summary>
public static partial class BackupKeys
{
    public const string DumpSuffix = ".dump";
    public const string ManifestSuffix = ".manifest.json";
    private const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static string DumpKey(string prefix, string database, DateTimeOffset time)
    {
        var t = time.ToUniversalTime();
        return $"{prefix}{database}/{t.ToString("yyyy", CultureInfo.InvariantCulture)}/{t.ToString("MM", CultureInfo.InvariantCulture)}/{database}-{t.ToString(StampFormat, CultureInfo.InvariantCulture)}{DumpSuffix}";
    }

    public static string ManifestKey(string dumpKey) =>
        dumpKey.EndsWith(DumpSuffix, StringComparison.Ordinal) ? dumpKey[..^DumpSuffix.Length] + ManifestSuffix : dumpKey + ManifestSuffix;

    /// <summary>The manifest file next to a local dump: backup.dump gives backup.manifest.json.</summary>
    public static string ManifestPath(string dumpPath) => ManifestKey(dumpPath);

    [GeneratedRegex(@"(?:^|/)(?<db>[^/]+)/\d{4}/\d{2}/\k<db>-(?<stamp>\d{8}T\d{6}Z)\.dump$")]
    private static partial Regex KeyPattern();

    /// <summary>Reads database and time back from a dump key; false for keys not in the layout.</summary>
    public static bool TryParse(string key, out string database, out DateTimeOffset time)
    {
        database = ""; time = default;
        var m = KeyPattern().Match(key);
        if (!m.Success) return false;
        if (!DateTimeOffset.TryParseExact(m.Groups["stamp"].Value, StampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)) return false;
        database = m.Groups["db"].Value;
        return true;
    }
}
