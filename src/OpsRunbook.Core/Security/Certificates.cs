using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Core.Security;

/// <summary>One certificate checked: from a TLS endpoint (host:port) or a PEM file, judged against warn and critical days.</summary>
public sealed class CertificateCheckResult
{
    /// <summary>host:port, or the file's path.</summary>
    public string Target { get; set; } = "";
    /// <summary>Tls (a handshake) or File.</summary>
    public string Source { get; set; } = "";
    public HealthStatus Status { get; set; }
    public string Subject { get; set; } = "";
    /// <summary>The subjectAltName entries: DNS names and IP addresses.</summary>
    public string[] SANs { get; set; } = [];
    public string Issuer { get; set; } = "";
    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset NotAfter { get; set; }
    /// <summary>Days until NotAfter (negative once expired), to one decimal.</summary>
    public double DaysLeft { get; set; }
    /// <summary>The chain builds to a trusted root (the system's, or caFile's) with no error at any level.</summary>
    public bool ChainValid { get; set; }
    /// <summary>What the chain builder found wrong (UntrustedRoot, NotTimeValid...), empty when valid.</summary>
    public string ChainStatus { get; set; } = "";
    /// <summary>The certificate names the host connected to (SAN DNS names with wildcards, or IP addresses); null for a file checked without -HostName.</summary>
    public bool? HostnameMatches { get; set; }
    public bool SelfSigned { get; set; }
    public string Thumbprint { get; set; } = "";
    public string Message { get; set; } = "";
    public DateTimeOffset Timestamp { get; set; }

    public override string ToString() => $"{Target}: {Status} {Message}";
}

/// <summary>Options of one certificate check run (from certificates: or the cmdlet's parameters).</summary>
public sealed record CertificateCheckOptions(int WarnDays = 30, int CriticalDays = 7, TimeSpan? Timeout = null, string? CaFile = null, string? HostName = null)
{
    public static CertificateCheckOptions From(CertificatesConfig c) => new(c.WarnDays, c.CriticalDays, TimeSpan.FromSeconds(c.TimeoutSeconds), c.CaFile);
    public TimeSpan Bound => Timeout ?? TimeSpan.FromSeconds(10);
}

/// <summary>
/// Checks certificates: a bounded TLS handshake that accepts any certificate so it can report on it, or a PEM file; then
/// the chain (system roots plus caFile), the host name, and days left.
/// </summary>
public static class CertificateChecker
{
    public const string Check = "Certificates";

    /// <summary>The Certificates health family: one result per certificates.targets and per file of certificates.paths.</summary>
    public static async Task<IReadOnlyList<HealthCheckResult>> CheckAsync(EnvironmentConfig env, CancellationToken ct)
    {
        var cfg = env.Require(e => e.Certificates, "certificates");
        var options = CertificateCheckOptions.From(cfg);
        var tasks = new List<Task<HealthCheckResult>>();
        foreach (var t in cfg.Targets)
            tasks.Add(HealthProbe.TargetAsync(Check, t, async c => ToHealth(await CheckTargetAsync(t, options, c).ConfigureAwait(false), options), ct));
        foreach (var pattern in cfg.Paths)
        {
            var files = ExpandPath(pattern).ToList();
            if (files.Count == 0)
                tasks.Add(Task.FromResult(new HealthCheckResult { Check = Check, Target = pattern, Status = HealthStatus.Critical, Message = $"No certificate file matches {pattern}." }));
            foreach (var f in files)
                tasks.Add(HealthProbe.TargetAsync(Check, f, c => HealthProbe.OffThread(() => ToHealth(CheckFile(f, options), options), c), ct));
        }
        return await HealthProbe.AllAsync(tasks).ConfigureAwait(false);
    }

    private static HealthCheckResult ToHealth(CertificateCheckResult r, CertificateCheckOptions o) => new()
    {
        Target = r.Target, Status = r.Status, Value = r.DaysLeft, Unit = "days",
        Threshold = $"warn < {o.WarnDays} days, critical < {o.CriticalDays} days, invalid chain or host name",
        WarnAt = o.WarnDays, CriticalAt = o.CriticalDays, Message = r.Message,
    };

