using System.Globalization;
using System.Text;
using Cronos;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Operations;

/// <summary>One job of the schedule, as Get-OpsSchedule returns it.</summary>
public sealed class ScheduledJob
{
    public string Name { get; init; } = "";
    /// <summary>Five cron fields, in the machine's local time.</summary>
    public string Cron { get; init; } = "";
    /// <summary>The runbook script that does the job (a file in the module's runbooks folder, or an absolute path).</summary>
    public string Command { get; init; } = "";
    /// <summary>Arguments appended to the runbook's command line.</summary>
    public string Arguments { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>The runbook's full path.</summary>
    public string RunbookPath { get; init; } = "";
    /// <summary>The same times as a systemd OnCalendar expression.</summary>
    public string OnCalendar { get; init; } = "";
    /// <summary>The next time the job runs (local time zone of the machine, as cron and systemd use).</summary>
    public DateTimeOffset? NextRun { get; init; }
    /// <summary>default (the runbook's cron schedule) or config (changed or added by schedule: in the config).</summary>
    public string Source { get; init; } = "default";
    public override string ToString() => $"{Name} ({Cron})";
}

/// <summary>A file Export-OpsSchedule wrote.</summary>
public sealed class ScheduleFile
{
    /// <summary>The job (empty for the crontab, which holds every job).</summary>
    public string Job { get; init; } = "";
    /// <summary>Crontab or SystemdTimer.</summary>
    public string Format { get; init; } = "";
    /// <summary>crontab, service or timer.</summary>
    public string Kind { get; init; } = "";
    public string Path { get; init; } = "";
    /// <summary>The schedule line: the cron fields or the OnCalendar expression.</summary>
    public string When { get; init; } = "";
    /// <summary>False under -WhatIf.</summary>
    public bool Written { get; init; }
}

/// <summary>Options for writing the schedule as crontab lines or systemd units.</summary>
public sealed class ScheduleExportOptions
{
    public string PwshPath { get; init; } = "/usr/local/bin/pwsh";
    public string EnvironmentFile { get; init; } = "/etc/opsrunbook/secrets.env";
    /// <summary>The user cron runs the jobs as (cron.d format).</summary>
    public string User { get; init; } = "root";
    /// <summary>Passed to every runbook as -Environment when set.</summary>
    public string? Environment { get; init; }
    /// <summary>Unit and crontab file name prefix.</summary>
    public string Prefix { get; init; } = "opsrunbook";
}

/// <summary>
/// The runbook's "Cron Schedule": seven jobs, each run by a runbook script, with schedule: in the config changing,
/// dropping or adding jobs. Writes them as a cron.d file or as systemd service + timer pairs.
/// </summary>
public static class Schedule
{
    /// <summary>The runbook's seven cron jobs (runbook.md, "Cron Schedule").</summary>
    public static readonly IReadOnlyList<ScheduledJobConfig> Defaults =
    [
        new() { Name = "DatabaseBackup", Cron = "0 */6 * * *", Runbook = "BackupEvery6Hours.ps1", Description = "Database backup - every 6 hours" },
        new() { Name = "LogRotation", Cron = "0 2 * * *", Runbook = "LogRotation.ps1", Description = "Log rotation - daily at 2 AM", Arguments = "" },
        new() { Name = "UsageReport", Cron = "0 6 * * *", Runbook = "UsageReport.ps1", Description = "Usage report - daily at 6 AM", Arguments = "-OutputDirectory /var/log/opsrunbook/reports" },
        new() { Name = "CostTracking", Cron = "0 * * * *", Runbook = "CostTracking.ps1", Description = "Cost tracking - hourly", Arguments = "-OutputDirectory /var/log/opsrunbook/reports" },
        new() { Name = "HealthCheck", Cron = "*/5 * * * *", Runbook = "DailyHealthCheck.ps1", Description = "Health check - every 5 minutes",
                Arguments = "-LogDirectory /var/log/opsrunbook -PrometheusPath /var/log/opsrunbook/opsrunbook-health.prom" },
        new() { Name = "CertificateCheck", Cron = "0 0 * * 0", Runbook = "CertificateCheck.ps1", Description = "Certificate renewal check - weekly" },
        new() { Name = "DbMaintenance", Cron = "0 3 15 * *", Runbook = "MonthlyDbMaintenance.ps1", Description = "Database maintenance - monthly" },
    ];

