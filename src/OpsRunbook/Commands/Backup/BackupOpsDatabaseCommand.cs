using System.Management.Automation;
using OpsRunbook.Core.Backup;

namespace OpsRunbook.Commands;

/// <summary>pg_dump -Fc streamed to S3 (multipart, no local copy) or to a local file, with a manifest of exact row counts.</summary>
[Cmdlet(VerbsData.Backup, "OpsDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = nameof(S3))]
[OutputType(typeof(BackupResult))]
public sealed class BackupOpsDatabaseCommand : OpsEnvironmentCmdlet
{
    private const string S3 = "S3";

    /// <summary>The database to dump; default: postgres.database of the environment.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    /// <summary>Write the dump to this local file (and its manifest next to it) instead of S3.</summary>
    [Parameter(Mandatory = true, ParameterSetName = nameof(Path))]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>pg_dump --compress level, 0-9; default: pg_dump's own.</summary>
    [Parameter]
    [ValidateRange(0, 9)]
    public int? CompressionLevel { get; set; }

    protected override void Process()
    {
        var env = Env;
        var database = Database ?? env.Postgres?.Database ?? "";
        var path = Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path);
        var target = path ?? (env.S3 is { } s3 ? $"s3://{s3.Bucket}/{s3.PostgresPrefix}{database}/" : database);
        if (!ShouldProcess(target, $"Back up database {database} of {env.Name}")) return;
        var result = Run((r, ct) => DatabaseBackup.RunAsync(env, new BackupOptions { Database = Database, Path = path, CompressionLevel = CompressionLevel }, r, ct));
        WriteObject(result);
    }
}
