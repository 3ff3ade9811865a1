using System.Management.Automation;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Commands;

/// <summary>Writes the schedule as a cron.d file or as systemd .service + .timer pairs that run pwsh -File on each runbook.</summary>
[Cmdlet(VerbsData.Export, "OpsSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ScheduleFile))]
public sealed class ExportOpsScheduleCommand : OpsEnvironmentCmdlet
{
    /// <summary>Crontab (one cron.d file) or SystemdTimer (a .service and a .timer per job).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet("Crontab", "SystemdTimer")]
    public string Format { get; set; } = "";

    /// <summary>The folder to write into (created when missing): /etc/cron.d or /etc/systemd/system on a server.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Only these jobs (wildcards allowed).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>The pwsh the jobs run.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string PwshPath { get; set; } = "/usr/local/bin/pwsh";

    /// <summary>Where the runbook scripts are; default: the runbooks folder of the loaded module.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RunbookDirectory { get; set; }

    /// <summary>The root-only file of secrets and OPSRUNBOOK_CONFIG, read by systemd's EnvironmentFile= and sourced by the cron line.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string EnvironmentFile { get; set; } = "/etc/opsrunbook/secrets.env";

    /// <summary>Crontab: the user cron runs the jobs as.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string User { get; set; } = "root";

    protected override void Process()
    {
        var dir = GetUnresolvedProviderPathFromPSPath(Path);
        var runbooks = ScheduleCmdlets.RunbookDirectory(this, RunbookDirectory);
        var jobs = ScheduleCmdlets.Select(Schedule.Resolve(Env, runbooks, DateTimeOffset.Now), Name);
        Schedule.AssertRunbooksExist(jobs);
        var options = new ScheduleExportOptions { PwshPath = PwshPath, EnvironmentFile = EnvironmentFile, User = User, Environment = Env.Name };
        var files = new List<(ScheduleFile File, string Text)>();
        if (Format == "Crontab")
        {
            files.Add((new ScheduleFile { Format = Format, Kind = "crontab", Path = System.IO.Path.Combine(dir, options.Prefix), When = string.Join("; ", jobs.Select(j => j.Cron)) },
                Schedule.Crontab(jobs, options)));
        }
        else
        {
            foreach (var j in jobs)
            {
                var unit = Schedule.UnitName(j, options);
                files.Add((new ScheduleFile { Job = j.Name, Format = Format, Kind = "service", Path = System.IO.Path.Combine(dir, unit + ".service"), When = j.OnCalendar }, Schedule.ServiceUnit(j, options)));
                files.Add((new ScheduleFile { Job = j.Name, Format = Format, Kind = "timer", Path = System.IO.Path.Combine(dir, unit + ".timer"), When = j.OnCalendar }, Schedule.TimerUnit(j, options)));
            }
        }
        foreach (var (file, text) in files)
        {
            var written = false;
            if (ShouldProcess(file.Path, File.Exists(file.Path) ? "Overwrite schedule file" : "Write schedule file"))
            {
                Directory.CreateDirectory(dir);
                var tmp = file.Path + ".tmp";
                File.WriteAllText(tmp, text);
                File.Move(tmp, file.Path, overwrite: true);
                written = true;
            }
            WriteObject(new ScheduleFile { Job = file.Job, Format = file.Format, Kind = file.Kind, Path = file.Path, When = file.When, Written = written });
        }
    }
}
