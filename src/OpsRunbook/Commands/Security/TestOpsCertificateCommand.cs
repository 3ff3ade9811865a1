using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Commands;

/// <summary>
/// Checks TLS certificates (the Security Audit's certificate expiry step): of endpoints (a bounded handshake each) and
/// PEM files: Subject, SANs, Issuer, NotAfter, DaysLeft, ChainValid, HostnameMatches and a Status from the thresholds.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "OpsCertificate")]
[OutputType(typeof(CertificateCheckResult))]
public sealed class TestOpsCertificateCommand : OpsEnvironmentCmdlet
{
    /// <summary>host:port endpoints. Default (with no -Path either): certificates.targets and certificates.paths of the config.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Target { get; set; }

    /// <summary>PEM files (wildcards allowed): the first certificate of each is judged, the others are its chain.</summary>
    [Parameter]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Warning when fewer days are left (default: certificates.warnDays, else 30).</summary>
    [Parameter]
    [ValidateRange(0, 3650)]
    public int? WarnDays { get; set; }

    /// <summary>Critical when fewer days are left (default: certificates.criticalDays, else 7).</summary>
    [Parameter]
    [ValidateRange(0, 3650)]
    public int? CriticalDays { get; set; }

    /// <summary>A PEM bundle of extra trusted roots, e.g. a private CA (default: certificates.caFile).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CaFile { get; set; }

    /// <summary>For -Path: the host name the certificate must be valid for (HostnameMatches).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HostName { get; set; }

    /// <summary>Bound of one connect and handshake, in seconds (default: certificates.timeoutSeconds, else 10).</summary>
    [Parameter]
    [ValidateRange(0.1, 600)]
    public double? TimeoutSeconds { get; set; }

    protected override IReadOnlyCollection<string>? ConfigSections => ["certificates"];

    protected override void Process()
    {
        var targets = Target?.ToList() ?? new List<string>();
        var files = new List<string>();
        var cfg = Target is null && Path is null ? Env.Require(e => e.Certificates, "certificates") : null;
        if (cfg is not null) targets.AddRange(cfg.Targets);
        foreach (var p in Path ?? cfg?.Paths.ToArray() ?? [])
        {
            var resolved = ResolvePath(p);
            if (resolved.Count == 0)
                WriteOpsError(new OpsException(ErrorIds.CertificateFileInvalid, $"No certificate file matches {p}.", p, "Check the path."));
            files.AddRange(resolved);
        }
        var fromConfig = Target is null && Path is null ? cfg : null;
        var options = new CertificateCheckOptions(
            WarnDays ?? fromConfig?.WarnDays ?? TryConfig()?.WarnDays ?? 30,
            CriticalDays ?? fromConfig?.CriticalDays ?? TryConfig()?.CriticalDays ?? 7,
            TimeSpan.FromSeconds(TimeoutSeconds ?? fromConfig?.TimeoutSeconds ?? TryConfig()?.TimeoutSeconds ?? 10),
            CaFile is null ? fromConfig?.CaFile ?? TryConfig()?.CaFile : GetUnresolvedProviderPathFromPSPath(CaFile),
            HostName);
        if (options.CriticalDays > options.WarnDays)
            throw new OpsException(ErrorIds.CertificateThresholdsInvalid, $"-CriticalDays ({options.CriticalDays}) must not be more than -WarnDays ({options.WarnDays}).", "CriticalDays", "Give -CriticalDays below -WarnDays.");
        var results = Run(async (r, ct) =>
        {
            var tls = targets.Select(t => Attempt(() => CertificateChecker.CheckTargetAsync(t, options, ct))).ToList();
            var pem = files.Select(f => Attempt(() => Task.Run(() => CertificateChecker.CheckFile(f, options), ct))).ToList();
            return await Task.WhenAll(tls.Concat(pem)).ConfigureAwait(false);
        });
        foreach (var (result, error) in results)
        {
            if (error is not null) WriteOpsError(error);
            else WriteObject(result);
        }
    }

    private static async Task<(CertificateCheckResult?, OpsException?)> Attempt(Func<Task<CertificateCheckResult>> check)
    {
        try { return (await check().ConfigureAwait(false), null); }
        catch (OpsException e) when (!e.IsConfigError) { return (null, e); }
    }

    private bool _configTried;
    private Core.Config.CertificatesConfig? _config;

    /// <summary>The config's certificates: section when a config can be found; parameters alone need none.</summary>
    private Core.Config.CertificatesConfig? TryConfig()
    {
        if (_configTried) return _config;
        _configTried = true;
        try { _config = Env.Certificates; }
        catch (OpsException e) when (e.IsConfigError && ConfigPath is null && Environment is null) { _config = null; }
        return _config;
    }

    private List<string> ResolvePath(string p)
    {
        if (WildcardPattern.ContainsWildcardCharacters(p))
        {
            try { return GetResolvedProviderPathFromPSPath(p, out _).Order(StringComparer.Ordinal).ToList(); }
            catch (ItemNotFoundException) { return []; }
        }
        return [GetUnresolvedProviderPathFromPSPath(p)];
    }
}
