namespace OpsRunbook.Core.Config;

/// <summary>
/// diskEmergency: optional steps of Clear-DiskEmergency. journalVacuumTime (journalctl --vacuum-time,
/// e.g. 2d; absent: no journal step), dockerPrune (true: prune through the Engine API), dockerEndpoint,
/// stepTimeoutSeconds (the bound of every outside call a step makes).
/// </summary>
public sealed class DiskEmergencyConfig : IValidatableConfig
{
    public string? JournalVacuumTime { get; set; }
    public bool DockerPrune { get; set; }
    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";
    /// <summary>The bound of each outside call of a step (a journalctl run, a Docker API request).</summary>
    public int StepTimeoutSeconds { get; set; } = 120;
    public TimeSpan StepTimeout => TimeSpan.FromSeconds(StepTimeoutSeconds);

    public void Validate(ConfigValidationContext c)
    {
        c.Positive("stepTimeoutSeconds", StepTimeoutSeconds);
        if (!string.IsNullOrEmpty(JournalVacuumTime) && !System.Text.RegularExpressions.Regex.IsMatch(JournalVacuumTime, @"^\d+(s|m|h|d|w|min|months|weeks|days|years|y)?$"))
            c.Error("journalVacuumTime", $"'journalVacuumTime' must be a journalctl time span such as 2d or 12h, not '{JournalVacuumTime}'.", ConfigProblemKind.BadValue);
        if (!DockerEndpoint.StartsWith("unix:///", StringComparison.Ordinal))
            c.Error("dockerEndpoint", $"'dockerEndpoint' must be a unix socket such as unix:///var/run/docker.sock, not '{DockerEndpoint}'.", ConfigProblemKind.BadValue);
    }

    public override string ToString() => $"journal {(string.IsNullOrEmpty(JournalVacuumTime) ? "off" : JournalVacuumTime)}, docker prune {(DockerPrune ? "on" : "off")}";
}
