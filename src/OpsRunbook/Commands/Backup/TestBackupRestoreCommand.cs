using System.Management.Automation;
using OpsRunbook.Core.Backup;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Commands;

/// <summary>
/// Proves a backup: checksum, pg_restore into a new scratch database, exact row counts against the
/// manifest, then drops the scratch database (also on failure and Ctrl+C). After dbatools' Test-DbaLastBackup.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "BackupRestore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = nameof(Key))]
[OutputType(typeof(BackupRestoreResult), ParameterSetName = [nameof(Key), nameof(Path)])]
[OutputType(typeof(string), ParameterSetName = [nameof(RemoveScratch)])]
public sealed class TestBackupRestoreCommand : OpsEnvironmentCmdlet
{
    /// <summary>The dump's key in S3 (binds from Get-OpsBackup).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = nameof(Key))]
    [ValidateNotNullOrEmpty]
    public string? Key { get; set; }

    /// <summary>The key's bucket (binds from Get-OpsBackup); default: s3.bucket of the environment.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = nameof(Key))]
    public string? Bucket { get; set; }

    /// <summary>A local dump file (its manifest is read from name.manifest.json next to it).</summary>
    [Parameter(Mandatory = true, ParameterSetName = nameof(Path), ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Drop scratch databases left behind by killed runs (names starting with backup.scratchPrefix).</summary>
    [Parameter(Mandatory = true, ParameterSetName = nameof(RemoveScratch))]
    public SwitchParameter RemoveScratch { get; set; }

    /// <summary>host or host:port of the server to restore on; default: the environment's postgres server.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TestServer { get; set; }

    /// <summary>The user and password for the test server (typically with -TestServer), instead of the environment's postgres login.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>pg_restore --jobs; default backup.restoreJobs.</summary>
    [Parameter(ParameterSetName = nameof(Key))]
    [Parameter(ParameterSetName = nameof(Path))]
    [ValidateRange(1, 64)]
    public int? Jobs { get; set; }

    /// <summary>Keep the scratch database after the test.</summary>
    [Parameter(ParameterSetName = nameof(Key))]
    [Parameter(ParameterSetName = nameof(Path))]
    public SwitchParameter NoDrop { get; set; }

    /// <summary>Skip backups larger than this many bytes (e.g. 10GB), saying why.</summary>
    [Parameter(ParameterSetName = nameof(Key))]
    [Parameter(ParameterSetName = nameof(Path))]
    [ValidateRange(1, long.MaxValue)]
    public long? MaxSize { get; set; }

    /// <summary>Only check the checksum and run pg_restore --list; no restore.</summary>
    [Parameter(ParameterSetName = nameof(Key))]
    [Parameter(ParameterSetName = nameof(Path))]
    public SwitchParameter VerifyOnly { get; set; }

    /// <summary>Allow a test server from a production environment (refused otherwise).</summary>
    [Parameter]
    public SwitchParameter AllowProduction { get; set; }

    protected override void Process()
    {
        var env = Env;
        var server = RestoreTest.ResolveTestServer(env, TestServer, AllowProduction,
            Credential is null ? null : (Credential.UserName, Secret.FromCredential(Credential.GetNetworkCredential().Password)));
        if (ParameterSetName == nameof(RemoveScratch))
        {
            var names = Run((r, ct) => RestoreTest.FindScratchDatabasesAsync(server, env.Backup.ScratchPrefix, ct));
            foreach (var name in names)
            {
                if (!ShouldProcess($"{server.Host}:{server.Port}/{name}", "Drop leftover scratch database")) continue;
                var (dropped, why) = Run((r, ct) => RestoreTest.DropAsync(server, name));
                if (dropped) WriteObject(name);
                else WriteOpsError(new OpsException(ErrorIds.RestoreScratchDropFailed, $"Cannot drop {name}: {why}", name));
            }
            return;
        }
        var request = new RestoreTestRequest
        {
            Key = Key, Bucket = Bucket, Path = Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path),
            Jobs = Jobs ?? env.Backup.RestoreJobs, NoDrop = NoDrop, MaxSizeBytes = MaxSize, VerifyOnly = VerifyOnly, TestServer = server,
        };
        var result = Run((r, ct) => RestoreTest.RunAsync(env, request, r, ct));
        WriteObject(result);
        if (result.Error is { } error) WriteOpsError(error);
    }
}