    /// <summary>The jobs: the defaults, changed, dropped or extended by the environment's schedule: entries.</summary>
    public static IReadOnlyList<ScheduledJob> Resolve(EnvironmentConfig env, string runbookDirectory, DateTimeOffset now, TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Local;
        var merged = Defaults.Select(d => (Job: Copy(d), Source: "default")).ToList();
        foreach (var o in env.Schedule ?? [])
        {
            var i = merged.FindIndex(m => string.Equals(m.Job.Name, o.Name, StringComparison.OrdinalIgnoreCase));
            if (i < 0) { merged.Add((Copy(o), "config")); continue; }
            var d = merged[i].Job;
            merged[i] = (new ScheduledJobConfig
            {
                Name = d.Name, Cron = o.Cron ?? d.Cron, Runbook = o.Runbook ?? d.Runbook, Arguments = o.Arguments ?? d.Arguments,
                Description = o.Description ?? d.Description, Enabled = o.Enabled,
            }, "config");
        }
        return merged.Where(m => m.Job.Enabled).Select(m => Build(m.Job, m.Source, runbookDirectory, now, zone)).ToList();
    }

    private static ScheduledJobConfig Copy(ScheduledJobConfig c) => new()
        { Name = c.Name, Cron = c.Cron, Runbook = c.Runbook, Arguments = c.Arguments, Description = c.Description, Enabled = c.Enabled };

    private static ScheduledJob Build(ScheduledJobConfig c, string source, string runbookDirectory, DateTimeOffset now, TimeZoneInfo zone)
    {
        var fields = CronFields.Parse(c.Cron!);
        var runbook = c.Runbook!;
        return new ScheduledJob
        {
            Name = c.Name, Cron = c.Cron!.Trim(), Command = runbook, Arguments = c.Arguments ?? "", Description = c.Description ?? "",
            RunbookPath = Path.IsPathFullyQualified(runbook) ? runbook : Path.Combine(runbookDirectory, runbook),
            OnCalendar = fields.ToOnCalendar(), NextRun = NextRuns(fields, now, zone, 1).FirstOrDefault(), Source = source,
        };
    }

    /// <summary>The next <paramref name="count"/> run times after <paramref name="from"/>, from Cronos.</summary>
    public static IReadOnlyList<DateTimeOffset> NextRuns(CronFields fields, DateTimeOffset from, TimeZoneInfo zone, int count)
    {
        var cron = CronExpression.Parse(fields.Expression, CronFormat.Standard);
        var list = new List<DateTimeOffset>(count);
        var t = from;
        while (list.Count < count && cron.GetNextOccurrence(t, zone) is { } next)
        {
            list.Add(next);
            t = next;
        }
        return list;
    }

    /// <summary>Throws RunbookNotFound for the first job whose runbook script is missing.</summary>
    public static void AssertRunbooksExist(IEnumerable<ScheduledJob> jobs)
    {
        foreach (var j in jobs)
            if (!File.Exists(j.RunbookPath))
                throw new OpsException(ErrorIds.RunbookNotFound, $"Job '{j.Name}' runs {j.RunbookPath}, which does not exist.", j.Name,
                    "Install the module with its runbooks folder, or set schedule: [{ name: " + j.Name + ", runbook: <absolute path> }] in the config.");
    }

    // ---- crontab -----------------------------------------------------------------------------------

