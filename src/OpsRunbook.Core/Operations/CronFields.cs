using System.Globalization;
using System.Text;

namespace OpsRunbook.Core.Operations;

/// <summary>
/// A five-field cron line (minute hour day-of-month month day-of-week) expanded into the sets of values it matches,
/// as Debian's cron reads it: numbers, names (jan..dec, sun..sat), *, ranges a-b, steps */n and a-b/n, lists, and the
/// macros @hourly @daily @midnight @weekly @monthly @yearly @annually. Day 7 is Sunday.
/// A line whose day-of-month and day-of-week are both restricted is refused: cron runs it on either day, while
/// systemd's OnCalendar (and Cronos) need both, so one line cannot mean the same thing in both places.
/// </summary>
public sealed class CronFields
{
    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    private static readonly string[] SystemdDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    private CronFields(string expression, SortedSet<int>[] sets, bool domStar, bool dowStar)
    {
        Expression = expression;
        Minutes = sets[0]; Hours = sets[1]; DaysOfMonth = sets[2]; Months = sets[3]; DaysOfWeek = sets[4];
        DayOfMonthIsStar = domStar; DayOfWeekIsStar = dowStar;
    }

    /// <summary>The five fields as matched (macros expanded).</summary>
    public string Expression { get; }
    public IReadOnlySet<int> Minutes { get; }
    public IReadOnlySet<int> Hours { get; }
    public IReadOnlySet<int> DaysOfMonth { get; }
    public IReadOnlySet<int> Months { get; }
    /// <summary>0 = Sunday .. 6 = Saturday.</summary>
    public IReadOnlySet<int> DaysOfWeek { get; }
    public bool DayOfMonthIsStar { get; }
    public bool DayOfWeekIsStar { get; }

    public static CronFields Parse(string expression)
    {
        if (!TryParse(expression, out var fields, out var why))
            throw new Errors.OpsException(Errors.ErrorIds.ScheduleInvalidCron, $"'{expression}' is not a usable cron line: {why}", expression,
                "Write five fields: minute hour day-of-month month day-of-week, e.g. '0 2 * * *' for 02:00 every day.");
        return fields!;
    }

