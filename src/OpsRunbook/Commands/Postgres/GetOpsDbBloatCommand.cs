using System.Management.Automation;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>Estimates table and btree index bloat from statistics (the ioguix/pgsql-bloat-estimation method).</summary>
[Cmdlet(VerbsCommon.Get, "OpsDbBloat", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(DbBloatEstimate))]
public sealed class GetOpsDbBloatCommand : OpsPostgresCmdlet
{
    /// <summary>Table names (wildcards allowed); index estimates are filtered by their table.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Table { get; set; }

    /// <summary>Table, Index or both (default).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public DbBloatKind[] Kind { get; set; } = [DbBloatKind.Table, DbBloatKind.Index];

    /// <summary>Only these schemas.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Schema { get; set; }

    /// <summary>Only estimates with at least this bloat percentage.</summary>
    [Parameter]
    [ValidateRange(0.0, 100.0)]
    public double MinBloatRatio { get; set; }

    /// <summary>Measure instead of estimating: pgstattuple_approx for tables and pgstatindex for btree indexes (needs the pgstattuple extension).</summary>
    [Parameter]
    public SwitchParameter Exact { get; set; }

    protected override void End()
    {
        var pg = Pg;
        var kinds = Kind.Distinct().ToArray();
        var rows = Exact
            ? Run((_, ct) => DbTables.GetExactBloatAsync(pg, kinds, Schema, ct))
            : Run((_, ct) => DbTables.GetBloatAsync(pg, kinds, Schema, ct));
        foreach (var b in rows)
            if (b.BloatRatio >= MinBloatRatio && (Table is null || MatchesAny(b.Table, Table) || MatchesAny($"{b.Schema}.{b.Table}", Table)))
                WriteObject(b);
    }
}
