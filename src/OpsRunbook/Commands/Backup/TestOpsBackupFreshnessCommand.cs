using System.Management.Automation;
using OpsRunbook.Core.Backup;
using OpsRunbook.Core.Health.Probes;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Commands;

/// <summary>The backup freshness health check (Barman's last_backup_maximum_age and minimum size), one result per database.</summary>
[Cmdlet(VerbsDiagnostic.Test, "OpsBackupFreshness")]
[OutputType(typeof(HealthCheckResult))]
[OutputType(typeof(bool))]
public sealed class TestOpsBackupFreshnessCommand : OpsEnvironmentCmdlet
{
    /// <summary>Return $true when every database's newest backup is Healthy, $false otherwise.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void Process()
    {
        var env = Env;
        var results = Run((r, ct) => BackupFreshness.CheckAsync(env, ct));
        if (Quiet) WriteObject(results.All(x => x.Status == HealthStatus.Healthy));
        else WriteObject(results, enumerateCollection: true);
    }
}