    public static bool TryParse(string expression, out CronFields? fields, out string why)
    {
        fields = null;
        var text = (expression ?? "").Trim();
        text = text.ToLowerInvariant() switch
        {
            "@hourly" => "0 * * * *",
            "@daily" or "@midnight" => "0 0 * * *",
            "@weekly" => "0 0 * * 0",
            "@monthly" => "0 0 1 * *",
            "@yearly" or "@annually" => "0 0 1 1 *",
            _ => text,
        };
        if (text.StartsWith('@')) { why = $"unknown macro '{text}' (use @hourly, @daily, @weekly, @monthly or @yearly)."; return false; }
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5) { why = $"it has {parts.Length} field(s); cron has five (minute hour day-of-month month day-of-week)."; return false; }
        (string Name, int Lo, int Hi, string[]? Names)[] specs =
        [
            ("minute", 0, 59, null), ("hour", 0, 23, null), ("day-of-month", 1, 31, null), ("month", 1, 12, MonthNames), ("day-of-week", 0, 7, DayNames),
        ];
        var sets = new SortedSet<int>[5];
        for (var i = 0; i < 5; i++)
        {
            var (name, lo, hi, names) = specs[i];
            var set = new SortedSet<int>();
            foreach (var item in parts[i].Split(','))
            {
                if (!TryItem(item, lo, hi, names, set, out var itemWhy)) { why = $"the {name} field '{parts[i]}': {itemWhy}"; return false; }
            }
            sets[i] = set;
        }
        if (sets[4].Remove(7)) sets[4].Add(0);
        var domStar = parts[2].StartsWith('*');
        var dowStar = parts[4].StartsWith('*');
        if (!domStar && !dowStar)
        {
            why = $"both day-of-month ('{parts[2]}') and day-of-week ('{parts[4]}') are restricted: cron runs it on either, systemd and Cronos only on days that match both. Make it two jobs, one for each.";
            return false;
        }
        fields = new CronFields(string.Join(' ', parts), sets, domStar, dowStar);
        why = "";
        return true;
    }

    private static bool TryItem(string item, int lo, int hi, string[]? names, SortedSet<int> set, out string why)
    {
        why = "";
        if (item.Length == 0) { why = "an empty list item."; return false; }
        var step = 1;
        var range = item;
        var slash = item.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(item.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
            { why = $"'{item[(slash + 1)..]}' is not a step (a whole number of 1 or more)."; return false; }
            range = item[..slash];
        }
        int from, to;
        if (range == "*") { from = lo; to = names == DayNames ? 6 : hi; }
        else
        {
            var dash = range.IndexOf('-');
            if (!TryValue(dash < 0 ? range : range[..dash], lo, hi, names, out from, out why)) return false;
            to = from;
            if (dash >= 0 && !TryValue(range[(dash + 1)..], lo, hi, names, out to, out why)) return false;
            if (to < from) { why = $"the range '{range}' runs backwards."; return false; }
            if (slash >= 0 && dash < 0) to = names == DayNames ? 6 : hi; // "5/10" = from 5 to the end, every 10
        }
        for (var v = from; v <= to; v += step) set.Add(v);
        return true;
    }

    private static bool TryValue(string text, int lo, int hi, string[]? names, out int value, out string why)
    {
        why = "";
        if (names is not null)
        {
            var i = Array.IndexOf(names, text);
            if (i >= 0) { value = names == MonthNames ? i + 1 : i; return true; }
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= lo && value <= hi) return true;
        why = $"'{text}' is not a value between {lo} and {hi}" + (names is null ? "." : $" or a name ({string.Join(", ", names)}).");
        return false;
    }

    /// <summary>
    /// The systemd OnCalendar expression that fires at the same times (systemd.time(7)): "[DOW ]*-MM-DD HH:MM:00",
    /// each field *, a repetition start/step running to the field's end, or a list with a..b ranges.
    /// </summary>
    public string ToOnCalendar()
    {
        var sb = new StringBuilder();
        if (DaysOfWeek.Count < 7)
            sb.Append(Compress(DaysOfWeek, 0, 6, v => SystemdDays[v], allowStep: false)).Append(' ');
        var dom = Compress(DaysOfMonth, 1, 31, Two, allowStep: true);
        sb.Append("*-").Append(Compress(Months, 1, 12, Two, allowStep: true)).Append('-').Append(dom).Append(' ')
          .Append(Compress(Hours, 0, 23, Two, allowStep: true)).Append(':').Append(Compress(Minutes, 0, 59, Two, allowStep: true)).Append(":00");
        return sb.ToString();
    }

    private static string Two(int v) => v.ToString("00", CultureInfo.InvariantCulture);

    private static string Compress(IReadOnlySet<int> set, int lo, int hi, Func<int, string> format, bool allowStep)
    {
        var values = set.Order().ToArray();
        if (values.Length == hi - lo + 1) return "*";
        if (allowStep && values.Length >= 3)
        {
            var step = values[1] - values[0];
            var progression = true;
            for (var i = 2; i < values.Length && progression; i++) progression = values[i] - values[i - 1] == step;
            // "start/step" in systemd repeats to the field's end: only usable when the set runs to it.
            if (progression && values[^1] + step > hi && step > 1) return $"{format(values[0])}/{step}";
        }
        var parts = new List<string>();
        for (var i = 0; i < values.Length;)
        {
            var j = i;
            while (j + 1 < values.Length && values[j + 1] == values[j] + 1) j++;
            if (j - i >= 2) parts.Add($"{format(values[i])}..{format(values[j])}");
            else for (var k = i; k <= j; k++) parts.Add(format(values[k]));
            i = j + 1;
        }
        return string.Join(',', parts);
    }
}
