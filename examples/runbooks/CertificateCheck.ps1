<#
.SYNOPSIS
    The runbook's weekly certificate check (Cron Schedule: "0 0 * * 0 check-certs.sh"; Security Audit step 3).
.DESCRIPTION
    Checks every certificate of certificates: in the config (the Certificates family of Get-OpsHealth, the checks of
    Test-OpsCertificate: days left, chain, host name) and prints one line per certificate.
        0 0 * * 0 root pwsh -NoProfile -NonInteractive -File .../runbooks/CertificateCheck.ps1 -Environment production
    Exit codes (Nagios convention): 0 every certificate is fine, 1 one expires within warnDays, 2 one is expired,
    untrusted, for another host name, unreachable or expires within criticalDays, 3 the config is broken (no
    certificates: section) or the module is missing.
#>
[CmdletBinding()]
param(
    [string] $Environment,
    [string] $ConfigPath
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module OpsRunbook -ErrorAction SilentlyContinue
$common = @{}
if ($Environment) { $common.Environment = $Environment }
if ($ConfigPath) { $common.ConfigPath = $ConfigPath }
$stamp = { [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ') }
if (-not (Get-Command Test-OpsCertificate -ErrorAction Ignore)) {
    Write-Output ("{0} CERTIFICATE CHECK UNKNOWN: the OpsRunbook module (with Test-OpsCertificate) cannot be imported; nothing checked" -f (& $stamp))
    exit 3
}
try {
    $results = @(Get-OpsHealth @common -Check Certificates)
    foreach ($r in $results) { Write-Output ("{0} certificate {1}: {2} - {3}" -f (& $stamp), $r.Target, $r.Status, $r.Message) }
    exit [OpsRunbook.Core.Health.NagiosPlugin]::ExitCode([OpsRunbook.Core.Health.HealthCheckResult[]]$results)
}
catch {
    Write-Output ("{0} CERTIFICATE CHECK FAILED [{1}]: {2}" -f (& $stamp), $_.FullyQualifiedErrorId, ($_.Exception.Message -replace '\s*\r?\n\s*', ' '))
    exit [OpsRunbook.Core.Health.NagiosPlugin]::ExitCodeFor($_.Exception)
}
