using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Backup;

/// <summary>Where a dump's bytes go, part by part. Abort removes everything written so far.</summary>
internal interface IDumpSink
{
    string Location { get; }
    Task StartAsync(CancellationToken ct);
    /// <summary>Takes ownership of the buffer until the returned task completes.</summary>
    Task WritePartAsync(byte[] buffer, int count, int partNumber, CancellationToken ct);
    Task CompleteAsync(CancellationToken ct);
    Task WriteManifestAsync(BackupManifest manifest, CancellationToken ct);
    /// <summary>Removes the partial dump (and a written manifest). Never throws; reports what it could not remove.</summary>
    Task AbortAsync(Hosting.IOpsReporter reporter);
}

internal static class S3Errors
{
    public static bool IsS3Failure(Exception e) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or SocketException or IOException
        || (e is TaskCanceledException && e.InnerException is TimeoutException);

    public static OpsException Upload(string what, string location, Exception e) => new(ErrorIds.BackupUploadFailed,
        $"Cannot {what} {location}: {Innermost(e).Message}", location,
        "Check that S3 (s3.serviceUrl, s3.bucket) is reachable and the keys may write to the bucket.", e);

    public static OpsException Read(string what, string location, Exception e) => new(ErrorIds.BackupStorageUnavailable,
        $"Cannot {what} {location}: {Innermost(e).Message}", location,
        "Check that S3 (s3.serviceUrl, s3.bucket) is reachable and the keys may read the bucket.", e);

    /// <summary>The service's own error when S3 answered (its message and code), else the innermost exception (connection refused...).</summary>
    internal static Exception Innermost(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is AmazonServiceException ase) return new InvalidOperationException(string.IsNullOrEmpty(ase.ErrorCode) ? ase.Message : $"{ase.Message} ({ase.ErrorCode}, HTTP {(int)ase.StatusCode})");
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}

/// <summary>Multipart upload to S3: one UploadPart per buffer, parts in flight while the next one fills.</summary>
internal sealed class S3DumpSink(IAmazonS3 client, string bucket, string key, string manifestKey) : IDumpSink
{
    private readonly List<PartETag> _parts = new();
    private readonly Lock _lock = new();
    private string? _uploadId;
    private bool _completed, _manifestWritten;

    public string Location => $"s3://{bucket}/{key}";

    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            var r = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
            {
                BucketName = bucket, Key = key, ContentType = "application/octet-stream",
            }, ct).ConfigureAwait(false);
            _uploadId = r.UploadId;
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e)) { throw S3Errors.Upload("start the upload of", Location, e); }
    }

    public async Task WritePartAsync(byte[] buffer, int count, int partNumber, CancellationToken ct)
    {
        try
        {
            var r = await client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket, Key = key, UploadId = _uploadId, PartNumber = partNumber,
                InputStream = new MemoryStream(buffer, 0, count, writable: false), PartSize = count,
                UseChunkEncoding = false,  // s3rver stores chunk framing otherwise (TOOLCHAIN.md)
            }, ct).ConfigureAwait(false);
            lock (_lock) _parts.Add(new PartETag(partNumber, r.ETag));
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e)) { throw S3Errors.Upload($"upload part {partNumber} of", Location, e); }
    }

    public async Task CompleteAsync(CancellationToken ct)
    {
        try
        {
            List<PartETag> parts;
            lock (_lock) parts = _parts.OrderBy(p => p.PartNumber).ToList();
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket, Key = key, UploadId = _uploadId, PartETags = parts,
            }, ct).ConfigureAwait(false);
            _completed = true;
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e)) { throw S3Errors.Upload("complete the upload of", Location, e); }
    }

    public async Task WriteManifestAsync(BackupManifest manifest, CancellationToken ct)
    {
        try
        {
            await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = manifestKey, ContentBody = manifest.ToJson(), ContentType = "application/json",
                UseChunkEncoding = false,
            }, ct).ConfigureAwait(false);
            _manifestWritten = true;
        }
        catch (Exception e) when (S3Errors.IsS3Failure(e)) { throw S3Errors.Upload("write the manifest", $"s3://{bucket}/{manifestKey}", e); }
    }

    public async Task AbortAsync(Hosting.IOpsReporter reporter)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Best effort: the caller is already failing with the real reason. Never completed, the upload is
        // no object: listings and GETs do not see it. Aborting frees its stored parts.
        if (_uploadId is not null && !_completed)
        {
            try
            {
                await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = _uploadId }, cts.Token).ConfigureAwait(false);
                reporter.Verbose($"Aborted the multipart upload of {Location}.");
            }
            catch (Exception e)
            {
                reporter.Warning($"Could not abort the multipart upload of {Location} (upload id {_uploadId}): {S3Errors.Innermost(e).Message} " +
                                 "No object was created; its parts stay stored until a lifecycle rule (AbortIncompleteMultipartUpload) removes them.");
            }
        }
        try
        {
            if (_completed) await client.DeleteObjectAsync(bucket, key, cts.Token).ConfigureAwait(false);
            if (_manifestWritten) await client.DeleteObjectAsync(bucket, manifestKey, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) { reporter.Warning($"Could not remove the incomplete backup {Location}: {S3Errors.Innermost(e).Message}"); }
    }
}

/// <summary>A local file: written as name.partial, renamed into place when complete.</summary>
internal sealed class FileDumpSink(string path) : IDumpSink
{
    private readonly string _partial = path + ".partial";
    private FileStream? _stream;
    private bool _completed;

    public string Location => path;

    public Task StartAsync(CancellationToken ct)
    {
        try
        {
            if (Directory.Exists(path))
                throw new OpsException(ErrorIds.BackupPathIsDirectory, $"{path} is a directory; -Path names the dump file to write.", path,
                    $"Name a file in it, e.g. -Path {Path.Combine(path, "app.dump")}.");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (File.Exists(path)) throw new OpsException(ErrorIds.BackupFileExists, $"{path} already exists.", path, "Choose another -Path or remove the file.");
            _stream = new FileStream(_partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OpsException(ErrorIds.BackupWriteFailed, $"Cannot write {path}: {e.Message}", path, null, e);
        }
        return Task.CompletedTask;
    }

    public async Task WritePartAsync(byte[] buffer, int count, int partNumber, CancellationToken ct)
    {
        try { await _stream!.WriteAsync(buffer.AsMemory(0, count), ct).ConfigureAwait(false); }
        catch (IOException e) { throw new OpsException(ErrorIds.BackupWriteFailed, $"Cannot write {path}: {e.Message}", path, null, e); }
    }

    public async Task CompleteAsync(CancellationToken ct)
    {
        await _stream!.FlushAsync(ct).ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        File.Move(_partial, path);
        _completed = true;
    }

    public async Task WriteManifestAsync(BackupManifest manifest, CancellationToken ct) =>
        await File.WriteAllTextAsync(BackupKeys.ManifestPath(path), manifest.ToJson(), ct).ConfigureAwait(false);

    public async Task AbortAsync(Hosting.IOpsReporter reporter)
    {
        try
        {
            if (_stream is not null) await _stream.DisposeAsync().ConfigureAwait(false);
            File.Delete(_partial);
            if (_completed) { File.Delete(path); File.Delete(BackupKeys.ManifestPath(path)); }
        }
        catch (Exception) { }
    }
}
