using System.Globalization;
using System.Text.RegularExpressions;

namespace OpsRunbook.Core.Text;

/// <summary>
/// The one duration syntax of OpsRunbook, in config and on the command line: a number with a unit
/// (500ms, 30s, 5m, 2h, 1d, 1.5h) or a TimeSpan (00:05:00, 1.02:00:00). Shown back as the shortest exact form (26h).
/// </summary>
public static partial class Duration
{
    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitForm();

    /// <summary>Parses 500ms, 30s, 5m, 2h, 1d, 2w or hh:mm:ss / d.hh:mm:ss. Negative durations are refused.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        var m = UnitForm().Match(t);
        if (m.Success)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            try
            {
                value = m.Groups[2].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(n), "s" => TimeSpan.FromSeconds(n), "m" => TimeSpan.FromMinutes(n),
                    "h" => TimeSpan.FromHours(n), "d" => TimeSpan.FromDays(n), _ => TimeSpan.FromDays(7 * n),
                };
            }
            catch (OverflowException) { return false; }
            return true;
        }
        return TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    /// <summary>Parses or throws FormatException with the accepted forms.</summary>
    public static TimeSpan Parse(string text) => TryParse(text, out var v) ? v
        : throw new FormatException($"'{text}' is not a duration. Use a number with a unit (30s, 5m, 2h, 1d) or hh:mm:ss (00:05:00).");

    /// <summary>For people: 20 s, 5 min, 3.5 h, 2.5 days (one decimal at most). Ages and elapsed times in messages and views.</summary>
    public static string Humanize(TimeSpan value)
    {
        if (value < TimeSpan.Zero) return "-" + Humanize(value.Negate());
        return value.TotalDays >= 2 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalDays:0.#} days")
            : value.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalHours:0.#} h")
            : value.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(value.TotalMinutes):0} min")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(value.TotalSeconds):0} s");
    }

    /// <summary>The largest exact unit: 26h, 90m, 2d, 45s, 1500ms; 0s for zero; a TimeSpan string for anything finer.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        if (value < TimeSpan.Zero) return "-" + Format(value.Negate());
        var ticks = value.Ticks;
        if (ticks % TimeSpan.TicksPerDay == 0) return $"{ticks / TimeSpan.TicksPerDay}d";
        if (ticks % TimeSpan.TicksPerHour == 0) return $"{ticks / TimeSpan.TicksPerHour}h";
        if (ticks % TimeSpan.TicksPerMinute == 0) return $"{ticks / TimeSpan.TicksPerMinute}m";
        if (ticks % TimeSpan.TicksPerSecond == 0) return $"{ticks / TimeSpan.TicksPerSecond}s";
        if (ticks % TimeSpan.TicksPerMillisecond == 0) return $"{ticks / TimeSpan.TicksPerMillisecond}ms";
        return value.ToString("c", CultureInfo.InvariantCulture);
    }
}
