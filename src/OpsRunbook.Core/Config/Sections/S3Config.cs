namespace OpsRunbook.Core.Config;

/// <summary>s3: bucket, region, serviceUrl ('' for AWS), accessKey, secretKey, postgresPrefix, mediaPrefix, forcePathStyle.</summary>
public sealed class S3Config : IValidatableConfig
{
    public string Bucket { get; set; } = "";
    public string Region { get; set; } = "us-east-1";
    public string ServiceUrl { get; set; } = "";
    public Secret AccessKey { get; set; } = Secret.None;
    public Secret SecretKey { get; set; } = Secret.None;
    public string PostgresPrefix { get; set; } = "postgres/";
    public string MediaPrefix { get; set; } = "media/";
    /// <summary>Path-style addressing; default true when serviceUrl is set (MinIO, s3rver), false for AWS.</summary>
    public bool? ForcePathStyle { get; set; }
    public int TimeoutSeconds { get; set; } = 30;

    public void Validate(ConfigValidationContext c)
    {
        c.Require("bucket", Bucket);
        c.Require("region", Region);
        if (!string.IsNullOrEmpty(ServiceUrl)) ConfigChecks.HttpUrl(c, "serviceUrl", ServiceUrl);
        if (AccessKey.IsSet != SecretKey.IsSet)
            c.Error(AccessKey.IsSet ? "secretKey" : "accessKey", "Set both accessKey and secretKey, or neither (to use the AWS default credential chain).", ConfigProblemKind.MissingKey);
        c.Positive("timeoutSeconds", TimeoutSeconds);
    }
    public override string ToString() => string.IsNullOrEmpty(ServiceUrl) ? $"s3://{Bucket} ({Region})" : $"s3://{Bucket} at {ServiceUrl}";
}
