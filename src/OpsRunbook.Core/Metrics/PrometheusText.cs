using System.Globalization;
using System.Text;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Metrics;

/// <summary>One sample of the Prometheus text format: name{labels} value [timestamp ms].</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, long? TimestampMs)
{
    public string Label(string name) => Labels.TryGetValue(name, out var v) ? v : "";
}

/// <summary>A metric family: its # TYPE and # HELP, and its samples (for a histogram: _bucket, _sum and _count).</summary>
public sealed record PrometheusFamily(string Name, string Type, string? Help, IReadOnlyList<PrometheusSample> Samples);

/// <summary>
/// Parser of the Prometheus text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/):
/// # HELP / # TYPE lines, other comments skipped, label values with \\, \" and \n escapes, +Inf/-Inf/NaN values and
/// optional millisecond timestamps. Samples whose name is the family name plus _bucket, _sum, _count (histogram,
/// summary) or _total belong to that family. A malformed line throws MetricsParseFailed naming its line number.
/// </summary>
public static class PrometheusText
{
    public static IReadOnlyList<PrometheusFamily> Parse(string text, string? source = null)
    {
        var families = new List<(string Name, string Type, string? Help, List<PrometheusSample> Samples)>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        int Family(string name)
        {
            if (!byName.TryGetValue(name, out var i))
            {
                i = families.Count;
                families.Add((name, "untyped", null, new List<PrometheusSample>()));
                byName[name] = i;
            }
            return i;
        }

        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r').Trim(' ', '\t');
            if (line.Length == 0) continue;
            if (line[0] == '#')
            {
                var parts = line.Substring(1).TrimStart().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && parts[0] == "TYPE")
                {
                    var i = Family(parts[1]);
                    families[i] = families[i] with { Type = parts.Length > 2 ? parts[2].Trim() : "untyped" };
                }
                else if (parts.Length >= 2 && parts[0] == "HELP")
                {
                    var i = Family(parts[1]);
                    families[i] = families[i] with { Help = parts.Length > 2 ? Unescape(parts[2], help: true) : "" };
                }
                continue;
            }
            var sample = ParseSample(line, lineNo, source);
            families[Family(FamilyOf(sample.Name, byName, families))].Samples.Add(sample);
        }
        return families.Where(f => f.Samples.Count > 0 || f.Type != "untyped")
            .Select(f => new PrometheusFamily(f.Name, f.Type, f.Help, f.Samples)).ToList();
    }

    private static string FamilyOf(string sample, Dictionary<string, int> byName, List<(string Name, string Type, string? Help, List<PrometheusSample> Samples)> families)
    {
        if (byName.ContainsKey(sample)) return sample;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count", "_total", "_created" })
        {
            if (!sample.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var baseName = sample[..^suffix.Length];
            if (byName.TryGetValue(baseName, out var i) && families[i].Type is "histogram" or "summary" or "counter" or "gaugehistogram") return baseName;
        }
        return sample;
    }

    private static PrometheusSample ParseSample(string line, int lineNo, string? source)
    {
        OpsException Bad(string why) => new(ErrorIds.MetricsParseFailed,
            $"{source ?? "Metrics text"} line {lineNo} is not in the Prometheus text format ({why}): {Truncate(line)}", source,
            "Check that the URL serves Prometheus metrics (text/plain; version=0.0.4).");
        var p = 0;
        while (p < line.Length && (char.IsLetterOrDigit(line[p]) || line[p] is '_' or ':')) p++;
        if (p == 0 || char.IsDigit(line[0])) throw Bad("no metric name");
        var name = line[..p];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (p < line.Length && line[p] == '{')
        {
            p++;
            while (true)
            {
                while (p < line.Length && line[p] is ' ' or '\t' or ',') p++;
                if (p >= line.Length) throw Bad("unterminated label set");
                if (line[p] == '}') { p++; break; }
                var start = p;
                while (p < line.Length && (char.IsLetterOrDigit(line[p]) || line[p] == '_')) p++;
                var label = line[start..p];
                while (p < line.Length && line[p] is ' ' or '\t') p++;
                if (label.Length == 0 || p >= line.Length || line[p] != '=') throw Bad("label without '='");
                p++;
                while (p < line.Length && line[p] is ' ' or '\t') p++;
                if (p >= line.Length || line[p] != '"') throw Bad("label value not quoted");
                p++;
                var value = new StringBuilder();
                while (true)
                {
                    if (p >= line.Length) throw Bad("unterminated label value");
                    var c = line[p++];
                    if (c == '"') break;
                    if (c == '\\')
                    {
                        if (p >= line.Length) throw Bad("unterminated escape");
                        var e = line[p++];
                        value.Append(e switch { 'n' => '\n', '\\' => '\\', '"' => '"', _ => throw Bad($"unknown escape \\{e}") });
                    }
                    else value.Append(c);
                }
                labels[label] = value.ToString();
            }
        }
        var rest = line[p..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is < 1 or > 2) throw Bad("expected a value and an optional timestamp");
        if (!TryNumber(rest[0], out var v)) throw Bad($"'{rest[0]}' is not a number");
        long? ts = null;
        if (rest.Length == 2)
        {
            if (!long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t)) throw Bad($"'{rest[1]}' is not a timestamp");
            ts = t;
        }
        return new PrometheusSample(name, labels, v, ts);
    }

    public static bool TryNumber(string s, out double v)
    {
        switch (s)
        {
            case "+Inf" or "Inf" or "+inf" or "inf": v = double.PositiveInfinity; return true;
            case "-Inf" or "-inf": v = double.NegativeInfinity; return true;
            case "NaN" or "nan": v = double.NaN; return true;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
    }

    private static string Unescape(string s, bool help)
    {
        if (!s.Contains('\\')) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length && (s[i + 1] is 'n' or '\\' || (!help && s[i + 1] == '"')))
            {
                sb.Append(s[i + 1] == 'n' ? '\n' : s[i + 1]);
                i++;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }

    private static string Truncate(string s) => s.Length <= 120 ? s : s[..117] + "...";
}

