using System.Security.Cryptography;
using Amazon.S3.Model;
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
}
