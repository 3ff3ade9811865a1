using System.Management.Automation;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Commands;

/// <summary>Logins and boots from wtmp (utmp records read directly), newest first, as `last -F` pairs them.</summary>
[Cmdlet(VerbsCommon.Get, "OpsLoginHistory")]
[OutputType(typeof(LoginRecord))]
public sealed class GetOpsLoginHistoryCommand : OpsCmdlet
{
    /// <summary>How many rows (newest first), as last -n. Boots count as rows, as in last.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(1, int.MaxValue)]
    public int Last { get; set; } = 20;

    /// <summary>Only these users (wildcards allowed); boots are listed under the user "reboot".</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? User { get; set; }

    /// <summary>The wtmp file (default /var/log/wtmp; a rotated /var/log/wtmp.1 works too).</summary>
    [Parameter]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = LoginHistory.DefaultPath;

    protected override void Process()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        var users = User?.Select(u => new WildcardPattern(u, WildcardOptions.IgnoreCase)).ToList();
        var rows = Run((r, ct) => Task.Run(() => LoginHistory.Read(path), ct));
        WriteObject(rows.Where(x => users is null || users.Any(u => u.IsMatch(x.User))).Take(Last), enumerateCollection: true);
    }
}
