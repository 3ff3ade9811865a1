@{
    Synopsis    = 'Scans a container image for known vulnerabilities with trivy, or reads a saved trivy JSON report: one object per vulnerability.'
    Description = @'
Invoke-OpsImageScan is step "scan the images" of the runbook's Security Audit. Docker has retired `docker scan`; Trivy's JSON report is today's common format, and this cmdlet reads it.

With -Image it runs `trivy image --format json --quiet <image>` (with --severity when -Severity is given), bounded by -Timeout (default 10m, its vulnerability-database download included): trivy still running then is stopped and the error is ProcessTimeout. trivy must be on PATH. A trivy that exits non-zero (unknown image, registry unreachable, no database) is ImageScanFailed with the last lines trivy wrote.

With -ReportPath it reads a report written earlier, on this host or another one: `trivy image --format json --output report.json <image>`. The report must be trivy's JSON schema version 2 (trivy 0.20 and later), else ImageScanReportInvalid.

-WhatIf names the trivy run and runs nothing (trivy downloads its database and pulls the image). When trivy is not installed and no -ReportPath is given, the error is ImageScannerNotInstalled; its recommended action says how to install trivy (Aqua Security's apt repository https://aquasecurity.github.io/trivy-repo/deb, then apt-get install trivy) or to scan elsewhere and pass -ReportPath.

Each result is one vulnerability of one package: Image (the report's ArtifactName), Target (the OS layer, a lock file, a binary), Class (os-pkgs, lang-pkgs), Type (debian, npm, ...), Package, InstalledVersion, FixedVersion ("" when no fix exists yet), Severity (Unknown, Low, Medium, High, Critical: ordered, so Where-Object Severity -ge High works), Id (CVE-..., GHSA-...), Title, Status and PrimaryUrl. The default view groups them by Target.
'@
    Parameters  = @{
        Image      = 'The image to scan (name:tag or name@sha256:digest). With -ReportPath it is optional, and a report of another image is a warning.'
        ReportPath = 'A saved report of `trivy image --format json` to read instead of running trivy.'
        Severity   = 'Only vulnerabilities of these severities (passed to trivy as --severity).'
        Timeout    = 'The bound on one trivy run, its database download included (default 10m; 30s, 5m, 1h or 00:10:00). When it runs out trivy is stopped: ProcessTimeout.'
    }
    Outputs     = @{ 'OpsRunbook.Core.Security.ImageVulnerability' = 'One per vulnerability: Image, Target, Class, Type, Package, InstalledVersion, FixedVersion, Severity, Id, Title, Status, PrimaryUrl.' }
    Examples    = @(
        @{ Title = 'On a host without trivy: what to do'; Code = "try { Invoke-OpsImageScan -Image api:1.42.0 } catch { `$_.FullyQualifiedErrorId; `$_.ErrorDetails.RecommendedAction }"; Remarks = 'ImageScannerNotInstalled,Invoke-OpsImageScan and how to install trivy (or where trivy is installed, the scan itself).' }
        @{ Title = 'Read a saved report: the High and Critical findings'; Code = "Invoke-OpsImageScan -ReportPath ./report.json -Severity High, Critical"; Run = $false; Why = 'Needs a report written by trivy elsewhere (trivy image --format json --output report.json <image>); the tests read saved ones.'; Remarks = 'One row per finding, grouped by Target.' }
        @{ Title = 'Scan an image and list what has a fix'; Code = "Invoke-OpsImageScan -Image registry.example.com/platform/api:1.42.0 | Where-Object FixedVersion | Sort-Object Severity -Descending"; Run = $false; Why = 'Needs trivy and a registry; the tests run a trivy stand-in on PATH.'; Remarks = 'Upgrading these packages (or the base image) removes them.' }
        @{ Title = 'Fail a CI step on a Critical finding'; Code = "if (Invoke-OpsImageScan -Image api:latest -Severity Critical) { exit 2 }"; Run = $false; Why = 'Needs trivy.'; Remarks = 'Exit code 2 (Critical) in the Nagios convention.' }
    )
    Links       = @('about_OpsRunbook')
}
