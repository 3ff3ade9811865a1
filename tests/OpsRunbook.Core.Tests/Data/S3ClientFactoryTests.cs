using System.Security.Cryptography;
using Amazon.S3.Model;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Storage;

namespace OpsRunbook.Core.Tests.Data;

/// <summary>Against the sandbox's s3rver.</summary>
public class S3ClientFactoryTests
{
    [Fact]
    public async Task Objects_round_trip_byte_for_byte()
    {
        var s3 = Sandbox.Environment().S3!;
        using var client = S3ClientFactory.Create(s3);
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var key = $"tests/roundtrip-{Guid.NewGuid():N}.bin";
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = s3.Bucket, Key = key, InputStream = new MemoryStream(data), UseChunkEncoding = false,
        });
        try
        {
            using var get = await client.GetObjectAsync(s3.Bucket, key);
            using var ms = new MemoryStream();
            await get.ResponseStream.CopyToAsync(ms);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(data)), Convert.ToHexString(SHA256.HashData(ms.ToArray())));
        }
        finally
        {
            await client.DeleteObjectAsync(s3.Bucket, key);
        }
    }

    [Fact]
    public async Task A_hung_endpoint_ends_in_BackupStorageTimeout_within_the_bound_retries_included()
    {
        using var hang = new HangingListener();
        var cfg = new S3Config
        {
            Bucket = "backups", ServiceUrl = $"http://127.0.0.1:{hang.Port}", TimeoutSeconds = 2,
            AccessKey = Secret.FromCredential("k"), SecretKey = Secret.FromCredential("s"),
        };
        using var client = S3ClientFactory.Create(cfg);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OpsException>(() => client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "backups" }));
        sw.Stop();
        Assert.Same(ErrorIds.BackupStorageTimeout, e.Id);
        Assert.Contains($"127.0.0.1:{hang.Port}", e.Message);
        Assert.Contains("ListObjectsV2", e.Message);
        // Without one bound over the retries this took (MaxErrorRetry + 1) x timeoutSeconds and more.
        Assert.InRange(sw.Elapsed.TotalSeconds, 1.9, 3.5);
    }

    [Fact]
    public async Task The_callers_own_cancellation_stays_a_cancellation()
    {
        using var hang = new HangingListener();
        var cfg = new S3Config { Bucket = "b", ServiceUrl = $"http://127.0.0.1:{hang.Port}", TimeoutSeconds = 30, AccessKey = Secret.FromCredential("k"), SecretKey = Secret.FromCredential("s") };
        using var client = S3ClientFactory.Create(cfg);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "b" }, cts.Token));
    }
}
