@{
    Synopsis    = "Checks TLS certificates of endpoints and PEM files: days left, chain, host name (the Security Audit's certificate expiry step)."
    Description = @'
Test-OpsCertificate connects to each -Target (host:port), does a TLS handshake bounded by -TimeoutSeconds (the host is sent as SNI) and reports the certificate the server presents, whatever it is: Subject, SANs (DNS names and IP addresses), Issuer, NotBefore, NotAfter, DaysLeft, ChainValid (the chain builds to a trusted root: the system's roots plus -CaFile), ChainStatus, HostnameMatches (the SANs, wildcards included, name the host connected to), SelfSigned, Thumbprint, and a Status:

    Critical  expired, fewer than -CriticalDays left, an untrusted or broken chain, or a name that does not match
    Warning   fewer than -WarnDays left
    Healthy   otherwise

-Path checks PEM files instead (wildcards allowed): the first certificate of each file is judged, the rest are its chain; -HostName sets the name it must match. Revocation is not checked.

With neither -Target nor -Path, it checks what certificates: in the config lists; the same checks are the Certificates family of Get-OpsHealth, and examples/runbooks/CertificateCheck.ps1 runs them weekly:

    certificates:
      targets: [ 'app.example.com:443', 'api.example.com:443' ]
      paths: [ '/etc/ssl/private/*.pem' ]
      caFile: /etc/ssl/internal-ca.pem     # extra trusted roots (a private CA)
      warnDays: 30
      criticalDays: 7
      timeoutSeconds: 10

A target that cannot be reached, or whose handshake fails or does not finish in time, is a non-terminating error, CertificateUnreachable, and the other targets are still checked; an unreadable file is CertificateFileInvalid.
'@
    Parameters  = @{
        Target         = @{ Description = 'host:port endpoints to connect to (the host is also the name the certificate must match).'; Default = 'certificates.targets (and certificates.paths) of the config' }
        Path           = @{ Description = 'PEM files (wildcards allowed). The first certificate of a file is judged; the others are its chain.'; Default = 'None' }
        WarnDays       = @{ Description = 'Warning when fewer days are left.'; Default = 'certificates.warnDays, else 30' }
        CriticalDays   = @{ Description = 'Critical when fewer days are left; must not be more than -WarnDays.'; Default = 'certificates.criticalDays, else 7' }
        CaFile         = @{ Description = 'A PEM bundle of extra trusted roots, e.g. a private CA, trusted besides the system roots.'; Default = 'certificates.caFile' }
        HostName       = @{ Description = 'With -Path: the host name the certificate must be valid for (sets HostnameMatches).'; Default = 'None: HostnameMatches is empty for files' }
        TimeoutSeconds = @{ Description = 'Bound of one connect and TLS handshake, in seconds.'; Default = 'certificates.timeoutSeconds, else 10' }
    }
    Inputs      = @{ 'System.String' = 'Targets (host:port), by value or by property name (Target).' }
    Outputs     = @{ 'OpsRunbook.Core.Security.CertificateCheckResult' = 'Target, Source, Status, Subject, SANs, Issuer, NotBefore, NotAfter, DaysLeft, ChainValid, ChainStatus, HostnameMatches, SelfSigned, Thumbprint, Message, Timestamp.' }
    Examples    = @(
        @{ Title = 'Check the configured certificates'; Code = 'Test-OpsCertificate'; Remarks = 'One row per certificates.targets entry and per file of certificates.paths.' }
        @{ Title = 'What expires within 60 days'; Code = "Test-OpsCertificate -WarnDays 60 | Where-Object Status -ne 'Healthy' | Format-List Target, DaysLeft, NotAfter, Issuer, SANs"; Remarks = 'Before the renewal window of a 90-day certificate closes.' }
        @{ Title = 'Certificate files on disk'; Code = 'Test-OpsCertificate -Path (Get-OpsConfig).Certificates.CaFile -WarnDays 365'; Remarks = 'Checks each PEM file given (wildcards allowed), here the CA the config trusts; a CA should have a year left.' }
    )
    Links       = @('Get-OpsHealth', 'Get-OpsLoginHistory', 'Get-OpsSudoEvent')
}
