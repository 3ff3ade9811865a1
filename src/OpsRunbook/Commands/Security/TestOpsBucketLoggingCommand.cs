using System.Management.Automation;
using OpsRunbook.Core.Storage;

namespace OpsRunbook.Commands;

/// <summary>The Security Review's `aws s3api get-bucket-logging`: whether S3 server access logging is on for a bucket, and where the logs go.</summary>
[Cmdlet(VerbsDiagnostic.Test, "OpsBucketLogging")]
[OutputType(typeof(BucketLoggingStatus), typeof(bool))]
public sealed class TestOpsBucketLoggingCommand : OpsEnvironmentCmdlet
{
    /// <summary>The bucket; default s3.bucket (the backup bucket).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Bucket { get; set; }

    /// <summary>Return only $true (logging on for every bucket) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    private bool _allOn = true;

    protected override IReadOnlyCollection<string>? ConfigSections => ["s3"];

    protected override void Process()
    {
        foreach (var b in Bucket ?? [null!])
        {
            var status = Run((r, ct) => BucketLogging.GetAsync(Env, b, ct));
            _allOn &= status.Enabled;
            if (!Quiet) WriteObject(status);
        }
    }

    protected override void End()
    {
        if (Quiet) WriteObject(_allOn);
    }
}
