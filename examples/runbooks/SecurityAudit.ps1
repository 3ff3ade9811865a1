<#
.SYNOPSIS
    The runbook's monthly "Security Audit (Last Monday)": dependency audit, image scan, access review, certificates.
.DESCRIPTION
    1. Dependency audit: `npm audit` of every -AppPath (Invoke-OpsDependencyAudit), or a saved `npm audit --json` report
       (-AuditReport), with the fix npm knows for each advisory (what `npm audit fix --dry-run` would change).
       Images: `trivy image` of every -Image (Invoke-OpsImageScan), or saved trivy reports (-ImageReport).
    2. Access review: the last -LoginCount logins (Get-OpsLoginHistory, `last -20`) and the sudo commands since -Since
       (Get-OpsSudoEvent, auth.log), refusals first.
    3. Certificates: the Certificates family of Get-OpsHealth (certificates: in the config), when configured.
    Cron (the last Monday of the month; cron cannot say "last", so run every Monday from the 25th):
        0 9 25-31 * 1 root pwsh -NoProfile -NonInteractive -File .../runbooks/SecurityAudit.ps1 -AppPath /srv/app
    Exit codes (Nagios convention): 0 nothing to act on; 1 a High/Moderate advisory, a refused sudo or a certificate
    within warnDays; 2 a Critical advisory or image vulnerability, or a certificate that is expired, untrusted or for
    another host; 3 a step could not run (npm or trivy missing, registry unreachable, config broken). Every step runs
    even when an earlier one fails; the summary line names the ones that could not run.
