using System.Management.Automation;
using OpsRunbook.Core.Backup;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Commands;

/// <summary>Removes backups (dump and manifest together): by key, or by retention (older than N days, keeping the newest K good ones).</summary>
[Cmdlet(VerbsCommon.Remove, "OpsBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = nameof(Retention))]
[OutputType(typeof(BackupRemoval))]
public sealed class RemoveOpsBackupCommand : OpsEnvironmentCmdlet
{
    private const string Retention = "Retention";

    /// <summary>The dump's key (from Get-OpsBackup).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = nameof(Key))]
    [ValidateNotNullOrEmpty]
    public string[] Key { get; set; } = [];

    /// <summary>Remove backups older than this many days.</summary>
    [Parameter(Mandatory = true, ParameterSetName = Retention)]
    [ValidateRange(0, 36500)]
    public double OlderThanDays { get; set; }

    /// <summary>Always keep this many of the newest good backups (with a matching manifest) per database.</summary>
    [Parameter(ParameterSetName = Retention)]
    [ValidateRange(0, 10000)]
    public int KeepLatest { get; set; } = 1;

    /// <summary>Only this database's backups.</summary>
    [Parameter(ParameterSetName = Retention)]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    /// <summary>Return a BackupRemoval record for every backup considered (kept ones included).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        var env = Env;
        using var store = new BackupStore(env);
        if (ParameterSetName == nameof(Key))
        {
            foreach (var key in Key)
            {
                BackupInfo info;
                try { info = Run((r, ct) => store.GetAsync(key, r, ct)); }
                catch (OpsException e) { WriteOpsError(e); continue; }
                if (!ShouldProcess($"s3://{store.Bucket}/{key}", "Remove backup (dump and manifest)")) continue;
                try { Run((r, ct) => store.DeleteAsync(key, ct)); }
                catch (OpsException e) { WriteOpsError(e); continue; }
                if (PassThru) WriteObject(new BackupRemoval { Key = key, Database = info.Database, Time = info.Time, SizeBytes = info.SizeBytes, ManifestKey = info.ManifestKey, Removed = true, Reason = "named" });
            }
            return;
        }
        var backups = Run((r, ct) => store.ListAsync(new BackupListOptions { Database = Database }, r, ct));
        var plan = BackupCatalog.PlanRetention(backups, TimeSpan.FromDays(OlderThanDays), KeepLatest, env.Backup.MinimumSizeBytes);
        foreach (var p in plan)
        {
            var record = p;
            if (p.Removed)
            {
                var removed = false;
                if (ShouldProcess($"s3://{store.Bucket}/{p.Key}", $"Remove backup (dump and manifest): {p.Reason}"))
                {
                    try { Run((r, ct) => store.DeleteAsync(p.Key, ct)); removed = true; }
                    catch (OpsException e) { WriteOpsError(e); }
                }
                record = new BackupRemoval { Key = p.Key, Database = p.Database, Time = p.Time, SizeBytes = p.SizeBytes, ManifestKey = p.ManifestKey, Removed = removed, Reason = removed ? p.Reason : p.Reason + " (not removed)" };
            }
            else
            {
                WriteVerbose($"Keeping {p.Key}: {p.Reason}.");
            }
            if (PassThru) WriteObject(record);
        }
    }
}
