namespace OpsRunbook.Core.Config;

/// <summary>A service to check. kind: process, tcp, http, systemd or docker.</summary>
public sealed class ServiceConfig : IValidatableConfig
{
    public static readonly string[] Kinds = ["process", "tcp", "http", "systemd", "docker"];

    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    /// <summary>http: the URL to GET.</summary>
    public string? Url { get; set; }
    /// <summary>http: the status code expected (default: any 2xx or 3xx).</summary>
    public int? ExpectStatus { get; set; }
    /// <summary>tcp: host:port.</summary>
    public string? Address { get; set; }
    /// <summary>process: the process name when it differs from name.</summary>
    public string? Process { get; set; }
    /// <summary>systemd: the unit (default: name + .service).</summary>
    public string? Unit { get; set; }
    /// <summary>docker: the container name or id (default: name).</summary>
    public string? Container { get; set; }
    /// <summary>docker: the Engine API endpoint (default unix:///var/run/docker.sock).</summary>
    public string? Endpoint { get; set; }
    /// <summary>docker, Set-OpsWorkerScale: the Compose project whose replicas are scaled (label com.docker.compose.project).</summary>
    public string? ComposeProject { get; set; }
    /// <summary>docker, Set-OpsWorkerScale: the Compose service (label com.docker.compose.service; default: name).</summary>
    public string? ComposeService { get; set; }
    /// <summary>systemd: the systemctl to run (default systemctl on PATH); it is asked `show UNIT --property=ActiveState,SubState`.</summary>
    public string? Systemctl { get; set; }
    /// <summary>Restart-OpsService: a command run with /bin/sh -c instead of the kind's own restart (any kind; required for process, tcp, http).</summary>
    public string? RestartCommand { get; set; }
    /// <summary>systemd: the journalctl Get-OpsServiceLog runs (default journalctl on PATH), asked `-u UNIT -o json`.</summary>
    public string? Journalctl { get; set; }
    /// <summary>Get-OpsServiceLog: a log file to read instead of journald or the container's logs (required for process, tcp, http).</summary>
    public string? LogFile { get; set; }

    public void Validate(ConfigValidationContext c)
    {
        c.Require("name", Name);
        if (LogFile is { Length: > 0 } && !System.IO.Path.IsPathFullyQualified(LogFile))
            c.Error("logFile", $"'logFile' must be an absolute path, not '{LogFile}'.", ConfigProblemKind.BadValue);
        if (RestartCommand is { } rc && string.IsNullOrWhiteSpace(rc))
            c.Error("restartCommand", "'restartCommand' is empty; leave the key out to restart by kind.", ConfigProblemKind.BadValue);
        if (!c.Require("kind", Kind)) return;
        switch (Kind)
        {
            case "http":
                if (c.Require("url", Url)) ConfigChecks.HttpUrl(c, "url", Url!);
                break;
            case "tcp":
                if (c.Require("address", Address) && !ConfigChecks.TryParseHostPort(Address!, out _, out _))
                    c.Error("address", $"'address' must be host:port, not '{Address}'.", ConfigProblemKind.BadValue);
                break;
            case "process": case "systemd": case "docker":
                break;
            default:
                c.Error("kind", $"'kind' must be one of {string.Join(", ", Kinds)}, not '{Kind}'.", ConfigProblemKind.BadValue);
                break;
        }
    }
    public override string ToString() => $"{Name} ({Kind})";
}
