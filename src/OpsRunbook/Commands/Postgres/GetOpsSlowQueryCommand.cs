using System.Management.Automation;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>The slowest statements from pg_stat_statements.</summary>
[Cmdlet(VerbsCommon.Get, "OpsSlowQuery", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(SlowQuery))]
public sealed class GetOpsSlowQueryCommand : OpsPostgresCmdlet
{
    /// <summary>Minimum mean execution time in milliseconds (the runbook's 100).</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double MinMeanTimeMs { get; set; } = 100;

    /// <summary>How many statements to return, slowest first.</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int Top { get; set; } = 10;

    /// <summary>Include statements run in every database, not just the configured one.</summary>
    [Parameter]
    public SwitchParameter AllDatabases { get; set; }

    protected override void End()
    {
        var pg = Pg;
        WriteObject(Run((_, ct) => DbStatements.GetSlowQueriesAsync(pg, MinMeanTimeMs, Top, AllDatabases, ct)), enumerateCollection: true);
    }
}