#>
[CmdletBinding()]
param(
    [string] $Environment,
    [string] $ConfigPath,
    [string[]] $AppPath = @(),
    [string[]] $AuditReport = @(),
    [string[]] $Image = @(),
    [string[]] $ImageReport = @(),
    [int] $LoginCount = 20,
    [string] $WtmpPath,
    [string[]] $AuthLogPath,
    [string] $Since = '31d'
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common and the exits every runbook shares
Import-RunbookModule 'SECURITY AUDIT'
$critical = [Collections.Generic.List[string]]::new()
$warning = [Collections.Generic.List[string]]::new()
$unknown = [Collections.Generic.List[string]]::new()
# Runs one step; a failure is noted (Unknown) and the audit goes on with the next step.
function Invoke-Step([string] $Name, [scriptblock] $Step) {
    try { & $Step }
    catch {
        Write-Output "  ${Name}: could not run [$($_.FullyQualifiedErrorId)]: $($_.Exception.Message -replace '\s*\r?\n\s*', ' ')"
        $unknown.Add($Name)
    }
}

Write-Output '== 1. Dependency audit (npm audit)'
$advisories = [Collections.Generic.List[object]]::new()
foreach ($p in $AppPath) { Invoke-Step "npm audit $p" { foreach ($a in Invoke-OpsDependencyAudit -Path $p) { $advisories.Add($a) } } }
foreach ($r in $AuditReport) { Invoke-Step "npm audit report $r" { foreach ($a in Invoke-OpsDependencyAudit -ReportPath $r) { $advisories.Add($a) } } }
if (-not $AppPath -and -not $AuditReport) { Write-Output '  No -AppPath or -AuditReport given: skipped.' }
elseif ($advisories.Count -eq 0) { Write-Output '  No advisories.' }
else {
    $advisories | Sort-Object Severity -Descending | Format-Table Project, Severity, Package, Range, Title, Fix | Out-String -Width 250 | Write-Output
    # fixAvailable: true in npm's report: `npm audit fix` (no --force) fixes it within the ranges of package.json.
    $fixable = @($advisories | Where-Object { $_.FixAvailable -and -not $_.FixPackage } | Select-Object -ExpandProperty Package -Unique)
    if ($fixable) { Write-Output "  Fixed by npm audit fix (no --force): $($fixable -join ', ')" }
    foreach ($a in $advisories) {
        if ($a.Severity -ge [OpsRunbook.Core.Security.NpmSeverity]::Critical) { $critical.Add("$($a.Package): $($a.Title)") }
        elseif ($a.Severity -ge [OpsRunbook.Core.Security.NpmSeverity]::Moderate) { $warning.Add("$($a.Package): $($a.Title)") }
    }
}

Write-Output '== 1b. Image scan (trivy)'
$vulns = [Collections.Generic.List[object]]::new()
foreach ($i in $Image) { Invoke-Step "image scan $i" { foreach ($v in Invoke-OpsImageScan -Image $i) { $vulns.Add($v) } } }
foreach ($r in $ImageReport) { Invoke-Step "image report $r" { foreach ($v in Invoke-OpsImageScan -ReportPath $r) { $vulns.Add($v) } } }
if (-not $Image -and -not $ImageReport) { Write-Output '  No -Image or -ImageReport given: skipped.' }
elseif ($vulns.Count -eq 0) { Write-Output '  No vulnerabilities.' }
else {
    $vulns | Sort-Object Severity -Descending | Format-Table Image, Severity, Id, Package, InstalledVersion, FixedVersion | Out-String -Width 250 | Write-Output
    foreach ($v in $vulns) {
        if ($v.Severity -ge [OpsRunbook.Core.Security.VulnerabilitySeverity]::Critical) { $critical.Add("$($v.Image) $($v.Id)") }
        elseif ($v.Severity -ge [OpsRunbook.Core.Security.VulnerabilitySeverity]::High) { $warning.Add("$($v.Image) $($v.Id)") }
    }
}

Write-Output "== 2. Access review: the last $LoginCount logins"
Invoke-Step 'login history' {
    $login = @{ Last = $LoginCount }
    if ($WtmpPath) { $login.Path = $WtmpPath }
    $logins = @(Get-OpsLoginHistory @login)
    if ($logins) { $logins | Format-Table | Out-String -Width 200 | Write-Output } else { Write-Output '  No logins recorded.' }
}
Write-Output "== 2b. Access review: sudo since $Since"
Invoke-Step 'sudo events' {
    $sudoArgs = @{ Since = $Since }
    if ($AuthLogPath) { $sudoArgs.Path = $AuthLogPath }
    $sudo = @(Get-OpsSudoEvent @common @sudoArgs -WarningAction SilentlyContinue)
    $refused = @($sudo | Where-Object { -not $_.Allowed })
    Write-Output "  $($sudo.Count) sudo command(s) by $(@($sudo.User | Sort-Object -Unique).Count) user(s); $($refused.Count) refused."
    if ($refused) {
        $refused | Format-Table Time, User, Tty, RunAs, Command, Reason | Out-String -Width 250 | Write-Output
        foreach ($e in $refused) { $warning.Add("sudo refused for $($e.User): $($e.Command)") }
    }
    $sudo | Group-Object User | Sort-Object Count -Descending | Format-Table Count, @{ n = 'User'; e = { $_.Name } } | Out-String | Write-Output
}

Write-Output '== 3. Certificates'
Invoke-Step 'certificates' {
    $certs = @(Get-OpsHealth @common -Check Certificates)
    if (-not $certs) { Write-Output '  No certificates: in the config: skipped.' }
    foreach ($c in $certs) {
        Write-Output "  $($c.Target): $($c.Status) - $($c.Message)"
        if ("$($c.Status)" -eq 'Critical') { $critical.Add("certificate $($c.Target)") }
        elseif ("$($c.Status)" -eq 'Warning') { $warning.Add("certificate $($c.Target)") }
        elseif ("$($c.Status)" -eq 'Unknown') { $unknown.Add("certificate $($c.Target)") }
    }
}

$code = if ($critical.Count) { 2 } elseif ($unknown.Count) { 3 } elseif ($warning.Count) { 1 } else { 0 }
$state = [OpsRunbook.Core.Health.NagiosPlugin]::StateName($code)
$line = "SECURITY AUDIT ${state}: $($critical.Count) critical, $($warning.Count) warning finding(s)"
if ($unknown.Count) { $line += "; could not run: $($unknown -join ', ')" }
Write-Output $line
exit $code
