using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Core.Tests.Security;

/// <summary>
/// DependencyAudit's reading of `npm audit --json`. The reports in tests/pester/fixtures/npm-audit were written by npm 11
/// itself (report.json: the fixture app audited against the registry stand-in; report-failed.json: what npm printed when
/// the registry answered the audit request with 405).
/// </summary>
public class DependencyAuditTests
{
    private static string Fixture(string name) => Path.Combine(Sandbox.RepoRoot, "tests", "pester", "fixtures", "npm-audit", name);

    [Fact]
    public void Reads_every_advisory_and_the_packages_vulnerable_only_through_others()
    {
        var rows = DependencyAudit.ReadReport(Fixture("report.json"), null);
        // npm's text report: lodash 3 advisories, minimist 2, mkdirp "Depends on vulnerable versions of minimist".
        Assert.Equal(["lodash", "lodash", "lodash", "minimist", "minimist", "mkdirp"], rows.Select(r => r.Package));
        var pp = rows[0];
        Assert.Equal("Prototype Pollution in lodash", pp.Title);
        Assert.Equal(NpmSeverity.High, pp.Severity);
        Assert.Equal(">=3.7.0 <4.17.19", pp.Range);
        Assert.Equal("GHSA-p6mc-m468-83gw", pp.Id);
        Assert.Equal(1106913, pp.Source);
        Assert.Equal(7.4, pp.CvssScore);
        Assert.Equal("CWE-770, CWE-1321", pp.Cwe);
        Assert.True(pp.IsDirect);
        Assert.Equal("node_modules/lodash", pp.Nodes);
        // fixAvailable: true -> within the stated range, `npm audit fix`.
        Assert.True(pp.FixAvailable);
        Assert.Null(pp.FixPackage);
        Assert.Equal("npm audit fix", pp.Fix);
        Assert.Equal(NpmSeverity.Moderate, rows[2].Severity);

        var critical = rows.Single(r => r.Id == "GHSA-xvch-5gv4-984h");
        Assert.Equal(NpmSeverity.Critical, critical.Severity);
        Assert.Equal("minimist", critical.FixPackage);
        Assert.Equal("1.2.8", critical.FixVersion);
        Assert.True(critical.FixIsBreaking);
        Assert.Equal("npm audit fix --force (installs minimist@1.2.8, breaking)", critical.Fix);

        var viaOnly = rows[5];
        Assert.Equal("Depends on vulnerable versions of minimist", viaOnly.Title);
        Assert.Equal("minimist", viaOnly.Via);
        Assert.Equal("0.4.1 - 0.5.1", viaOnly.Range);
        Assert.Equal(NpmSeverity.Critical, viaOnly.Severity);
        Assert.Equal("", viaOnly.Url);
        Assert.Null(viaOnly.Id);
        Assert.Equal("npm audit fix --force (installs mkdirp@0.5.6, outside the stated range)", viaOnly.Fix);
    }

    [Fact]
    public void Severity_filter_and_a_clean_report()
    {
        var rows = DependencyAudit.ReadReport(Fixture("report.json"), [NpmSeverity.Critical]);
        Assert.Equal(["minimist", "mkdirp"], rows.Select(r => r.Package));
        Assert.Empty(DependencyAudit.ReadReport(Fixture("report-clean.json"), null));
    }