    /// <summary>The cron.d file (/etc/cron.d/opsrunbook): the environment file sourced, then pwsh -File on each runbook.</summary>
    public static string Crontab(IEnumerable<ScheduledJob> jobs, ScheduleExportOptions o)
    {
        var sb = new StringBuilder();
        sb.Append("# OpsRunbook schedule").Append(o.Environment is null ? "" : $" (environment {o.Environment})").Append(", written by Export-OpsSchedule.\n");
        sb.Append("# Times are the machine's local time. Install as /etc/cron.d/").Append(o.Prefix).Append(" (cron.d format: the user is the sixth field).\n");
        sb.Append("SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
        foreach (var j in jobs)
        {
            sb.Append('\n');
            if (j.Description.Length > 0) sb.Append("# ").Append(j.Name).Append(": ").Append(OneLine(j.Description)).Append('\n');
            var command = $"set -a; . {ShQuote(o.EnvironmentFile)}; set +a; {ShQuote(o.PwshPath)} -NoProfile -NonInteractive -File {ShQuote(j.RunbookPath)}"
                          + (o.Environment is null ? "" : $" -Environment {ShQuote(o.Environment)}") + (j.Arguments.Length > 0 ? " " + j.Arguments : "");
            // cron turns an unescaped % into a newline (stdin for the command).
            sb.Append(j.Cron).Append(' ').Append(o.User).Append(' ').Append(command.Replace("%", "\\%")).Append('\n');
        }
        return sb.ToString();
    }

    private static string OneLine(string s) => s.Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>Quotes a word for /bin/sh when it needs it.</summary>
    public static string ShQuote(string s) =>
        s.Length > 0 && s.All(ch => char.IsAsciiLetterOrDigit(ch) || "/._-+=:,@".Contains(ch)) ? s : "'" + s.Replace("'", "'\\''") + "'";

    // ---- systemd -----------------------------------------------------------------------------------

    /// <summary>The unit name (without suffix) for a job: opsrunbook-database-backup.</summary>
    public static string UnitName(ScheduledJob j, ScheduleExportOptions o)
    {
        var sb = new StringBuilder(o.Prefix).Append('-');
        for (var i = 0; i < j.Name.Length; i++)
        {
            var ch = j.Name[i];
            if (char.IsAsciiLetterOrDigit(ch))
            {
                if (char.IsUpper(ch) && i > 0 && sb[^1] != '-' && (char.IsLower(j.Name[i - 1]) || char.IsDigit(j.Name[i - 1]))) sb.Append('-');
                sb.Append(char.ToLowerInvariant(ch));
            }
            else if (sb[^1] != '-') sb.Append('-');
        }
        return sb.ToString().TrimEnd('-');
    }

    /// <summary>The .service unit: a oneshot that runs pwsh -File on the runbook with the environment file's variables.</summary>
    public static string ServiceUnit(ScheduledJob j, ScheduleExportOptions o)
    {
        var exec = new List<string> { o.PwshPath, "-NoProfile", "-NonInteractive", "-File", j.RunbookPath };
        if (o.Environment is not null) { exec.Add("-Environment"); exec.Add(o.Environment); }
        var args = string.Join(' ', exec.Select(UnitQuote)) + (j.Arguments.Length > 0 ? " " + EscapeUnit(j.Arguments) : "");
        return $"""
            [Unit]
            Description={EscapeUnit(OneLine(j.Description.Length > 0 ? $"OpsRunbook {j.Name}: {j.Description}" : $"OpsRunbook {j.Name}"))}
            [Service]
            Type=oneshot
            EnvironmentFile={o.EnvironmentFile}
            ExecStart={args}
            # 1 is a Warning (Nagios convention): logged, not a failed unit. 2 (Critical) and 3 (Unknown) fail the unit.
            SuccessExitStatus=1

            """.Replace("\r\n", "\n");
    }

    /// <summary>The .timer unit: OnCalendar from the cron fields, Persistent so a run missed while the machine was off happens at boot.</summary>
    public static string TimerUnit(ScheduledJob j, ScheduleExportOptions o) => $"""
        [Unit]
        Description={EscapeUnit(OneLine($"OpsRunbook {j.Name} timer ({j.Cron})"))}
        [Timer]
        OnCalendar={j.OnCalendar}
        Persistent=true
        Unit={UnitName(j, o)}.service
        [Install]
        WantedBy=timers.target

        """.Replace("\r\n", "\n");

    // systemd expands % specifiers and $VARIABLES in ExecStart: both are doubled to stay literal.
    private static string EscapeUnit(string s) => s.Replace("%", "%%").Replace("$", "$$");

    private static string UnitQuote(string s)
    {
        s = EscapeUnit(s);
        return s.Length > 0 && !s.Any(ch => char.IsWhiteSpace(ch) || ch is '"' or '\'' or '\\' or ';') ? s : "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    /// <summary>Formats a time as systemd-analyze calendar prints it ("Thu 2026-12-03 02:00:00"), for comparisons.</summary>
    public static string SystemdTime(DateTimeOffset t) => t.ToString("ddd yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
