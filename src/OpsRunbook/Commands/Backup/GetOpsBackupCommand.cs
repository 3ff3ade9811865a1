using System.Management.Automation;
using OpsRunbook.Core.Backup;

namespace OpsRunbook.Commands;

/// <summary>Lists backups in S3 newest first, with their manifests; or summarises the backup and media prefixes.</summary>
[Cmdlet(VerbsCommon.Get, "OpsBackup", DefaultParameterSetName = nameof(List))]
[OutputType(typeof(BackupInfo), ParameterSetName = [nameof(List)])]
[OutputType(typeof(BackupStorageSummary), ParameterSetName = [nameof(Summary)])]
public sealed class GetOpsBackupCommand : OpsEnvironmentCmdlet
{
    private const string List = "List";

    /// <summary>Only this database's backups.</summary>
    [Parameter(Position = 0, ParameterSetName = List)]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    /// <summary>Only the newest N backups.</summary>
    [Parameter(ParameterSetName = List)]
    [ValidateRange(1, int.MaxValue)]
    public int? Latest { get; set; }

    /// <summary>Do not read the manifests (faster over many backups).</summary>
    [Parameter(ParameterSetName = List)]
    public SwitchParameter NoManifest { get; set; }

    /// <summary>Object count and bytes under s3.postgresPrefix and s3.mediaPrefix.</summary>
    [Parameter(Mandatory = true, ParameterSetName = nameof(Summary))]
    public SwitchParameter Summary { get; set; }

    /// <summary>Objects per ListObjectsV2 page (S3's maximum is 1000).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; } = 1000;

    protected override void Process()
    {
        var env = Env;
        if (Summary)
        {
            WriteObject(Run((r, ct) => BackupCatalog.SummarizeAsync(env, PageSize, ct)), enumerateCollection: true);
            return;
        }
        var options = new BackupListOptions { Database = Database, Latest = Latest, ReadManifests = !NoManifest, PageSize = PageSize };
        WriteObject(Run((r, ct) => BackupCatalog.ListAsync(env, options, r, ct)), enumerateCollection: true);
    }
}
