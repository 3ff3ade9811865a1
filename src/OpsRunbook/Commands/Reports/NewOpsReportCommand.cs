using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Metrics;
using OpsRunbook.Core.Reports;

namespace OpsRunbook.Commands;

/// <summary>Writes a report people would rather look at than read: one self-contained HTML page with inline SVG charts, or Markdown tables.</summary>
[Cmdlet(VerbsCommon.New, "OpsReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class NewOpsReportCommand : OpsEnvironmentCmdlet
{
    /// <summary>Which report.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public ReportKind Kind { get; set; }

    /// <summary>The file to write (report.html, report.md).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("PSPath")]
    public string Path { get; set; } = "";

    /// <summary>Html or Markdown. Default: Markdown for a .md path, else Html.</summary>
    [Parameter]
    public ReportFormat? Format { get; set; }

    /// <summary>The window: a time or how long ago. Default: 7d for WeeklyPerformance, 30d otherwise.</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Since { get; set; }

    /// <summary>The window's end: a time or how long ago. Default: now. MonthlyCost covers the last complete month before it.</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Until { get; set; }

    /// <summary>Bound on each source.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Replace the file when it exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void End()
    {
        var full = GetUnresolvedProviderPathFromPSPath(Path);
        var format = Format ?? (full.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || full.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase) ? ReportFormat.Markdown : ReportFormat.Html);
        if (File.Exists(full) && !Force)
            throw new OpsException(ErrorIds.ReportFileExists, $"{full} exists.", full, "Add -Force to replace it.");
        var env = Env;
        var until = Until ?? DateTimeOffset.UtcNow;
        var since = Since ?? until.AddDays(Kind == ReportKind.WeeklyPerformance ? -7 : -30);
        if (since >= until) throw new OpsException(ErrorIds.InvalidTimeWindow, $"-Since ({since:O}) is not before -Until ({until:O}).", since);
        if (!ShouldProcess(full, $"Write the {Kind} report ({format})")) return;
        var report = Run((r, ct) => ReportBuilder.BuildAsync(Kind, env, since, until, Timeout, r, ct));
        PrometheusWriter.WriteAtomic(full, format == ReportFormat.Html ? ReportRenderer.Html(report) : ReportRenderer.Markdown(report));
        WriteObject(SessionState.InvokeProvider.Item.Get([full], force: false, literalPath: true), enumerateCollection: true); // with PSPath, so it pipes into Get-Content
    }
}
