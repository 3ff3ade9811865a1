using System.Management.Automation;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Commands;

/// <summary>sudo's commands from auth.log (the Security Audit's access review): User, Tty, RunAs, Command, Time, refusals flagged.</summary>
[Cmdlet(VerbsCommon.Get, "OpsSudoEvent")]
[OutputType(typeof(SudoEvent))]
public sealed class GetOpsSudoEventCommand : OpsLogWindowCmdlet
{
    /// <summary>Only these users (wildcards allowed).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? User { get; set; }

    /// <summary>Only refused commands (not in sudoers, not allowed, wrong password).</summary>
    [Parameter]
    public SwitchParameter Refused { get; set; }

    /// <summary>auth.log files (wildcards allowed); default logs.systemAuth (/var/log/auth.log) with its rotations.</summary>
    [Parameter]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void End()
    {
        var logs = LogsOrNull(Path is not null);
        IReadOnlyList<string> paths = Path?.Select(GetUnresolvedProviderPathFromPSPath).ToList()
            ?? (IReadOnlyList<string>)[logs?.SystemAuth is { Length: > 0 } a ? a : "/var/log/auth.log"];
        var (since, _) = ResolveWindow(TimeSpan.FromDays(7));
        var users = User?.Select(u => new WildcardPattern(u, WildcardOptions.IgnoreCase)).ToList();
        var events = Run((r, ct) => Task.FromResult(SudoEvents.Collect(paths, since, Until, r, ReportProblem, ct)));
        foreach (var e in events)
            if ((users is null || users.Any(u => u.IsMatch(e.User))) && (!Refused || !e.Allowed)) WriteObject(e);
    }
}
