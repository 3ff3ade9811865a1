namespace OpsRunbook.Core.Config;

/// <summary>
/// diskEmergency: optional steps of Clear-DiskEmergency. journalVacuumTime (journalctl --vacuum-time,
/// e.g. 2d; absent: no journal step), dockerPrune (true: prune through the Engine API), dockerEndpoint.
/// </summary>
public sealed class DiskEmergencyConfig : IValidatableConfig
{
    public string? JournalVacuumTime { get; set; }
    public bool DockerPrune { get; set; }
    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    public void Validate(ConfigValidationContext c)
    {
        if (!string.IsNullOrEmpty(JournalVacuumTime) && !System.Text.RegularExpressions.Regex.IsMatch(JournalVacuumTime, @"^\d+(s|m|h|d|w|min|months|weeks|days|years|y)?$"))
            c.Error("journalVacuumTime", $"'journalVacuumTime' must be a journalctl time span such as 2d or 12h, not '{JournalVacuumTime}'.", ConfigProblemKind.BadValue);
        if (!DockerEndpoint.StartsWith("unix:///", StringComparison.Ordinal))
            c.Error("dockerEndpoint", $"'dockerEndpoint' must be a unix socket such as unix:///var/run/docker.sock, not '{DockerEndpoint}'.", ConfigProblemKind.BadValue);
    }

    public override string ToString() => $"journal {(string.IsNullOrEmpty(JournalVacuumTime) ? "off" : JournalVacuumTime)}, docker prune {(DockerPrune ? "on" : "off")}";
}
