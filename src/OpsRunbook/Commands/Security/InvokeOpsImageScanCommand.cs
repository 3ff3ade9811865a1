using System.Management.Automation;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Commands;

/// <summary>
/// The Security Audit's image scan: runs `trivy image --format json` on an image (bounded by -Timeout), or reads a saved trivy
/// JSON report; one record per vulnerability.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OpsImageScan", DefaultParameterSetName = nameof(Image), SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ImageVulnerability))]
public sealed class InvokeOpsImageScanCommand : OpsCmdlet
{
    /// <summary>The image to scan with trivy (name:tag, or a digest).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = nameof(Image), ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(Position = 0, ParameterSetName = nameof(ReportPath), ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Image { get; set; }

    /// <summary>A saved report of `trivy image --format json` to read instead of running trivy.</summary>
    [Parameter(Mandatory = true, ParameterSetName = nameof(ReportPath))]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string ReportPath { get; set; } = "";

    /// <summary>Only these severities (trivy's --severity).</summary>
    [Parameter]
    public VulnerabilitySeverity[]? Severity { get; set; }

    /// <summary>The bound on one trivy run (its database download included).</summary>
    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    protected override void Process()
    {
        if (ParameterSetName == nameof(ReportPath))
        {
            var path = GetUnresolvedProviderPathFromPSPath(ReportPath);
            var rows = ImageScan.ReadReport(path, Severity);
            if (Image is { Length: > 0 } && rows.Count > 0 && !string.Equals(rows[0].Image, Image, StringComparison.OrdinalIgnoreCase))
                Warning($"The report {path} is of image '{rows[0].Image}', not '{Image}'.");
            WriteObject(rows, enumerateCollection: true);
            return;
        }
        // Running trivy downloads its database and pulls the image: -WhatIf names the command and runs nothing.
        if (!ShouldProcess(Image!, "Scan with trivy image --format json")) return;
        WriteObject(Run((r, ct) => ImageScan.ScanAsync(Image!, Severity, Timeout, r, ct)), enumerateCollection: true);
    }
}
