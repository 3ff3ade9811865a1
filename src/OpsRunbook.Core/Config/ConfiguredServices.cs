using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Config;

/// <summary>
/// The services of an environment (services: in the config) found by name, and each one's settings with the kind's
/// defaults filled in, in one place for every caller: Restart-OpsService, Set/Get-OpsWorkerScale, Get-OpsServiceLog,
/// the maintenance workers and the Service health probe.
/// </summary>
public static class ConfiguredServices
{
    /// <summary>The Docker Engine API endpoint when a docker service names none.</summary>
    public const string DefaultDockerEndpoint = "unix:///var/run/docker.sock";

    /// <summary>The service named <paramref name="name"/> (case-insensitive), or ServiceNotConfigured listing the ones there are.</summary>
    public static ServiceConfig FindService(this EnvironmentConfig env, string name) =>
        env.Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new OpsException(ErrorIds.ServiceNotConfigured, $"Environment '{env.Name}' has no service '{name}'. Services: {(env.Services.Count == 0 ? "none" : string.Join(", ", env.Services.Select(s => s.Name)))}.", name,
            "Add it under services: with a kind (systemd, docker) or a restartCommand.");

    /// <summary>systemd: the unit (default name.service).</summary>
    public static string UnitName(this ServiceConfig s) => s.Unit ?? s.Name + ".service";

    /// <summary>systemd: the systemctl to run (default systemctl on PATH).</summary>
    public static string SystemctlPath(this ServiceConfig s) => s.Systemctl ?? "systemctl";

    /// <summary>systemd: the journalctl to run (default journalctl on PATH).</summary>
    public static string JournalctlPath(this ServiceConfig s) => s.Journalctl ?? "journalctl";

    /// <summary>docker: the container (default the service's name).</summary>
    public static string ContainerName(this ServiceConfig s) => s.Container ?? s.Name;

    /// <summary>docker: the Engine API endpoint (default <see cref="DefaultDockerEndpoint"/>).</summary>
    public static string DockerEndpoint(this ServiceConfig s) => s.Endpoint ?? DefaultDockerEndpoint;
}