/// <summary>PromQL's histogram_quantile for classic histograms, with the same linear interpolation (Prometheus 2.x bucketQuantile).</summary>
public static class HistogramQuantile
{
    /// <summary>
    /// The q-quantile of cumulative buckets (upper bound le, cumulative count). NaN without a +Inf bucket, with fewer than
    /// two buckets or no observations; the upper bound of the last finite bucket when the rank falls in +Inf; the first
    /// bucket's bound when it is &lt;= 0 and the rank falls in it; otherwise linear interpolation inside the bucket
    /// (the first bucket starts at 0). Buckets with the same bound are added; counts are made monotonic as PromQL does.
    /// </summary>
    public static double Estimate(double q, IEnumerable<(double UpperBound, double Count)> buckets)
    {
        if (double.IsNaN(q)) return double.NaN;
        if (q < 0) return double.NegativeInfinity;
        if (q > 1) return double.PositiveInfinity;
        var b = buckets.GroupBy(x => x.UpperBound).Select(g => (UpperBound: g.Key, Count: g.Sum(x => x.Count)))
            .OrderBy(x => x.UpperBound).ToList();
        if (b.Count == 0 || !double.IsPositiveInfinity(b[^1].UpperBound)) return double.NaN;
        for (var i = 1; i < b.Count; i++)
            if (b[i].Count < b[i - 1].Count) b[i] = (b[i].UpperBound, b[i - 1].Count);
        if (b.Count < 2) return double.NaN;
        var observations = b[^1].Count;
        if (observations == 0 || double.IsNaN(observations)) return double.NaN;
        var rank = q * observations;
        var idx = 0;
        while (idx < b.Count - 1 && !(b[idx].Count >= rank)) idx++;
        if (idx == b.Count - 1) return b[^2].UpperBound;
        if (idx == 0 && b[0].UpperBound <= 0) return b[0].UpperBound;
        double start = 0, end = b[idx].UpperBound, count = b[idx].Count;
        if (idx > 0)
        {
            start = b[idx - 1].UpperBound;
            count -= b[idx - 1].Count;
            rank -= b[idx - 1].Count;
        }
        return start + (end - start) * (rank / count);
    }
}
