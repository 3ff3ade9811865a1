using Amazon.S3;
using Amazon.S3.Model;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Storage;

namespace OpsRunbook.Core.Backup;

/// <summary>One backup in S3 (a .dump object and, normally, its manifest).</summary>
public sealed class BackupInfo
{
    public string Environment { get; init; } = "";
    public string Bucket { get; init; } = "";
    public string Key { get; init; } = "";
    public string Database { get; init; } = "";
    /// <summary>When the dump started (from the key).</summary>
    public DateTimeOffset Time { get; init; }
    public TimeSpan Age { get; init; }
    public double AgeMs => Math.Round(Age.TotalMilliseconds, 3);
    public long SizeBytes { get; init; }
    public DateTimeOffset LastModified { get; init; }
    public string? ManifestKey { get; init; }
    public bool HasManifest => ManifestKey is not null;
    /// <summary>The manifest, read when the backup is returned (null when there is none).</summary>
    public BackupManifest? Manifest { get; set; }
    public override string ToString() => $"s3://{Bucket}/{Key}";
}

/// <summary>Object count and bytes under one prefix, like `aws s3 ls --recursive --summarize`.</summary>
public sealed class BackupStorageSummary
{
    public string Environment { get; init; } = "";
    public string Bucket { get; init; } = "";
    public string Prefix { get; init; } = "";
    public long Objects { get; init; }
    public long TotalBytes { get; init; }
    public DateTimeOffset? Newest { get; init; }
    public override string ToString() => $"s3://{Bucket}/{Prefix}: {Objects} objects, {TotalBytes} bytes";
}

/// <summary>What Remove-OpsBackup did with one backup.</summary>
public sealed class BackupRemoval
{
    public string Key { get; init; } = "";
    public string Database { get; init; } = "";
    public DateTimeOffset Time { get; init; }
    public long SizeBytes { get; init; }
    public string? ManifestKey { get; init; }
    public bool Removed { get; init; }
    public string Reason { get; init; } = "";
    public override string ToString() => $"{Key}: {(Removed ? "removed" : "kept")} ({Reason})";
}

public sealed record BackupListOptions
{
    public string? Database { get; init; }
    /// <summary>Return only the newest N (per the whole listing, after the database filter).</summary>
    public int? Latest { get; init; }
    public bool ReadManifests { get; init; } = true;
    /// <summary>ListObjectsV2 MaxKeys: page size (tests use a small one to prove paging).</summary>
    public int PageSize { get; init; } = 1000;
    public DateTimeOffset? Now { get; init; }
}

