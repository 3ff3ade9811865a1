using System.Diagnostics;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Core.Storage;

/// <summary>Whether S3 server access logging is on for a bucket (GetBucketLogging), and where the logs go.</summary>
public sealed class BucketLoggingStatus
{
    public string Bucket { get; init; } = "";
    public bool Enabled { get; init; }
    /// <summary>The bucket the access logs are written to (null when logging is off).</summary>
    public string? TargetBucket { get; init; }
    /// <summary>The key prefix of the log objects (null when logging is off).</summary>
    public string? TargetPrefix { get; init; }
    /// <summary>The S3 endpoint asked (s3.serviceUrl, or AWS S3 in the region).</summary>
    public string Endpoint { get; init; } = "";
    public DateTimeOffset Timestamp { get; init; }
    public TimeSpan Duration { get; init; }
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);
    public override string ToString() => Enabled ? $"{Bucket}: logging to s3://{TargetBucket}/{TargetPrefix}" : $"{Bucket}: logging off";
}

/// <summary>
/// The Security Review's `aws s3api get-bucket-logging`: GetBucketLogging through AWSSDK.S3 (the one S3 client setup,
/// bounded by s3.timeoutSeconds), also a row of Get-OpsHealth's Backup family for the backup bucket.
/// </summary>
public static class BucketLogging
{
    public static async Task<BucketLoggingStatus> GetAsync(EnvironmentConfig env, string? bucket, CancellationToken ct)
    {
        var s3 = env.Require(e => e.S3, "s3");
        var name = string.IsNullOrEmpty(bucket) ? s3.Bucket : bucket;
        var sw = Stopwatch.StartNew();
        using var client = S3ClientFactory.Create(s3);
        GetBucketLoggingResponse response;
        try
        {
            response = await client.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = name }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotImplemented || e.ErrorCode == "NotImplemented")
        {
            throw NotSupported(s3, name, e);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new OpsException(ErrorIds.BackupBucketNotFound, $"The bucket '{name}' does not exist.", name, "Check s3.bucket in the config, or -Bucket.", e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or System.Net.Sockets.SocketException or IOException)
        {
            throw new OpsException(ErrorIds.BackupStorageUnavailable, $"Cannot read the logging configuration of s3://{name}: {Inner(e)}", name,
                "Check that S3 (s3.serviceUrl) is reachable and the keys may call s3:GetBucketLogging on the bucket.", e);
        }
        // SDK v4 hands some error answers back as a response with their status instead of throwing.
        switch ((int)response.HttpStatusCode)
        {
            case 404:
                throw new OpsException(ErrorIds.BackupBucketNotFound, $"The bucket '{name}' does not exist (GetBucketLogging answered 404).", name, "Check s3.bucket in the config, or -Bucket.");
            case 501:
                throw NotSupported(s3, name, null);
            case < 200 or >= 300:
                throw new OpsException(ErrorIds.BackupStorageUnavailable, $"GetBucketLogging of s3://{name} answered HTTP {(int)response.HttpStatusCode}.", name,
                    "Check that the keys may call s3:GetBucketLogging on the bucket.");
        }
        var cfg = response.BucketLoggingConfig;
        var target = string.IsNullOrEmpty(cfg?.TargetBucketName) ? null : cfg.TargetBucketName;
        return new BucketLoggingStatus
        {
            Bucket = name, Enabled = target is not null, TargetBucket = target, TargetPrefix = target is null ? null : cfg!.TargetPrefix ?? "",
            Endpoint = S3ClientFactory.Endpoint(s3), Timestamp = DateTimeOffset.UtcNow, Duration = sw.Elapsed,
        };
    }

    private static OpsException NotSupported(S3Config s3, string name, Exception? e) => new(ErrorIds.BucketLoggingNotSupported,
        $"{S3ClientFactory.Endpoint(s3)} does not implement GetBucketLogging (NotImplemented): access logging of '{name}' cannot be checked there.", name,
        "Check it where the bucket really lives (AWS S3), or turn the health check off with s3.checkAccessLogging: false.", e);

    private static string Inner(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is AmazonServiceException ase) return string.IsNullOrEmpty(ase.ErrorCode) ? ase.Message : $"{ase.Message} ({ase.ErrorCode}, HTTP {(int)ase.StatusCode})";
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }

    /// <summary>Get-OpsHealth's Backup family: Warning when access logging is off on the backup bucket (s3.checkAccessLogging).</summary>
    public static async Task<HealthCheckResult?> CheckAsync(EnvironmentConfig env, CancellationToken ct)
    {
        if (env.S3 is null || !env.S3.CheckAccessLogging) return null;
        var sw = Stopwatch.StartNew();
        HealthCheckResult Make(HealthStatus status, string message) => new()
        {
            Environment = env.Name, Check = "Backup", Target = $"{env.S3.Bucket} access logging", Status = status, Message = message,
            Threshold = "access logging on", Duration = sw.Elapsed, Timestamp = DateTimeOffset.UtcNow,
            NextStep = status == HealthStatus.Healthy ? null
                : $"Security Review: turn on server access logging for s3://{env.S3.Bucket} (aws s3api put-bucket-logging --bucket {env.S3.Bucket} --bucket-logging-status file://logging.json, to a separate log bucket), then Test-OpsBucketLogging.",
        };
        try
        {
            var s = await GetAsync(env, null, ct).ConfigureAwait(false);
            return s.Enabled
                ? Make(HealthStatus.Healthy, $"Access logging of s3://{s.Bucket} is on: logs go to s3://{s.TargetBucket}/{s.TargetPrefix}.")
                : Make(HealthStatus.Warning, $"Access logging is off on the backup bucket s3://{s.Bucket}: nobody could tell who read or deleted a backup.");
        }
        catch (OpsException e)
        {
            return Make(HealthStatus.Unknown, e.Message);
        }
    }
}
