using System.Management.Automation;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>The runbook's monthly database maintenance: ANALYZE, REINDEX (CONCURRENTLY) and VACUUM (ANALYZE) per table.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "DbMaintenance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(DbMaintenanceResult))]
public sealed class InvokeDbMaintenanceCommand : OpsPostgresCmdlet
{
    private readonly List<string> _tables = new();

    /// <summary>Tables (schema.table or table); default: maintenance.tables from the config.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Table { get; set; }

    /// <summary>The operations to run on each table, in the runbook's order.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public DbMaintenanceOperation[] Operation { get; set; } = DbMaintenance.DefaultOperations;

    /// <summary>Use plain REINDEX TABLE (blocks writes) instead of REINDEX TABLE CONCURRENTLY.</summary>
    [Parameter]
    public SwitchParameter NoConcurrently { get; set; }

    /// <summary>Overrides maintenance.lockTimeoutSeconds.</summary>
    [Parameter]
    [Duration]
    public TimeSpan? LockTimeout { get; set; }

    /// <summary>Overrides maintenance.statementTimeoutSeconds (zero: none).</summary>
    [Parameter]
    [Duration]
    public TimeSpan? StatementTimeout { get; set; }

    /// <summary>Allow tables in the system schemas (pg_catalog, information_schema, pg_toast), refused otherwise.</summary>
    [Parameter]
    public SwitchParameter IncludeSystemSchema { get; set; }

    protected override void Process()
    {
        if (Table is not null) _tables.AddRange(Table);
    }

    protected override void End()
    {
        var pg = Pg;
        var tables = _tables.Count > 0 ? _tables : Env.Maintenance.Tables;
        var options = DbMaintenanceOptions.From(Env.Maintenance);
        if (NoConcurrently) options = options with { ReindexConcurrently = false };
        if (IncludeSystemSchema) options = options with { IncludeSystemSchema = true };
        if (LockTimeout is { } lt) options = options with { LockTimeout = lt };
        if (StatementTimeout is { } st) options = options with { StatementTimeout = st };
        Verbose($"Tables: {string.Join(", ", tables)}; operations: {string.Join(", ", Operation)}; lock_timeout {options.LockTimeout}, statement_timeout {options.StatementTimeout}.");
        Run((reporter, ct) => DbMaintenance.RunAsync(pg, tables, Operation, options, reporter,
            result => PostAndWait(() => WriteObject(result)),
            error => PostAndWait(() => WriteOpsError(error)), ct));
    }
}