    /// <summary>Connects to host:port, does a TLS handshake (SNI = host) bounded by options.Timeout, and judges the server's certificate.</summary>
    public static async Task<CertificateCheckResult> CheckTargetAsync(string target, CertificateCheckOptions options, CancellationToken ct, TimeProvider? clock = null)
    {
        if (!ConfigChecks.TryParseHostPort(target, out var host, out var port))
            throw new OpsException(ErrorIds.ConfigInvalid, $"A certificate target must be host:port, not '{target}'.", target, "Give the target as host:port, e.g. example.com:443.");
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(options.Bound);
        X509Certificate2? leaf = null;
        var presented = new X509Certificate2Collection();
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, bound.Token).ConfigureAwait(false);
            await using var ssl = new SslStream(client.GetStream(), false, (_, cert, chain, _) =>
            {
                if (cert is not null) leaf = new X509Certificate2(cert);
                if (chain is not null)
                    foreach (var e in chain.ChainElements.Skip(1)) presented.Add(new X509Certificate2(e.Certificate));
                return true; // accept anything: the point is to report on it
            });
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new OpsException(ErrorIds.CertificateUnreachable, $"{target}: no TLS handshake within {options.Bound.TotalSeconds:0.###} s.", target,
                "Check that the host answers on that port (a firewall that drops packets looks like this); raise certificates.timeoutSeconds only if it is slow.");
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            var inner = e;
            while (inner.InnerException is not null && inner is not SocketException) inner = inner.InnerException;
            throw new OpsException(ErrorIds.CertificateUnreachable, $"{target}: {(inner is SocketException se ? "cannot connect (" + se.SocketErrorCode + ")" : "TLS handshake failed: " + inner.Message)}",
                target, "Check the host and port, and that the port speaks TLS.", e);
        }
        if (leaf is null)
            throw new OpsException(ErrorIds.CertificateUnreachable, $"{target}: the server sent no certificate.", target, "Check that the port speaks TLS.");
        var r = Judge(leaf, presented, options with { HostName = options.HostName ?? host }, clock);
        r.Target = target;
        r.Source = "Tls";
        return r;
    }

    /// <summary>Reads a PEM file (the first certificate is the one judged, the rest are its chain) and judges it.</summary>
    public static CertificateCheckResult CheckFile(string path, CertificateCheckOptions options, TimeProvider? clock = null)
    {
        var all = ReadPem(path);
        var rest = new X509Certificate2Collection();
        foreach (var c in all.Skip(1)) rest.Add(c);
        var r = Judge(all[0], rest, options, clock);
        r.Target = path;
        r.Source = "File";
        return r;
    }

    /// <summary>Every certificate of a PEM file, in order; CertificateFileInvalid when there is none.</summary>
    public static IReadOnlyList<X509Certificate2> ReadPem(string path)
    {
        var c = new X509Certificate2Collection();
        try
        {
            c.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new OpsException(ErrorIds.CertificateFileInvalid, $"Cannot read certificates from {path}: {e.Message}", path, "Give a readable PEM file (-----BEGIN CERTIFICATE-----).", e);
        }
        if (c.Count == 0)
            throw new OpsException(ErrorIds.CertificateFileInvalid, $"{path} holds no PEM certificate.", path, "Give a PEM file (-----BEGIN CERTIFICATE-----).");
        return c.Cast<X509Certificate2>().ToList();
    }

    /// <summary>Files a path or wildcard pattern names (a pattern in the file name part only), sorted.</summary>
    public static IEnumerable<string> ExpandPath(string pattern)
    {
        var dir = Path.GetDirectoryName(pattern);
        var name = Path.GetFileName(pattern);
        if (name.IndexOfAny(['*', '?']) < 0) return File.Exists(pattern) ? [pattern] : [];
        if (string.IsNullOrEmpty(dir)) dir = ".";
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir, name).Order(StringComparer.Ordinal) : [];
    }

    /// <summary>Judges one certificate: chain, host name (when options.HostName is set), days left against the thresholds.</summary>
    public static CertificateCheckResult Judge(X509Certificate2 cert, X509Certificate2Collection extra, CertificateCheckOptions options, TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        // The system's roots first; when they do not lead to a trusted root and a caFile is given, the private CA's
        // roots are tried (CustomRootTrust with only them: the system store is not loaded for every check).
        var (built, problems) = BuildChain(cert, extra, now, null);
        if (options.CaFile is { Length: > 0 } ca && !(built && problems.Count == 0)
            && problems.Any(p => p is nameof(X509ChainStatusFlags.UntrustedRoot) or nameof(X509ChainStatusFlags.PartialChain)))
        {
            var roots = new X509Certificate2Collection();
            foreach (var root in ReadPem(ca)) roots.Add(root);
            var custom = BuildChain(cert, extra, now, roots);
            if (!custom.Problems.Any(p => p is nameof(X509ChainStatusFlags.UntrustedRoot) or nameof(X509ChainStatusFlags.PartialChain)))
                (built, problems) = custom;
        }
        var sans = SubjectAltNames(cert);
        var selfSigned = cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData);
        bool? hostOk = options.HostName is { Length: > 0 } h ? cert.MatchesHostname(h) : null;
        var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var daysLeft = Math.Round((notAfter - now).TotalDays, 1);
        // Expiry shows up in the chain too (NotTimeValid): the days say it better, so the chain is judged on the rest.
        var chainOk = built && problems.Count == 0;
        var chainProblems = problems.Where(p => p != nameof(X509ChainStatusFlags.NotTimeValid)).ToList();
        var reasons = new List<string>();
        var status = HealthStatus.Healthy;
        if (daysLeft < 0) { status = HealthStatus.Critical; reasons.Add($"expired {notAfter:yyyy-MM-dd} ({-daysLeft:0.#} days ago)"); }
        else if (daysLeft < options.CriticalDays) { status = HealthStatus.Critical; reasons.Add($"expires {notAfter:yyyy-MM-dd}, in {daysLeft:0.#} days (critical < {options.CriticalDays})"); }
        else if (daysLeft < options.WarnDays) { status = HealthStatus.Warning; reasons.Add($"expires {notAfter:yyyy-MM-dd}, in {daysLeft:0.#} days (warn < {options.WarnDays})"); }
        if (chainProblems.Count > 0 || (!built && problems.Count == 0))
        {
            status = HealthStatus.Critical;
            reasons.Add(selfSigned ? "self-signed, not trusted" : $"chain not valid ({string.Join(", ", chainProblems.DefaultIfEmpty("does not build"))})");
        }
        if (hostOk == false)
        {
            status = HealthStatus.Critical;
            reasons.Add($"not valid for {options.HostName} (names: {string.Join(", ", sans.DefaultIfEmpty(cert.GetNameInfo(X509NameType.SimpleName, false)))})");
        }
        return new CertificateCheckResult
        {
            Status = status,
            Subject = cert.Subject,
            SANs = sans,
            Issuer = cert.Issuer,
            NotBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = notAfter,
            DaysLeft = daysLeft,
            ChainValid = chainOk,
            ChainStatus = string.Join(", ", problems),
            HostnameMatches = hostOk,
            SelfSigned = selfSigned,
            Thumbprint = cert.Thumbprint,
            Timestamp = now,
            Message = reasons.Count == 0 ? $"valid until {notAfter:yyyy-MM-dd} ({daysLeft:0.#} days), issued by {cert.GetNameInfo(X509NameType.SimpleName, true)}" : string.Join("; ", reasons),
        };
    }

    private static (bool Built, List<string> Problems) BuildChain(X509Certificate2 cert, X509Certificate2Collection extra, DateTimeOffset now, X509Certificate2Collection? roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ExtraStore.AddRange(extra);
        if (roots is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        }
        var built = chain.Build(cert);
        return (built, chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError).Select(s => s.Status.ToString()).Distinct().ToList());
    }

    /// <summary>The subjectAltName's DNS names and IP addresses.</summary>
    public static string[] SubjectAltNames(X509Certificate2 cert)
    {
        var ext = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (ext is null)
        {
            var raw = cert.Extensions["2.5.29.17"];
            if (raw is null) return [];
            ext = new X509SubjectAlternativeNameExtension(raw.RawData, raw.Critical);
        }
        return ext.EnumerateDnsNames().Concat(ext.EnumerateIPAddresses().Select(a => a.ToString())).ToArray();
    }
}
