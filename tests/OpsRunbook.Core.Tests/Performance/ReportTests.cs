using System.Text.RegularExpressions;
using System.Xml.Linq;
using OpsRunbook.Core.Metrics;
using OpsRunbook.Core.Performance;
using OpsRunbook.Core.Reports;

namespace OpsRunbook.Core.Tests.Performance;

public sealed class ReportTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void BarsAreOneRectPerValueScaledToTheLargest()
    {
        var x = XElement.Parse(SvgChart.Bars("p95 <ms> & more", [("GET /a", 100), ("GET /b", 600), ("POST /c", 0)], "ms", target: 500));
        var bars = x.Descendants(Svg + "rect").Where(r => ((string?)r.Attribute("class"))!.StartsWith("bar")).ToList();
        Assert.Equal(3, bars.Count);
        Assert.Equal(["GET /a", "GET /b", "POST /c"], bars.Select(b => (string)b.Attribute("data-label")!));
        var h = bars.Select(b => double.Parse((string)b.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(6, h[1] / h[0], 2); // heights are written to 0.01
        Assert.Equal(0, h[2]);
        Assert.Equal("bar over", (string)bars[1].Attribute("class")!);   // above the target
        Assert.Single(x.Descendants(Svg + "line"), l => (string?)l.Attribute("class") == "target");
        Assert.Equal("p95 <ms> & more", x.Descendants(Svg + "text").First().Value);
    }

    [Fact]
    public void LineHasOnePointPerValueInTimeOrder()
    {
        var t = DateTimeOffset.Parse("2026-12-01T00:00:00Z");
        var x = XElement.Parse(SvgChart.Line("Requests per hour", [(t.AddHours(2), 30), (t, 10), (t.AddHours(1), 20)], "requests"));
        var pts = x.Descendants(Svg + "circle").ToList();
        Assert.Equal(3, pts.Count);
        Assert.Equal(["10", "20", "30"], pts.Select(p => (string)p.Attribute("data-value")!));
        Assert.Equal(3, ((string)x.Descendants(Svg + "polyline").Single().Attribute("points")!).Split(' ').Length);
    }

    [Fact]
    public void HtmlIsSelfContainedAndMarkdownHasTheSameTables()
    {
        var kpis = new[]
        {
            KpiReport.FromGoodShare(KpiReport.Uptime, 0.9995, 99.9, "s", "m", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)),
            KpiReport.Unknown(KpiReport.CostPerUser, 0.1, "$", "the cost | report", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)),
        };
        var r = new OpsReport(ReportKind.Kpi, "KPI report", "production", DateTimeOffset.UnixEpoch.AddDays(1), DateTimeOffset.UnixEpoch, [ReportBuilder.KpiSection(kpis)]);
        var html = ReportRenderer.Html(r);
        Assert.DoesNotMatch(new Regex("<script|<link|src=|https?://(?!www\\.w3\\.org/2000/svg)", RegexOptions.IgnoreCase), html);
        Assert.Contains("Content-Security-Policy", html);
        Assert.Single(Regex.Matches(html, "<rect class=\"bar")); // only the KPI with a budget
        var md = ReportRenderer.Markdown(r);
        Assert.Contains("| KPI | Value | Target | Status | Budget left | Burn rate | Source |", md);
        Assert.Contains("| Uptime | 99.95 % | 99.9 % | Met | 50 % | 0.5x | s |", md);
        Assert.Contains("the cost \\| report", md);
    }

    [Fact]
    public void LatencySectionDrawsOneBarPerTimedEndpoint()
    {
        var rows = new[]
        {
            new ApiMetric { Route = "/a", Method = "GET", Requests = 10, P95Ms = 120, Source = "x" },
            new ApiMetric { Route = "/b", Method = "GET", Requests = 0 },
        };
        var s = ReportBuilder.LatencySection(rows, 500);
        Assert.Single(Regex.Matches(s.Svg!, "<rect class=\"bar"));
        Assert.Equal(2, s.Rows.Count);
    }

    [Fact]
    public void MonthlyCostChartsServicesTiersAndCostPerUserAgainstTheTarget()
    {
        var services = new List<OpsRunbook.Core.Payments.ServiceCost>
        {
            new() { Month = "2026-11", Service = "openai", ApiCalls = 300, TotalCost = 6.00m, AvgCost = 0.02m, ActiveUsers = 40 },
            new() { Month = "2026-11", Service = "s3", ApiCalls = 100, TotalCost = 2.00m, AvgCost = 0.02m, ActiveUsers = 40 },
        };
        var tiers = new List<OpsRunbook.Core.Payments.TierCost>
        {
            new() { Month = "2026-11", Tier = "pro", Users = 10, ApiCalls = 250, TotalCost = 5.00m, AvgCostPerUser = 0.5m, ActiveUsers = 40 },
            new() { Month = "2026-11", Tier = "free", Users = 30, ApiCalls = 150, TotalCost = 3.00m, AvgCostPerUser = 0.1m, ActiveUsers = 40 },
        };
        var s = ReportBuilder.CostSections("2026-11", services, tiers, 0.10);
        Assert.Equal(["Cost per service", "Cost per tier", "Cost per active user against the target"], s.Select(x => x.Title));
        Assert.Equal(2, Regex.Matches(s[0].Svg!, "<rect class=\"bar").Count);
        Assert.Equal(2, Regex.Matches(s[1].Svg!, "<rect class=\"bar").Count);
        Assert.Equal(3, Regex.Matches(s[2].Svg!, "<rect class=\"bar").Count);     // all users + one per tier
        Assert.Equal("75 %", s[0].Rows[0][4]);                                       // openai's share of $8
        // $8 over 40 active users is $0.20, over the $0.10 target.
        Assert.Equal(["40", "$8.00", "$0.20", "$0.10", "Missed"], s[2].Rows[0]);
        Assert.Contains("class=\"target\"", s[2].Svg!);
        var met = ReportBuilder.CostSections("2026-11", services, tiers, 0.25);
        Assert.Equal("Met", met[2].Rows[0][4]);
    }
}
