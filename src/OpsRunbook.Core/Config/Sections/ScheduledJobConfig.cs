using OpsRunbook.Core.Operations;

namespace OpsRunbook.Core.Config;

/// <summary>
/// One entry of schedule: name (a default job's name to override it, or a new one), cron (five fields, the
/// machine's local time), runbook (a script in the module's runbooks folder, or an absolute path), arguments
/// (appended to the command line), description, enabled (false drops a default job). Keys left out keep the
/// default job's value.
/// </summary>
public sealed class ScheduledJobConfig : IValidatableConfig
{
    public string Name { get; set; } = "";
    public string? Cron { get; set; }
    public string? Runbook { get; set; }
    public string? Arguments { get; set; }
    public string? Description { get; set; }
    public bool Enabled { get; set; } = true;

    public void Validate(ConfigValidationContext c)
    {
        c.Require("name", Name);
        var isDefault = Schedule.Defaults.Any(d => string.Equals(d.Name, Name, StringComparison.OrdinalIgnoreCase));
        if (!isDefault && Enabled)
        {
            c.Require("cron", Cron);
            c.Require("runbook", Runbook);
        }
        if (Cron is { Length: > 0 } && !CronFields.TryParse(Cron, out _, out var why))
            c.Error("cron", $"'cron' is not a usable cron line: {why}", ConfigProblemKind.BadValue);
        if (Runbook is { Length: > 0 } r && !Path.IsPathFullyQualified(r) && r.Contains('/'))
            c.Error("runbook", $"'runbook' is a file name in the module's runbooks folder or an absolute path, not '{r}'.", ConfigProblemKind.BadValue);
    }

    public override string ToString() => $"{Name}: {Cron} {Runbook}";
}
