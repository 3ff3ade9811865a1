namespace OpsRunbook.Core.Config;

/// <summary>
/// certificates: what the Certificates health family and Test-OpsCertificate check (the Security Audit's certificate
/// expiry step). targets: host:port endpoints (a TLS handshake each, the host name sent as SNI and matched against the
/// certificate); paths: PEM files (wildcards allowed); warnDays (30) and criticalDays (7): days left from which a
/// certificate warns or is critical; caFile: a PEM bundle of extra trusted roots (a private CA) besides the system's;
/// timeoutSeconds (10): one connect and handshake.
/// </summary>
public sealed class CertificatesConfig : IValidatableConfig
{
    public List<string> Targets { get; set; } = new();
    public List<string> Paths { get; set; } = new();
    public int WarnDays { get; set; } = 30;
    public int CriticalDays { get; set; } = 7;
    public string? CaFile { get; set; }
    public double TimeoutSeconds { get; set; } = 10;

    public void Validate(ConfigValidationContext c)
    {
        if (Targets.Count == 0 && Paths.Count == 0)
            c.Error("targets", "'certificates' lists neither 'targets' (host:port) nor 'paths' (PEM files): nothing to check.", ConfigProblemKind.MissingKey);
        foreach (var t in Targets)
            if (!ConfigChecks.TryParseHostPort(t, out _, out _))
                c.Error("targets", $"'targets' entries must be host:port, not '{t}'.", ConfigProblemKind.BadValue);
        foreach (var p in Paths)
            if (!System.IO.Path.IsPathFullyQualified(p))
                c.Error("paths", $"'paths' entries must be absolute paths, not '{p}'.", ConfigProblemKind.BadValue);
        if (CaFile is { Length: > 0 } && !System.IO.Path.IsPathFullyQualified(CaFile))
            c.Error("caFile", $"'caFile' must be an absolute path, not '{CaFile}'.", ConfigProblemKind.BadValue);
        if (WarnDays < 0) c.Error("warnDays", $"'warnDays' must be 0 or more, not {WarnDays}.", ConfigProblemKind.BadValue);
        if (CriticalDays < 0) c.Error("criticalDays", $"'criticalDays' must be 0 or more, not {CriticalDays}.", ConfigProblemKind.BadValue);
        if (CriticalDays > WarnDays) c.Error("criticalDays", $"'criticalDays' ({CriticalDays}) must not be more than 'warnDays' ({WarnDays}).", ConfigProblemKind.BadValue);
        if (TimeoutSeconds <= 0) c.Positive("timeoutSeconds", TimeoutSeconds);
    }

    public override string ToString() => $"{Targets.Count} target(s), {Paths.Count} path(s), warn {WarnDays} d, critical {CriticalDays} d";
}
