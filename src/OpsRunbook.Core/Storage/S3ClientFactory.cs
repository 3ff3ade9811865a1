using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using OpsRunbook.Core.Config;

namespace OpsRunbook.Core.Storage;

/// <summary>
/// Builds an AmazonS3Client from the s3 section. With serviceUrl set (MinIO, s3rver) it uses path-style
/// addressing and only the checksums S3 requires, which S3-compatible stores understand. Remember the
/// s3rver pitfall: PutObject/UploadPart requests need UseChunkEncoding = false.
/// </summary>
public static class S3ClientFactory
{
    public static AmazonS3Client Create(S3Config cfg)
    {
        var custom = !string.IsNullOrEmpty(cfg.ServiceUrl);
        var config = new AmazonS3Config
        {
            Timeout = TimeSpan.FromSeconds(cfg.TimeoutSeconds),
            MaxErrorRetry = 2,
            ForcePathStyle = cfg.ForcePathStyle ?? custom,
        };
        if (custom)
        {
            config.ServiceURL = cfg.ServiceUrl;
            config.AuthenticationRegion = cfg.Region;
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(cfg.Region);
        }
        return cfg.AccessKey.IsSet
            ? new AmazonS3Client(new BasicAWSCredentials(cfg.AccessKey.Reveal(), cfg.SecretKey.Reveal()), config)
            : new AmazonS3Client(config);
    }
}
