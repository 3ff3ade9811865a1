using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>
/// Start-OpsMaintenance, the change, and Stop-OpsMaintenance in try/finally: Ctrl+C or an exception in the change
/// still resumes the service (workers started, flag removed, window closed).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OpsMaintenance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MaintenanceResult))]
public sealed class InvokeOpsMaintenanceCommand : OpsEnvironmentCmdlet
{
    /// <summary>Why: shown by Get-OpsMaintenance and written into the flag.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = "";

    /// <summary>The change to make while the site is in maintenance mode. Its output is passed on.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    /// <summary>The planned length; Get-OpsHealth warns once the window is past it.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long resuming (smoke tests, workers, flag, window) may take once the change ends, however it ends.</summary>
    public static TimeSpan ResumeBound { get; set; } = TimeSpan.FromMinutes(5);

    protected override void Process()
    {
        var env = Env;
        if (!ShouldProcess(env.Name, $"Open a maintenance window, run the change, then close it ({Reason})")) return;
        var start = Run((r, ct) => Maintenance.StartAsync(env, new MaintenanceOptions { Reason = Reason, Duration = Duration }, r, ct));
        WriteObject(start);
        if (!start.Succeeded)
            throw new OpsException(ErrorIds.MaintenanceStepFailed, start.Message + " The change was not run.", env.Name, "The steps show what failed and what was undone.");
        MaintenanceResult? stop = null;
        try
        {
            foreach (var item in ScriptBlock.Invoke()) WriteObject(item);
        }
        finally
        {
            // The cmdlet's own token is cancelled by Ctrl+C: resuming gets a token of its own, bounded.
            using var cts = new CancellationTokenSource(ResumeBound);
            stop = Maintenance.StopAsync(env, new MaintenanceOptions { Force = true }, NullReporter.Allow, cts.Token).GetAwaiter().GetResult();
            try { WriteObject(stop); }
            catch (PipelineStoppedException) { }
        }
        if (!stop.Succeeded)
            WriteOpsError(new OpsException(ErrorIds.MaintenanceStepFailed, stop.Message, env.Name, "Resume what is left by hand: the steps show what failed."));
    }
}
