using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Storage;

/// <summary>
/// Builds an AmazonS3Client from the s3 section. With serviceUrl set (MinIO, s3rver) it uses path-style
/// addressing and only the checksums S3 requires, which S3-compatible stores understand. Remember the
/// s3rver pitfall: PutObject/UploadPart requests need UseChunkEncoding = false.
/// Every request has one bound, s3.timeoutSeconds, that covers the SDK's retries too; a request that
/// runs out of it fails with BackupStorageTimeout naming the endpoint.
/// </summary>
public static class S3ClientFactory
{
    /// <summary>Retries of a failed request (inside the one s3.timeoutSeconds bound).</summary>
    public const int MaxErrorRetry = 2;

    public static AmazonS3Client Create(S3Config cfg)
    {
        var custom = !string.IsNullOrEmpty(cfg.ServiceUrl);
        var config = new BoundedS3Config
        {
            Deadline = new S3DeadlineHandler(TimeSpan.FromSeconds(cfg.TimeoutSeconds), Endpoint(cfg), cfg.Bucket),
            Timeout = TimeSpan.FromSeconds(cfg.TimeoutSeconds),
            MaxErrorRetry = MaxErrorRetry,
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
            ? new BoundedS3Client(new BasicAWSCredentials(cfg.AccessKey.Reveal(), cfg.SecretKey.Reveal()), config)
            : new BoundedS3Client(config);
    }

    /// <summary>What the errors call the endpoint: serviceUrl, or AWS S3 in the region.</summary>
    public static string Endpoint(S3Config cfg) => string.IsNullOrEmpty(cfg.ServiceUrl) ? $"AWS S3 ({cfg.Region})" : cfg.ServiceUrl;

    private sealed class BoundedS3Config : AmazonS3Config
    {
        public required S3DeadlineHandler Deadline { get; init; }
    }

    private sealed class BoundedS3Client : AmazonS3Client
    {
        public BoundedS3Client(AWSCredentials credentials, BoundedS3Config config) : base(credentials, config) { }
        public BoundedS3Client(BoundedS3Config config) : base(config) { }

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            // Outermost handler: its deadline covers marshalling, signing, every retry and the delays between them.
            // (Runs from the base constructor: the handler comes with the config, not from a field of this class.)
            pipeline.AddHandler(((BoundedS3Config)Config).Deadline);
        }
    }
}

/// <summary>
/// A pipeline handler that gives a whole S3 request, retries included, one deadline, and turns running out
/// of it into BackupStorageTimeout (the SDK alone would retry a hung endpoint MaxErrorRetry+1 times and end in
/// "The operation was canceled").
/// </summary>
internal sealed class S3DeadlineHandler(TimeSpan bound, string endpoint, string bucket) : PipelineHandler
{
    public TimeSpan Bound => bound;

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        var context = (RequestContext)executionContext.RequestContext;
        var outer = context.CancellationToken;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(outer);
        deadline.CancelAfter(bound);
        context.CancellationToken = deadline.Token;
        try
        {
            return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !outer.IsCancellationRequested && e is not OpsException)
        {
            throw Timeout(context.RequestName, e);
        }
        finally
        {
            context.CancellationToken = outer;
        }
    }

    private OpsException Timeout(string? requestName, Exception inner)
    {
        var op = string.IsNullOrEmpty(requestName) ? "a request" : requestName.EndsWith("Request", StringComparison.Ordinal) ? requestName[..^"Request".Length] : requestName;
        return new OpsException(ErrorIds.BackupStorageTimeout,
            $"S3 at {endpoint} (bucket {bucket}) did not answer {op} within {bound.TotalSeconds:0.###} s (s3.timeoutSeconds, retries included).",
            endpoint, $"Check that {endpoint} is up and reachable from this host; raise s3.timeoutSeconds only if it is slow but working.", inner);
    }
}
