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
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'CERTIFICATE CHECK'
try {
    $results = @(Get-OpsHealth @common -Check Certificates)
    foreach ($r in $results) { Write-Output ("{0} certificate {1}: {2} - {3}" -f (& $stamp), $r.Target, $r.Status, $r.Message) }
    Exit-RunbookWithHealth $results
}
catch { Exit-RunbookFailure 'CERTIFICATE CHECK FAILED' $_ }