    [Fact]
    public void A_saved_report_of_a_failed_audit_or_other_json_is_ReportInvalid()
    {
        var e = Assert.Throws<OpsException>(() => DependencyAudit.ReadReport(Fixture("report-failed.json"), null));
        Assert.Equal(ErrorIds.DependencyAuditReportInvalid, e.Id);
        Assert.Contains("405 Method Not Allowed", e.Message);
        var dir = Directory.CreateTempSubdirectory("audit");
        try
        {
            var path = Path.Combine(dir.FullName, "trivy.json");
            File.WriteAllText(path, "{\"SchemaVersion\": 2, \"Results\": []}");
            e = Assert.Throws<OpsException>(() => DependencyAudit.ReadReport(path, null));
            Assert.Equal(ErrorIds.DependencyAuditReportInvalid, e.Id);
            File.WriteAllText(path, "npm ERR! not json");
            Assert.Equal(ErrorIds.DependencyAuditReportInvalid, Assert.Throws<OpsException>(() => DependencyAudit.ReadReport(path, null)).Id);
            Assert.Equal(ErrorIds.DependencyAuditReportInvalid,
                Assert.Throws<OpsException>(() => DependencyAudit.ReadReport(Path.Combine(dir.FullName, "missing.json"), null)).Id);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void Maps_what_npm_printed_to_ids()
    {
        // The registry answered the audit request with an error: npm 11's own output for a 405 (saved) and a refused port.
        var failed = File.ReadAllText(Fixture("report-failed.json"));
        var e = Assert.Throws<OpsException>(() => DependencyAudit.ParseOutput(failed, "npm error audit endpoint returned an error\n", 1, "/app", null));
        Assert.Equal(ErrorIds.DependencyAuditUnavailable, e.Id);
        Assert.Contains("405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk", e.Message);
        const string refused = """{"message": "request to https://ci:s3cretpass@npm.internal/-/npm/v1/security/advisories/bulk failed, reason: connect ECONNREFUSED 10.0.0.5:443", "error": {"summary": "", "detail": ""}}""";
        e = Assert.Throws<OpsException>(() => DependencyAudit.ParseOutput(refused, "", 1, "/app", null));
        Assert.Equal(ErrorIds.DependencyAuditUnavailable, e.Id);
        Assert.Contains("ECONNREFUSED", e.Message);
        Assert.DoesNotContain("s3cretpass", e.Message);
        // No lockfile: npm's ENOLOCK.
        const string nolock = """{"error": {"code": "ENOLOCK", "summary": "This command requires an existing lockfile.", "detail": "Try creating one first with: npm i --package-lock-only"}}""";
        e = Assert.Throws<OpsException>(() => DependencyAudit.ParseOutput(nolock, "", 1, "/app", null));
        Assert.Equal(ErrorIds.DependencyAuditNoLockfile, e.Id);
        Assert.Contains("npm install --package-lock-only", e.RecommendedAction);
        // Another npm error, and no output at all.
        const string ejson = """{"error": {"code": "EJSONPARSE", "summary": "Invalid package.json: JSONParseError", "detail": "package.json must be actual JSON"}}""";
        e = Assert.Throws<OpsException>(() => DependencyAudit.ParseOutput(ejson, "", 1, "/app", null));
        Assert.Equal(ErrorIds.DependencyAuditFailed, e.Id);
        Assert.Contains("EJSONPARSE", e.Message);
        e = Assert.Throws<OpsException>(() => DependencyAudit.ParseOutput("", "npm ERR! code E500\nnpm ERR! boom\n", 1, "/app", null));
        Assert.Equal(ErrorIds.DependencyAuditFailed, e.Id);
        Assert.Contains("boom", e.Message);
        // A report with findings exits 1 too, and is rows.
        Assert.Equal(6, DependencyAudit.ParseOutput(File.ReadAllText(Fixture("report.json")), "", 1, "/app", null).Count);
    }

    [Fact]
    public void Arguments_for_the_options()
    {
        Assert.Equal(["audit", "--json"], DependencyAudit.Arguments(new DependencyAudit.Options()));
        Assert.Equal(["audit", "--json", "--omit=dev"],
            DependencyAudit.Arguments(new DependencyAudit.Options { ProductionOnly = true, Registry = "http://127.0.0.1:4873/" }));
    }

    [Fact]
    public async Task A_directory_that_is_no_npm_project_is_named()
    {
        var dir = Directory.CreateTempSubdirectory("audit");
        try
        {
            var opts = new DependencyAudit.Options();
            var e = await Assert.ThrowsAsync<OpsException>(() => DependencyAudit.AuditAsync(Path.Combine(dir.FullName, "nope"), opts, null, NullReporter.Allow, default));
            Assert.Equal(ErrorIds.DependencyAuditNoLockfile, e.Id);
            e = await Assert.ThrowsAsync<OpsException>(() => DependencyAudit.AuditAsync(dir.FullName, opts, null, NullReporter.Allow, default));
            Assert.Equal(ErrorIds.DependencyAuditNoLockfile, e.Id);
            Assert.Contains("no package.json", e.Message);
        }
        finally { dir.Delete(recursive: true); }
    }
}
