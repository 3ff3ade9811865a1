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

    /// <summary>Get-OpsHealth's Backup family checks that S3 server access logging is on for the bucket (a Warning when off). Turn it off for stores without GetBucketLogging (s3rver).</summary>
    public bool CheckAccessLogging { get; set; } = true;

    public void Validate(ConfigValidationContext c)
    {
        c.Require("bucket", Bucket);
        c.Require("region", Region);
        if (!string.IsNullOrEmpty(ServiceUrl)) ConfigChecks.HttpUrl(c, "serviceUrl", ServiceUrl);
        if (AccessKey.IsSet != SecretKey.IsSet)
            c.Error(AccessKey.IsSet ? "secretKey" : "accessKey", "Set both accessKey and secretKey, or neither (to use the AWS default credential chain).", ConfigProblemKind.MissingKey);
        c.Positive("timeoutSeconds", TimeoutSeconds);
        Prefix(c, "postgresPrefix", PostgresPrefix);
        Prefix(c, "mediaPrefix", MediaPrefix);
    }

    /// <summary>
    /// A key prefix S3 stores as written: no leading '/', no empty segment ('//') and no '.' or '..' segment, which
    /// S3-compatible stores and proxies normalise away, so the key a backup reports would not be the key stored.
    /// </summary>
    private static void Prefix(ConfigValidationContext c, string key, string value)
    {
        if (string.IsNullOrEmpty(value)) return;
        string? why = null;
        if (value.StartsWith('/')) why = "it starts with '/'";
        else
        {
            var segments = value.Split('/');
            // The last segment is empty when the prefix ends in '/', as it should.
            var inner = value.EndsWith('/') ? segments[..^1] : segments;
            if (inner.Any(x => x.Length == 0)) why = "it has an empty segment ('//')";
            else if (inner.Any(x => x is "." or "..")) why = $"it has a '{inner.First(x => x is "." or "..")}' segment";
            else if (value.Any(char.IsControl)) why = "it has control characters";
        }
        if (why is not null)
            c.Error(key, $"'{key}' must be a plain key prefix such as postgres/ ({why}): S3 would store the keys under another path than the one reported.", ConfigProblemKind.BadValue);
    }
    /// <summary>The same settings for another bucket (every key kept).</summary>
    public S3Config WithBucket(string bucket)
    {
        var copy = (S3Config)MemberwiseClone();
        copy.Bucket = bucket;
        return copy;
    }

    public override string ToString() => string.IsNullOrEmpty(ServiceUrl) ? $"s3://{Bucket} ({Region})" : $"s3://{Bucket} at {ServiceUrl}";
}
