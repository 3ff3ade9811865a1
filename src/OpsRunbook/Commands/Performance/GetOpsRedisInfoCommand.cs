using System.Management.Automation;
using OpsRunbook.Core.Performance;

namespace OpsRunbook.Commands;

/// <summary>Redis INFO as a typed object: ops/s, hit ratio, evictions, memory, fragmentation, clients.</summary>
[Cmdlet(VerbsCommon.Get, "OpsRedisInfo")]
[OutputType(typeof(RedisInfo))]
public sealed class GetOpsRedisInfoCommand : OpsEnvironmentCmdlet
{
    /// <summary>INFO sections to read. Default: server, clients, memory, stats, keyspace.</summary>
    [Parameter(Position = 0)]
    [ValidateSet("server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace", "all", "default", "everything", IgnoreCase = true)]
    public string[]? Section { get; set; }

    /// <summary>Bound on connecting and on each INFO call.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    protected override void End()
    {
        var cfg = Env.Require(e => e.Redis, "redis");
        WriteObject(Run((_, ct) => RedisInfoReader.ReadAsync(cfg, Section, Timeout, ct)));
    }
}
