using Amazon.S3;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Storage;

namespace OpsRunbook.Core.Backup;

/// <summary>
/// The backups of one environment's S3 bucket behind one client, for a cmdlet that makes several catalogue calls
/// (Remove-OpsBackup). The cmdlet assembly never sees an AWS type: AWSSDK lives only in the engine's load context
/// (dependency isolation), so OpsRunbook.dll references no third-party assembly.
/// </summary>
public sealed class BackupStore : IDisposable
{
    private readonly EnvironmentConfig env;
    private readonly AmazonS3Client client;

    public BackupStore(EnvironmentConfig env)
    {
        this.env = env;
        var s3 = env.Require(e => e.S3, "s3");
        Bucket = s3.Bucket;
        client = S3ClientFactory.Create(s3);
    }

    public string Bucket { get; }

    public Task<BackupInfo> GetAsync(string key, IOpsReporter reporter, CancellationToken ct) => BackupCatalog.GetAsync(client, env, key, reporter, ct);

    public Task<IReadOnlyList<BackupInfo>> ListAsync(BackupListOptions options, IOpsReporter reporter, CancellationToken ct) =>
        BackupCatalog.ListAsync(client, env, options, reporter, ct);

    public Task DeleteAsync(string key, CancellationToken ct) => BackupCatalog.DeleteAsync(client, Bucket, key, ct);

    public void Dispose() => client.Dispose();
}