/// <summary>Lists, summarises and removes backups under s3.postgresPrefix.</summary>
public static class BackupCatalog
{
    /// <summary>Every object under a prefix, page after page (ListObjectsV2 continuation tokens).</summary>
    public static async IAsyncEnumerable<S3Object> ListObjectsAsync(IAmazonS3 client, string bucket, string prefix, int pageSize,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            ListObjectsV2Response page;
            try
            {
                page = await client.ListObjectsV2Async(new ListObjectsV2Request
                {
                    BucketName = bucket, Prefix = prefix, MaxKeys = pageSize, ContinuationToken = token,
                }, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
            {
                throw new OpsException(ErrorIds.BackupBucketNotFound, $"The bucket '{bucket}' does not exist.", bucket, "Check s3.bucket in the config.", e);
            }
            catch (Exception e) when (S3Errors.IsS3Failure(e)) { throw S3Errors.Read("list", $"s3://{bucket}/{prefix}", e); }
            // SDK v4: an empty page has S3Objects == null.
            foreach (var o in page.S3Objects ?? []) yield return o;
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
    }

    public static async Task<IReadOnlyList<BackupInfo>> ListAsync(EnvironmentConfig env, BackupListOptions options, IOpsReporter reporter, CancellationToken ct)
    {
        var s3 = env.Require(e => e.S3, "s3");
        using var client = S3ClientFactory.Create(s3);
        return await ListAsync(client, env, options, reporter, ct).ConfigureAwait(false);
    }

    internal static async Task<IReadOnlyList<BackupInfo>> ListAsync(IAmazonS3 client, EnvironmentConfig env, BackupListOptions options, IOpsReporter reporter, CancellationToken ct)
    {
        var s3 = env.Require(e => e.S3, "s3");
        var prefix = s3.PostgresPrefix + (options.Database is null ? "" : options.Database + "/");
        var now = options.Now ?? DateTimeOffset.UtcNow;
        var dumps = new List<S3Object>();
        var manifests = new HashSet<string>(StringComparer.Ordinal);
        long seen = 0;
        await foreach (var o in ListObjectsAsync(client, s3.Bucket, prefix, options.PageSize, ct).ConfigureAwait(false))
        {
            seen++;
            if (o.Key.EndsWith(BackupKeys.ManifestSuffix, StringComparison.Ordinal)) manifests.Add(o.Key);
            else if (o.Key.EndsWith(BackupKeys.DumpSuffix, StringComparison.Ordinal)) dumps.Add(o);
        }
        reporter.Verbose($"s3://{s3.Bucket}/{prefix}: {seen} objects, {dumps.Count} dumps, {manifests.Count} manifests.");
        var list = new List<BackupInfo>();
        foreach (var o in dumps)
        {
            if (!BackupKeys.TryParse(o.Key, out var db, out var time))
            {
                reporter.Verbose($"Skipping {o.Key}: not in the backup key layout.");
                continue;
            }
            if (options.Database is not null && !string.Equals(db, options.Database, StringComparison.Ordinal)) continue;
            var mk = BackupKeys.ManifestKey(o.Key);
            list.Add(new BackupInfo
            {
                Environment = env.Name, Bucket = s3.Bucket, Key = o.Key, Database = db, Time = time, Age = now - time,
                SizeBytes = o.Size ?? 0, LastModified = o.LastModified is { } lm ? new DateTimeOffset(lm.ToUniversalTime(), TimeSpan.Zero) : time,
                ManifestKey = manifests.Contains(mk) ? mk : null,
            });
        }
        IEnumerable<BackupInfo> sorted = list.OrderByDescending(b => b.Time).ThenByDescending(b => b.Key, StringComparer.Ordinal);
        if (options.Latest is { } n) sorted = sorted.Take(n);
        var result = sorted.ToList();
        if (options.ReadManifests)
        {
            foreach (var b in result.Where(b => b.ManifestKey is not null))
                b.Manifest = await ReadManifestAsync(client, b.Bucket, b.ManifestKey!, reporter, ct).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>Reads a manifest; a corrupt one is reported and gives null.</summary>
    internal static async Task<BackupManifest?> ReadManifestAsync(IAmazonS3 client, string bucket, string key, IOpsReporter reporter, CancellationToken ct)
    {
        try
        {
            using var r = await client.GetObjectAsync(bucket, key, ct).ConfigureAwait(false);
            using var reader = new StreamReader(r.ResponseStream);
            return BackupManifest.FromJson(await reader.ReadToEndAsync(ct).ConfigureAwait(false));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
        catch (System.Text.Json.JsonException e)
        {
            reporter.Warning($"The manifest s3://{bucket}/{key} is not valid JSON: {e.Message}");
            return null;
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e)) { throw S3Errors.Read("read", $"s3://{bucket}/{key}", e); }
    }

    /// <summary>Summaries of postgresPrefix and mediaPrefix: object count, bytes, newest object.</summary>
    public static async Task<IReadOnlyList<BackupStorageSummary>> SummarizeAsync(EnvironmentConfig env, int pageSize, CancellationToken ct)
    {
        var s3 = env.Require(e => e.S3, "s3");
        using var client = S3ClientFactory.Create(s3);
        var result = new List<BackupStorageSummary>();
        foreach (var prefix in new[] { s3.PostgresPrefix, s3.MediaPrefix }.Distinct())
        {
            long count = 0, bytes = 0;
            DateTime? newest = null;
            await foreach (var o in ListObjectsAsync(client, s3.Bucket, prefix, pageSize, ct).ConfigureAwait(false))
            {
                count++;
                bytes += o.Size ?? 0;
                if (o.LastModified is { } lm && (newest is null || lm > newest)) newest = lm;
            }
            result.Add(new BackupStorageSummary
            {
                Environment = env.Name, Bucket = s3.Bucket, Prefix = prefix, Objects = count, TotalBytes = bytes,
                Newest = newest is { } n ? new DateTimeOffset(n.ToUniversalTime(), TimeSpan.Zero) : null,
            });
        }
        return result;
    }

    /// <summary>A "good" backup for retention: it has a manifest whose size and checksum fields agree with the object.</summary>
    public static bool IsGood(BackupInfo b, long minimumSize) =>
        b.Manifest is { } m && m.SizeBytes == b.SizeBytes && m.Sha256.Length == 64 && b.SizeBytes >= minimumSize;

    /// <summary>
    /// Retention plan: per database, the newest <paramref name="keepLatest"/> good backups are always kept;
    /// of the rest, those older than <paramref name="olderThan"/> are removed. Backups must come with manifests read.
    /// </summary>
    public static IReadOnlyList<BackupRemoval> PlanRetention(IEnumerable<BackupInfo> backups, TimeSpan olderThan, int keepLatest, long minimumSize)
    {
        var plan = new List<BackupRemoval>();
        foreach (var group in backups.GroupBy(b => b.Database, StringComparer.Ordinal))
        {
            var kept = 0;
            foreach (var b in group.OrderByDescending(b => b.Time))
            {
                string reason;
                var remove = false;
                if (kept < keepLatest && IsGood(b, minimumSize)) { kept++; reason = $"one of the newest {keepLatest} good backups"; }
                else if (b.Age > olderThan) { remove = true; reason = $"older than {olderThan.TotalDays:0.##} days"; }
                else reason = $"younger than {olderThan.TotalDays:0.##} days";
                plan.Add(new BackupRemoval { Key = b.Key, Database = b.Database, Time = b.Time, SizeBytes = b.SizeBytes, ManifestKey = b.ManifestKey, Removed = remove, Reason = reason });
            }
        }
        return plan;
    }

    /// <summary>Deletes a dump and its manifest in one DeleteObjects request; throws BackupRemoveFailed when either remains.</summary>
    public static async Task DeleteAsync(IAmazonS3 client, string bucket, string key, CancellationToken ct)
    {
        var keys = new List<KeyVersion> { new() { Key = key }, new() { Key = BackupKeys.ManifestKey(key) } };
        try
        {
            var r = await client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = keys, Quiet = false }, ct).ConfigureAwait(false);
            if (r.DeleteErrors is { Count: > 0 } errors)
            {
                throw new OpsException(ErrorIds.BackupRemoveFailed, $"S3 did not delete {string.Join(", ", errors.Select(e => $"{e.Key} ({e.Code}: {e.Message})"))}.", key, "Run Remove-OpsBackup again for this key.");
            }
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e))
        {
            throw new OpsException(ErrorIds.BackupRemoveFailed, $"Cannot delete s3://{bucket}/{key}: {S3Errors.Innermost(e).Message}", key, null, e);
        }
    }

    /// <summary>Finds one backup by key; BackupNotFound when the dump object is missing.</summary>
    public static Task<BackupInfo> GetAsync(IAmazonS3 client, EnvironmentConfig env, string key, IOpsReporter reporter, CancellationToken ct)
        => GetAsync(client, env.Require(e => e.S3, "s3").Bucket, env.Name, key, reporter, ct);

    public static async Task<BackupInfo> GetAsync(IAmazonS3 client, string bucket, string environment, string key, IOpsReporter reporter, CancellationToken ct)
    {
        GetObjectMetadataResponse meta;
        try { meta = await client.GetObjectMetadataAsync(bucket, key, ct).ConfigureAwait(false); }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new OpsException(ErrorIds.BackupNotFound, $"There is no backup s3://{bucket}/{key}.", key,
                "List the backups with Get-OpsBackup.", e);
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e)) { throw S3Errors.Read("read", $"s3://{bucket}/{key}", e); }
        BackupKeys.TryParse(key, out var db, out var time);
        var manifest = await ReadManifestAsync(client, bucket, BackupKeys.ManifestKey(key), reporter, ct).ConfigureAwait(false);
        if (time == default) time = manifest?.StartTime ?? new DateTimeOffset(meta.LastModified?.ToUniversalTime() ?? DateTime.UtcNow, TimeSpan.Zero);
        return new BackupInfo
        {
            Environment = environment, Bucket = bucket, Key = key, Database = db.Length > 0 ? db : manifest?.Database ?? "", Time = time,
            Age = DateTimeOffset.UtcNow - time, SizeBytes = meta.ContentLength, ManifestKey = manifest is null ? null : BackupKeys.ManifestKey(key),
            Manifest = manifest,
        };
    }
}
