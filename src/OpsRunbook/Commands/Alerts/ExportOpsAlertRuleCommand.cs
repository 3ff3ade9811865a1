using System.Management.Automation;
using OpsRunbook.Core.Alerts;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Metrics;

namespace OpsRunbook.Commands;

/// <summary>Writes a Prometheus rules file: the runbook's three alerts, KPI and SLI recording rules, multi-window burn-rate alerts.</summary>
[Cmdlet(VerbsData.Export, "OpsAlertRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportOpsAlertRuleCommand : OpsEnvironmentCmdlet
{
    /// <summary>The rules file to write (rules.yml).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("PSPath")]
    public string Path { get; set; } = "";

    /// <summary>The API's request-duration histogram. Default: kpi.metric.</summary>
    [Parameter]
    [ValidatePattern("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    public string? Metric { get; set; }

    /// <summary>Label matchers that select the API's series, e.g. job="api".</summary>
    [Parameter]
    public string Selector { get; set; } = "";

    /// <summary>Write the file even when it exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Return the file written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void End()
    {
        var env = EnvOrNull();
        var kpi = env?.Kpi ?? new KpiConfig();
        var text = AlertRuleWriter.Write(new AlertRuleWriter.Options
        {
            Kpi = kpi, Thresholds = env?.Thresholds ?? new ThresholdsConfig(), Metric = Metric ?? kpi.Metric, Selector = Selector,
        });
        var full = GetUnresolvedProviderPathFromPSPath(Path);
        if (File.Exists(full) && !Force)
            throw new OpsException(ErrorIds.RulesFileExists, $"{full} exists.", full, "Add -Force to overwrite it.");
        if (!ShouldProcess(full, "Write Prometheus rules")) return;
        PrometheusWriter.WriteAtomic(full, text);
        if (PassThru) WriteObject(SessionState.InvokeProvider.Item.Get([full], force: false, literalPath: true), enumerateCollection: true);
    }

    private EnvironmentConfig? EnvOrNull()
    {
        try { return Env; }
        catch (OpsException e) when (e.Id == ErrorIds.ConfigFileNotFound && ConfigPath is null && Environment is null) { return null; }
    }
}
