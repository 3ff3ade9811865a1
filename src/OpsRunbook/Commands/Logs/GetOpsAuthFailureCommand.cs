using System.Management.Automation;
using OpsRunbook.Core.Logs;

namespace OpsRunbook.Commands;

/// <summary>Failed logins from the API's auth logs and sshd's auth.log, by source IP or user, with a brute-force flag.</summary>
[Cmdlet(VerbsCommon.Get, "OpsAuthFailure")]
[OutputType(typeof(AuthFailureSummary))]
public sealed class GetOpsAuthFailureCommand : OpsLogWindowCmdlet
{
    /// <summary>The span in which -Threshold failures from one source mean brute force.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Failures from one source within -Window that mean brute force.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Threshold { get; set; } = 10;

    /// <summary>One summary per SourceIp or per User.</summary>
    [Parameter]
    public AuthFailureGroupBy GroupBy { get; set; } = AuthFailureGroupBy.SourceIp;

    /// <summary>API auth logs (files or wildcards); default: logs.auth files of the days in the window.</summary>
    [Parameter]
    [ValidateNotNull]
    public string[]? ApiLogPath { get; set; }

    /// <summary>sshd's auth.log; default: logs.systemAuth (/var/log/auth.log), with its rotations.</summary>
    [Parameter]
    [ValidateNotNull]
    public string[]? SshLogPath { get; set; }

    protected override void End()
    {
        var (since, until) = ResolveWindow(TimeSpan.FromHours(24));
        var given = ApiLogPath is not null || SshLogPath is not null;
        var logs = LogsOrNull(given);
        IReadOnlyList<string> api = ApiLogPath?.Select(GetUnresolvedProviderPathFromPSPath).ToList() ?? (IReadOnlyList<string>)[];
        IReadOnlyList<string> ssh = SshLogPath?.Select(GetUnresolvedProviderPathFromPSPath).ToList() ?? (IReadOnlyList<string>)[];
        if (logs is not null)
        {
            var (cfgApi, cfgSsh) = AuthFailures.DefaultPaths(logs, since, until);
            if (ApiLogPath is null) api = cfgApi;
            if (SshLogPath is null) ssh = cfgSsh.Where(p => File.Exists(p) || !string.Equals(p, "/var/log/auth.log", StringComparison.Ordinal)).ToList();
            if (SshLogPath is null && ssh.Count == 0) Verbose("No /var/log/auth.log on this machine: sshd failures are not read.");
        }
        if (api.Count == 0 && ssh.Count == 0)
        {
            Warning("No auth log to read: no logs.auth file for the window and no sshd auth.log.");
            return;
        }
        var options = new AuthFailureOptions { ApiPaths = api, SshPaths = ssh, Since = since, Until = Until, Window = Window, Threshold = Threshold, GroupBy = GroupBy };
        WriteObject(Run((r, ct) => Task.FromResult(AuthFailures.Collect(options, r, ReportProblem, ct))), enumerateCollection: true);
    }
}
