using System.Management.Automation;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Commands;

/// <summary>
/// The Security Audit's dependency audit: runs `npm audit --json` in an app directory (bounded by -Timeout), or reads a saved
/// report of it; one record per advisory.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OpsDependencyAudit", DefaultParameterSetName = nameof(Path), SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DependencyAdvisory))]
public sealed class InvokeOpsDependencyAuditCommand : OpsCmdlet
{
    /// <summary>The app directory: its package.json and package-lock.json. Default: the current directory.</summary>
    [Parameter(Position = 0, ParameterSetName = nameof(Path), ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>A saved report of `npm audit --json` to read instead of running npm.</summary>
    [Parameter(Mandatory = true, ParameterSetName = nameof(ReportPath))]
    [ValidateNotNullOrEmpty]
    public string ReportPath { get; set; } = "";

    /// <summary>Only these severities.</summary>
    [Parameter]
    public NpmSeverity[]? Severity { get; set; }

    /// <summary>Leave out the devDependencies (npm audit --omit=dev).</summary>
    [Parameter(ParameterSetName = nameof(Path))]
    public SwitchParameter ProductionOnly { get; set; }

    /// <summary>The registry to ask (npm's --registry); default: npm's own configuration.</summary>
    [Parameter(ParameterSetName = nameof(Path))]
    [ValidateNotNullOrEmpty]
    public string? Registry { get; set; }

    /// <summary>The bound on one npm audit run.</summary>
    [Parameter(ParameterSetName = nameof(Path))]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    protected override void Process()
    {
        if (ParameterSetName == nameof(ReportPath))
        {
            WriteObject(DependencyAudit.ReadReport(GetUnresolvedProviderPathFromPSPath(ReportPath), Severity), enumerateCollection: true);
            return;
        }
        var dir = GetUnresolvedProviderPathFromPSPath(Path ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath);
        // npm audit sends the lockfile's package names and versions to the registry: -WhatIf names the run and runs nothing.
        if (!ShouldProcess(dir, "Run npm audit --json (sends the dependency names and versions to the registry)")) return;
        var options = new DependencyAudit.Options { ProductionOnly = ProductionOnly, Registry = Registry, Timeout = Timeout };
        WriteObject(Run((r, ct) => DependencyAudit.AuditAsync(dir, options, Severity, r, ct)), enumerateCollection: true);
    }
}
