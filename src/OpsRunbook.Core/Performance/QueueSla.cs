using System.Globalization;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using StackExchange.Redis;

namespace OpsRunbook.Core.Performance;

/// <summary>How many BullMQ jobs finished within the SLA, over the completed and failed sets Redis keeps.</summary>
public sealed record QueueSlaResult(string Queue, long Jobs, long WithinSla, long Failed, TimeSpan Sla)
{
    public double? Share => Jobs > 0 ? (double)WithinSla / Jobs : null;
}

/// <summary>
/// The runbook's "95% of jobs done within 5 minutes": for each queue, every job in {prefix}:{queue}:completed and
/// :failed (sorted by finishedOn) that finished at or after since; a job counts as within the SLA when it completed
/// and finishedOn - timestamp (its hash fields, ms) is at most the SLA. Failed jobs count against it.
/// </summary>
public static class QueueSla
{
    public static async Task<IReadOnlyList<QueueSlaResult>> MeasureAsync(RedisConfig cfg, QueuesConfig queues, TimeSpan sla, DateTimeOffset since, TimeSpan timeout, CancellationToken ct)
    {
        await using var mux = await RedisConnector.ConnectAsync(cfg, timeout, ct, o => o.TieBreaker = "").ConfigureAwait(false);
        var db = mux.GetDatabase();
        var results = new List<QueueSlaResult>();
        var from = since.ToUnixTimeMilliseconds();
        foreach (var q in queues.Names)
        {
            long jobs = 0, within = 0, failed = 0;
            foreach (var set in new[] { "completed", "failed" })
            {
                var ids = await db.SortedSetRangeByScoreAsync($"{queues.Prefix}:{q}:{set}", from, double.PositiveInfinity).WaitAsync(timeout, ct).ConfigureAwait(false);
                for (var i = 0; i < ids.Length; i += 500)
                {
                    var batch = db.CreateBatch();
                    var tasks = ids.Skip(i).Take(500).Select(id => batch.HashGetAsync($"{queues.Prefix}:{q}:{id}", ["timestamp", "finishedOn"])).ToList();
                    batch.Execute();
                    foreach (var t in tasks)
                    {
                        var v = await t.WaitAsync(timeout, ct).ConfigureAwait(false);
                        if (v[1].IsNull) continue; // removed between the two reads
                        jobs++;
                        if (set == "failed") { failed++; continue; }
                        if (long.TryParse((string?)v[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var created)
                            && long.TryParse((string?)v[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var finished)
                            && finished - created <= sla.TotalMilliseconds) within++;
                    }
                }
            }
            results.Add(new QueueSlaResult(q, jobs, within, failed, sla));
        }
        return results;
    }
}
