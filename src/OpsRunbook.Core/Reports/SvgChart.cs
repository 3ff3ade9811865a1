using System.Globalization;
using System.Net;
using System.Text;

namespace OpsRunbook.Core.Reports;

/// <summary>
/// A small SVG writer for the reports: a bar chart (one rect.bar per value, an optional dashed target line) and a line
/// chart (one polyline.series, one circle.point per value). No script, no external reference: the SVG is inline in the page.
/// </summary>
public static class SvgChart
{
    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);

    public static string Bars(string title, IReadOnlyList<(string Label, double Value)> bars, string unit, double? target = null, int width = 640, int height = 260)
    {
        const int left = 56, right = 16, top = 28, bottom = 64;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart bars\" role=\"img\" aria-label=\"{E(title)}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        sb.Append($"<text x=\"{left}\" y=\"18\" class=\"title\">{E(title)}</text>");
        var max = Math.Max(bars.Count == 0 ? 0 : bars.Max(b => b.Value), target ?? 0);
        if (max <= 0) max = 1;
        max *= 1.1;
        var plotW = width - left - right; var plotH = height - top - bottom;
        sb.Append($"<line x1=\"{left}\" y1=\"{top + plotH}\" x2=\"{left + plotW}\" y2=\"{top + plotH}\" class=\"axis\"/>");
        sb.Append($"<text x=\"{left - 6}\" y=\"{top + 4}\" class=\"tick\" text-anchor=\"end\">{N(max)}</text>");
        sb.Append($"<text x=\"{left - 6}\" y=\"{top + plotH}\" class=\"tick\" text-anchor=\"end\">0</text>");
        var slot = bars.Count == 0 ? plotW : (double)plotW / bars.Count;
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var h = Math.Max(0, value) / max * plotH;
            var x = left + i * slot + slot * 0.15;
            var over = target is { } t && value > t;
            sb.Append($"<rect class=\"bar{(over ? " over" : "")}\" data-label=\"{E(label)}\" data-value=\"{N(value)}\" x=\"{N(x)}\" y=\"{N(top + plotH - h)}\" width=\"{N(slot * 0.7)}\" height=\"{N(h)}\"><title>{E(label)}: {N(value)} {E(unit)}</title></rect>");
            sb.Append($"<text x=\"{N(x + slot * 0.35)}\" y=\"{N(top + plotH - h - 4)}\" class=\"value\" text-anchor=\"middle\">{N(value)}</text>");
            sb.Append($"<text x=\"{N(x + slot * 0.35)}\" y=\"{top + plotH + 16}\" class=\"label\" text-anchor=\"middle\">{E(Short(label))}</text>");
        }
        if (target is { } tg)
        {
            var y = top + plotH - tg / max * plotH;
            sb.Append($"<line class=\"target\" x1=\"{left}\" y1=\"{N(y)}\" x2=\"{left + plotW}\" y2=\"{N(y)}\"/><text x=\"{left + plotW}\" y=\"{N(y - 4)}\" class=\"tick\" text-anchor=\"end\">target {N(tg)} {E(unit)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    public static string Line(string title, IReadOnlyList<(DateTimeOffset Time, double Value)> points, string unit, int width = 640, int height = 220)
    {
        const int left = 56, right = 16, top = 28, bottom = 36;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart line\" role=\"img\" aria-label=\"{E(title)}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        sb.Append($"<text x=\"{left}\" y=\"18\" class=\"title\">{E(title)}</text>");
        var plotW = width - left - right; var plotH = height - top - bottom;
        sb.Append($"<line x1=\"{left}\" y1=\"{top + plotH}\" x2=\"{left + plotW}\" y2=\"{top + plotH}\" class=\"axis\"/>");
        if (points.Count > 0)
        {
            var max = Math.Max(1, points.Max(p => p.Value)) * 1.1;
            var t0 = points.Min(p => p.Time); var t1 = points.Max(p => p.Time);
            var span = Math.Max(1, (t1 - t0).TotalSeconds);
            var xy = points.OrderBy(p => p.Time).Select(p => (X: left + (points.Count == 1 ? plotW / 2.0 : (p.Time - t0).TotalSeconds / span * plotW), Y: top + plotH - p.Value / max * plotH, p)).ToList();
            sb.Append($"<polyline class=\"series\" fill=\"none\" points=\"{string.Join(' ', xy.Select(q => $"{N(q.X)},{N(q.Y)}"))}\"/>");
            foreach (var q in xy)
                sb.Append($"<circle class=\"point\" cx=\"{N(q.X)}\" cy=\"{N(q.Y)}\" r=\"2.5\" data-value=\"{N(q.p.Value)}\"><title>{q.p.Time:yyyy-MM-dd HH:mm}: {N(q.p.Value)} {E(unit)}</title></circle>");
            sb.Append($"<text x=\"{left - 6}\" y=\"{top + 4}\" class=\"tick\" text-anchor=\"end\">{N(max)}</text>");
            sb.Append($"<text x=\"{left}\" y=\"{height - 12}\" class=\"tick\">{t0:MM-dd HH:mm}</text><text x=\"{left + plotW}\" y=\"{height - 12}\" class=\"tick\" text-anchor=\"end\">{t1:MM-dd HH:mm}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Short(string s) => s.Length <= 18 ? s : s[..17] + "…";
}
