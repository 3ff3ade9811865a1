using System.Globalization;

namespace OpsRunbook.Core.Text;

/// <summary>Friendly byte counts for default views (objects keep raw bytes). Binary units, as df -h.</summary>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Format(long bytes) => Format((double)bytes);

    public static string Format(double bytes)
    {
        var sign = bytes < 0 ? "-" : "";
        var v = Math.Abs(bytes);
        var u = 0;
        while (v >= 1024 && u < Units.Length - 1) { v /= 1024; u++; }
        return u == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{v:0} B")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{v:0.0} {Units[u]}");
    }
}
