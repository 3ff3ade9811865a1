using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>Returns pg_stat_activity as objects (never this cmdlet's own session).</summary>
[Cmdlet(VerbsCommon.Get, "OpsDbConnection")]
[OutputType(typeof(DbConnectionInfo))]
public sealed class GetOpsDbConnectionCommand : OpsPostgresCmdlet
{
    /// <summary>Only sessions in these states: active, idle, 'idle in transaction', ...</summary>
    [Parameter]
    [ArgumentCompleter(typeof(StateCompleter))]
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

    /// <summary>Only sessions connected to these databases (default: every database).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Database { get; set; }

    /// <summary>Also return background processes (autovacuum, walwriter, ...).</summary>
    [Parameter]
    public SwitchParameter IncludeBackground { get; set; }

    /// <summary>Connect as this user (a superuser can use the reserved slots when the server is full).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    protected override void End()
    {
        var pg = Pg;
        var filter = new DbConnectionFilter
        {
            State = State, IdleLongerThan = IdleLongerThan, User = User, Application = Application, Database = Database,
            IncludeBackground = IncludeBackground,
        };
        var options = OptionsFor(Credential);
        // All rows are read and the connection closed before any is written: a Stop-OpsDbConnection
        // downstream then needs only one connection slot of its own.
        var rows = Run((_, ct) => DbConnections.GetAsync(pg, filter, options, ct));
        WriteObject(rows, enumerateCollection: true);
    }

    private sealed class StateCompleter : IArgumentCompleter
    {
        private static readonly string[] States = ["active", "idle", "idle in transaction", "idle in transaction (aborted)", "fastpath function call", "disabled"];

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = wordToComplete.Trim('\'', '"');
            return States.Where(s => s.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Select(s => new CompletionResult(s.Contains(' ') ? $"'{s}'" : s, s, CompletionResultType.ParameterValue, s));
        }
    }
}
