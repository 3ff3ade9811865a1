using System.Management.Automation;
using OpsRunbook.Core.Performance;

namespace OpsRunbook.Commands;

/// <summary>Redis SLOWLOG entries, newest first, with argument values masked.</summary>
[Cmdlet(VerbsCommon.Get, "OpsRedisSlowLog")]
[OutputType(typeof(RedisSlowLogEntry))]
public sealed class GetOpsRedisSlowLogCommand : OpsEnvironmentCmdlet
{
    /// <summary>How many entries (SLOWLOG GET n), newest first.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(1, 10000)]
    public int First { get; set; } = 20;

    /// <summary>Bound on connecting and on the SLOWLOG call.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    protected override void End()
    {
        var cfg = Env.Require(e => e.Redis, "redis");
        WriteObject(Run((_, ct) => RedisInfoReader.SlowLogAsync(cfg, First, Timeout, ct)), enumerateCollection: true);
    }
}
