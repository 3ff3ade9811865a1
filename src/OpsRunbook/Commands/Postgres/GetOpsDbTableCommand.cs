using System.Management.Automation;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>Lists user tables with sizes, live and dead tuples and last vacuum/analyze times.</summary>
[Cmdlet(VerbsCommon.Get, "OpsDbTable", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(DbTableInfo))]
public sealed class GetOpsDbTableCommand : OpsPostgresCmdlet
{
    /// <summary>Table names (wildcards allowed), matched against the name and schema.name.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only tables in these schemas.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Schema { get; set; }

    /// <summary>Only tables with at least this many dead tuples (the runbook's bloat check uses 1000).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MinDeadTuples { get; set; }

    protected override void End()
    {
        var pg = Pg;
        var tables = Run((_, ct) => DbTables.GetTablesAsync(pg, Schema, ct));
        foreach (var t in tables)
            if (t.DeadTuples >= MinDeadTuples && (Name is null || MatchesAny(t.Name, Name) || MatchesAny(t.Table, Name)))
                WriteObject(t);
    }
}
