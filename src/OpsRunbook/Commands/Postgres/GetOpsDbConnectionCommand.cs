using System.Management.Automation;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>Returns pg_stat_activity as objects (never this cmdlet's own session).</summary>
[Cmdlet(VerbsCommon.Get, "OpsDbConnection", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(DbConnectionInfo))]
public sealed class GetOpsDbConnectionCommand : OpsPostgresCmdlet
{
    /// <summary>Only sessions in these states: active, idle, 'idle in transaction', ... (a typo is an error, never "nothing found").</summary>
    [Parameter]
    [ValidateSet(typeof(DbConnectionStateValues))]
    [ValidateNotNullOrEmpty]
    public string[]? State { get; set; }

    /// <summary>Only idle sessions whose state changed longer ago than this.</summary>
    [Parameter]
    [Duration]
    public TimeSpan? IdleLongerThan { get; set; }

    /// <summary>Only sessions of these users.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? User { get; set; }

    /// <summary>Only sessions with these application names.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Application { get; set; }

    /// <summary>
    /// Only sessions connected to these databases (default: every database). With -Server, one name is also the
    /// database to connect to (pg_stat_activity shows every database's sessions from any of them).
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public new string[]? Database { get; set; }

    protected override string? ServerDatabase => Database is { Length: 1 } d ? d[0] : null;

    /// <summary>Also return background processes (autovacuum, walwriter, ...).</summary>
    [Parameter]
    public SwitchParameter IncludeBackground { get; set; }


    protected override void End()
    {
        var pg = Pg;
        var filter = new DbConnectionFilter
        {
            State = State?.Select(DbConnections.CanonicalState).ToArray(), IdleLongerThan = IdleLongerThan, User = User, Application = Application, Database = Database,
            IncludeBackground = IncludeBackground,
        };
        // All rows are read and the connection closed before any is written: a Stop-OpsDbConnection
        // downstream then needs only one connection slot of its own.
        var rows = Run((_, ct) => DbConnections.GetAsync(pg, filter, null, ct));
        WriteObject(rows, enumerateCollection: true);
    }
}
