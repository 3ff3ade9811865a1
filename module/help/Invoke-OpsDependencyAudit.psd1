@{
    Synopsis    = 'Audits an app''s npm dependencies for known vulnerabilities with npm audit, or reads a saved npm audit --json report: one object per advisory.'
    Description = @'
Invoke-OpsDependencyAudit is step "Dependency audit" of the runbook's Security Audit (`npm audit` and `npm audit fix --dry-run`).

With -Path (default: the current directory) it runs `npm audit --json` in the app's directory, which must hold its package.json and its package-lock.json (or npm-shrinkwrap.json): npm audit reads the installed versions from the lockfile and sends their names and versions to the registry's advisory endpoint. The run is bounded by -Timeout (default 5m): npm still running then is stopped and the error is ProcessTimeout. npm must be on PATH. npm's own configuration applies (.npmrc, the registry, a proxy); -Registry overrides the registry and -ProductionOnly leaves the devDependencies out (--omit=dev).

npm audit exits 1 when it finds vulnerabilities, so the exit code is not read; its JSON is:
- a report (auditReportVersion 2): its advisories as objects;
- the registry could not be reached, or answered the audit request with an error (some mirrors and proxies answer 404 or 405 because they do not serve POST /-/npm/v1/security/advisories/bulk): DependencyAuditUnavailable, with npm's reason;
- no lockfile (npm's ENOLOCK), no such directory or no package.json: DependencyAuditNoLockfile;
- any other npm error: DependencyAuditFailed with npm's code and summary.
No npm on PATH and no -ReportPath: NpmNotInstalled, saying how to install it.

-WhatIf names the npm audit run and runs nothing (npm audit sends the lockfile's package names and versions to the registry).

With -ReportPath it reads a report written earlier, here or on another host: `npm audit --json > audit.json`. That is also the way where the registry's audit endpoint cannot be reached from the host that runs the audit. A report of a failed audit, or any other JSON, is DependencyAuditReportInvalid.

Each result is one advisory against one package, in the report's order: Package, Severity (Info, Low, Moderate, High, Critical, npm's own names, ordered so Where-Object Severity -ge High works), Title, Range (the versions the advisory affects), Url and Id (GHSA-...), Source (the registry's advisory number), CvssScore, Cwe, IsDirect (a direct dependency in package.json), Nodes (where it is installed), and the fix npm knows: FixAvailable, FixPackage, FixVersion, FixIsBreaking (a new major version), and Fix, the command as npm's text report words it ("npm audit fix", or "npm audit fix --force (installs x@1.2.3, breaking)", or "none"). This is what `npm audit fix --dry-run` would change, without running it. A package vulnerable only through its own dependencies is one row, "Depends on vulnerable versions of <names>", with Via naming them, as npm's text report lists it. Project is the directory audited (or the report read); the default view groups by it.
'@
    Parameters  = @{
        Path           = 'The app directory holding package.json and package-lock.json (default: the current directory). Takes pipeline input, so several apps can be audited in one go.'
        ReportPath     = 'A saved report of `npm audit --json` to read instead of running npm.'
        Severity       = 'Only advisories of these severities (Info, Low, Moderate, High, Critical).'
        ProductionOnly = 'Leave the devDependencies out of the audit (npm audit --omit=dev): what runs in production.'
        Registry       = 'The registry to ask for advisories, e.g. a mirror that serves the audit endpoint. Default: npm''s own configuration (npm config get registry). It reaches npm as npm_config_registry, not as an argument, so a URL with credentials stays out of the process list; verbose text and errors show it with the credentials masked.'
        Timeout        = 'The bound on one npm audit run (default 5m; 30s, 5m, 1h or 00:05:00). When it runs out npm is stopped: ProcessTimeout.'
    }
    Outputs     = @{ 'OpsRunbook.Core.Security.DependencyAdvisory' = 'One per advisory: Project, Package, Severity, Title, Range, Url, Id, Source, CvssScore, Cwe, Via, IsDirect, Nodes, FixAvailable, FixPackage, FixVersion, FixIsBreaking, Fix.' }
    Examples    = @(
        @{ Title = 'In a directory that is not an npm project: what to do'; Code = "try { Invoke-OpsDependencyAudit -Path . } catch { `$_.FullyQualifiedErrorId; `$_.ErrorDetails.RecommendedAction }"; Remarks = 'DependencyAuditNoLockfile,Invoke-OpsDependencyAudit: the directory has no package.json.' }
        @{ Title = 'A new app without dependencies has nothing to report'; Code = "Set-Content package.json '{""name"": ""demo"", ""version"": ""1.0.0""}'; npm install --package-lock-only --silent; @(Invoke-OpsDependencyAudit -Path .).Count"; Remarks = '0: npm audit ran and found no advisory (with no dependencies npm does not even ask the registry).' }
        @{ Title = 'Read a saved report: what is High or Critical, and the fix'; Code = "Invoke-OpsDependencyAudit -ReportPath ./audit.json -Severity High, Critical | Format-Table Package, Severity, Title, Fix"; Run = $false; Why = 'Needs a report written by npm audit --json elsewhere; the tests read saved ones (tests/pester/fixtures/npm-audit).'; Remarks = 'For the tests'' fixture app: lodash (High, npm audit fix), minimist (Critical, a breaking upgrade) and mkdirp, which depends on vulnerable versions of minimist.' }
        @{ Title = 'Audit the deployed app''s production dependencies'; Code = "Invoke-OpsDependencyAudit -Path /srv/media-search -ProductionOnly"; Run = $false; Why = 'Needs an app with a lockfile and a registry that serves the audit endpoint; the tests run npm against a registry stand-in.'; Remarks = 'One row per advisory, grouped by the app directory.' }
        @{ Title = 'Fail a CI step on a Critical finding, and list the fixes that do not break anything'; Code = "`$a = Invoke-OpsDependencyAudit -Path . ; `$a | Where-Object { `$_.FixAvailable -and -not `$_.FixIsBreaking } | Select-Object -Unique Package, Fix; if (`$a | Where-Object Severity -eq Critical) { exit 2 }"; Run = $false; Why = 'Needs an app and a registry.'; Remarks = 'Exit code 2 (Critical) in the Nagios convention.' }
        @{ Title = 'Where the registry''s audit endpoint cannot be reached'; Code = "try { Invoke-OpsDependencyAudit -Path . -Registry http://127.0.0.1:9/ } catch { `$_.FullyQualifiedErrorId }"; Run = $false; Why = 'Needs an npm project in the current directory.'; Remarks = 'DependencyAuditUnavailable,Invoke-OpsDependencyAudit; its recommended action says to run npm audit --json elsewhere and pass -ReportPath.' }
    )
    Links       = @('Invoke-OpsImageScan', 'about_OpsRunbook')
}
