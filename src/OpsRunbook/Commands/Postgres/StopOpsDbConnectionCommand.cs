using System.Management.Automation;
using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Commands;

/// <summary>Terminates PostgreSQL sessions (or cancels their running query) by Pid or from Get-OpsDbConnection.</summary>
[Cmdlet(VerbsLifecycle.Stop, "OpsDbConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(DbConnectionStopResult))]
public sealed class StopOpsDbConnectionCommand : OpsPostgresCmdlet
{
    private readonly List<int> _approved = new();

    /// <summary>The server process ids (pg_stat_activity.pid).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ProcessId")]
    [ValidateRange(1, int.MaxValue)]
    public int[] Pid { get; set; } = [];

    /// <summary>Only cancel the running query (pg_cancel_backend); the session stays connected.</summary>
    [Parameter]
    public SwitchParameter CancelQuery { get; set; }

    /// <summary>Do not ask for confirmation (-WhatIf still only reports).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Seconds to wait for a terminated process to exit, so its slot is free when this returns.</summary>
    [Parameter]
    [ValidateRange(0, 300)]
    public int WaitSeconds { get; set; } = 5;


    // Bound from a piped DbConnectionInfo, to describe the target in the confirmation prompt.
    /// <summary>Used only to describe the target when piped from Get-OpsDbConnection.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? User { get; set; }

    /// <summary>Used only to describe the target when piped from Get-OpsDbConnection.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? Application { get; set; }

    protected override void Process()
    {
        var action = CancelQuery ? "Cancel the running query (pg_cancel_backend)" : "Terminate the session (pg_terminate_backend)";
        foreach (var pid in Pid)
        {
            var target = $"PostgreSQL process {pid}" + (User is null ? "" : $" (user {User}, application '{Application}')") + $" on {Pg}";
            if (Approve(target, action)) _approved.Add(pid);
        }
        User = null;
        Application = null;
    }

    protected override void End()
    {
        if (_approved.Count == 0) return;
        var pg = Pg;
        var wait = TimeSpan.FromSeconds(WaitSeconds);
        Run((_, ct) => DbConnections.StopAsync(pg, _approved, CancelQuery, wait, null,
            result => PostAndWait(() => WriteObject(result)), ct));
    }

    private bool Approve(string target, string action)
    {
        if (Force && !MyInvocation.BoundParameters.ContainsKey("Confirm") && !WhatIfRequested())
        {
            Verbose($"{action}: {target} (-Force).");
            return true;
        }
        return ShouldProcess(target, action);
    }

    private bool WhatIfRequested()
        => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) ? LanguagePrimitives.IsTrue(w)
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference", false));
}
