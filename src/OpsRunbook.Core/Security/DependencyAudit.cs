using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Security;

/// <summary>npm's advisory severities, lowest first (so Sort-Object and -ge work), named as npm names them.</summary>
public enum NpmSeverity { Info, Low, Moderate, High, Critical }

/// <summary>
/// One row of `npm audit --json` (auditReportVersion 2): an advisory against a package, or, for a package that is only
/// vulnerable through its dependencies, one "depends on vulnerable versions of ..." row, as npm's own text report shows.
/// </summary>
public sealed class DependencyAdvisory
{
    /// <summary>The app directory audited, or the saved report read.</summary>
    public string Project { get; init; } = "";
    /// <summary>The vulnerable package (the key of the report's vulnerabilities).</summary>
    public string Package { get; init; } = "";
    /// <summary>The advisory's severity; for a "depends on" row, the package's (its worst dependency's).</summary>
    public NpmSeverity Severity { get; init; }
    public string Title { get; init; } = "";
    /// <summary>The versions the advisory affects (npm's via[].range); for a "depends on" row, the package's range.</summary>
    public string Range { get; init; } = "";
    /// <summary>The advisory's page (https://github.com/advisories/GHSA-...), or "" for a "depends on" row.</summary>
    public string Url { get; init; } = "";
    /// <summary>The advisory's GHSA id taken from its URL, when it has one.</summary>
    public string? Id { get; init; }
    /// <summary>The registry's numeric advisory id (npm's via[].source).</summary>
    public long? Source { get; init; }
    public double? CvssScore { get; init; }
    /// <summary>CWE ids, comma-separated.</summary>
    public string Cwe { get; init; } = "";
    /// <summary>For a "depends on" row: the vulnerable packages it depends on, comma-separated; "" for an advisory row.</summary>
    public string Via { get; init; } = "";
    /// <summary>True when the package is a direct dependency of the app (in package.json).</summary>
    public bool IsDirect { get; init; }
    /// <summary>Where it is installed (node_modules/...), comma-separated.</summary>
    public string Nodes { get; init; } = "";
    /// <summary>True when npm knows a fix: `npm audit fix`, or a named version with --force.</summary>
    public bool FixAvailable { get; init; }
    /// <summary>The package npm would install for the fix (npm's fixAvailable.name), when it named one.</summary>
    public string? FixPackage { get; init; }
    public string? FixVersion { get; init; }
    /// <summary>True when the fix is a new major version (npm's isSemVerMajor): it needs --force and may break the app.</summary>
    public bool FixIsBreaking { get; init; }

    /// <summary>What to run, as npm's text report says it: "npm audit fix", "npm audit fix --force (installs x@1.2.3, breaking)", or "none".</summary>
    public string Fix =>
        !FixAvailable ? "none"
        : FixPackage is null ? "npm audit fix"
        : $"npm audit fix --force (installs {FixPackage}@{FixVersion}{(FixIsBreaking ? ", breaking" : ", outside the stated range")})";

    public override string ToString() => $"{Package} {Range} ({Severity}): {Title}";
}

/// <summary>
/// The Security Audit's dependency audit: `npm audit --json` run in an app directory (bounded), or a saved report of it,
/// as one record per advisory.
/// </summary>
public static class DependencyAudit
{
    public const string InstallHint =
        "Install Node.js with npm (apt-get install npm, or Node.js from nodesource/nvm), or run 'npm audit --json > audit.json' on a host that has it " +
        "and pass -ReportPath audit.json.";

    /// <summary>The options of one npm audit run.</summary>
    public sealed record Options
    {
        /// <summary>`--omit=dev`: the production dependencies only.</summary>
        public bool ProductionOnly { get; init; }
        /// <summary>Another registry (a mirror that serves the audit endpoint), else npm's own config; passed as npm_config_registry.</summary>
        public string? Registry { get; init; }
        public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    }

    /// <summary>Runs `npm audit --json` in <paramref name="appDirectory"/> within the options' timeout and parses its report.</summary>
    public static async Task<IReadOnlyList<DependencyAdvisory>> AuditAsync(string appDirectory, Options options, IReadOnlyCollection<NpmSeverity>? severities,
        IOpsReporter reporter, CancellationToken ct)
    {
        if (!Directory.Exists(appDirectory))
            throw new OpsException(ErrorIds.DependencyAuditNoLockfile, $"Cannot audit {appDirectory}: no such directory.", appDirectory,
                "Give -Path the directory of the app's package.json and package-lock.json.");
        if (!File.Exists(Path.Combine(appDirectory, "package.json")))
            throw new OpsException(ErrorIds.DependencyAuditNoLockfile, $"Cannot audit {appDirectory}: it has no package.json, so it is not an npm project.", appDirectory,
                "Give -Path the directory of the app's package.json and package-lock.json.");
        var npm = Executable.FindOnPath("npm") ?? throw new OpsException(ErrorIds.NpmNotInstalled,
            $"Cannot audit {appDirectory}: npm is not installed (not found on PATH) and no -ReportPath was given.", appDirectory, InstallHint);

        var psi = new ProcessStartInfo(npm) { WorkingDirectory = appDirectory };
        foreach (var a in Arguments(options)) psi.ArgumentList.Add(a);
        // No colour, no update notice, no funding lines: only the JSON on stdout.
        psi.Environment["NO_UPDATE_NOTIFIER"] = "1";
        psi.Environment["npm_config_update_notifier"] = "false";
        psi.Environment["npm_config_fund"] = "false";
        // The registry goes in npm's environment, not its arguments: a URL with credentials stays out of ps, errors and logs.
        if (options.Registry is { Length: > 0 } registry) psi.Environment["npm_config_registry"] = registry;
        reporter.Verbose($"{npm} {string.Join(' ', psi.ArgumentList)} (in {appDirectory}{(options.Registry is { Length: > 0 } ? ", registry " + ScrubUrl(options.Registry) : "")})");
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(psi, options.Timeout, "-Timeout", ct).ConfigureAwait(false);
        reporter.Verbose($"npm audit exited with {code}");
        // npm audit exits 1 when it found vulnerabilities, so the exit code says nothing about success: the JSON does.
        return ParseOutput(stdout, stderr, code, appDirectory, severities);
    }

    /// <summary>The arguments of npm for these options.</summary>
    public static IReadOnlyList<string> Arguments(Options options)
    {
        var args = new List<string> { "audit", "--json" };
        if (options.ProductionOnly) args.Add("--omit=dev");
        return args;
    }

    /// <summary>Reads a saved `npm audit --json` report.</summary>
    public static IReadOnlyList<DependencyAdvisory> ReadReport(string path, IReadOnlyCollection<NpmSeverity>? severities)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OpsException(ErrorIds.DependencyAuditReportInvalid, $"Cannot read the npm audit report {path}: {e.Message}", path,
                "Give the path of a report written by 'npm audit --json > audit.json'.", e);
        }
        using var doc = ParseJson(text, path);
        var root = doc.RootElement;
        if (!IsReport(root))
        {
            if (ErrorOf(root) is { } error)
                throw new OpsException(ErrorIds.DependencyAuditReportInvalid, $"{path} holds no advisories: the npm audit that wrote it failed ({error}).", path,
                    "Run 'npm audit --json > audit.json' again where the registry can be reached, and read the new report.");
            throw new OpsException(ErrorIds.DependencyAuditReportInvalid, $"{path} is not an npm audit report of version 2 (npm 7 and later).", path,
                "Write the report with a current npm: 'npm audit --json > audit.json'.");
        }
        return Rows(root, path, severities);
    }

    /// <summary>Turns what `npm audit --json` printed into rows, or into the error id that says why there are none.</summary>
    public static IReadOnlyList<DependencyAdvisory> ParseOutput(string stdout, string stderr, int exitCode, string appDirectory, IReadOnlyCollection<NpmSeverity>? severities)
    {
        if (string.IsNullOrWhiteSpace(stdout))
            throw new OpsException(ErrorIds.DependencyAuditFailed, $"npm audit in {appDirectory} exited with {exitCode} and printed no report: {ScrubUrl(ProcessRunner.LastLines(stderr))}",
                appDirectory, "Run 'npm audit' in that directory to see why (a broken package.json, an npm too old for --json reports).");
        using var doc = ParseJson(stdout, $"npm audit's output in {appDirectory}");
        var root = doc.RootElement;
        if (IsReport(root)) return Rows(root, appDirectory, severities);

        var code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.Object ? Str(err, "code") : null;
        if (code == "ENOLOCK")
            throw new OpsException(ErrorIds.DependencyAuditNoLockfile,
                $"Cannot audit {appDirectory}: it has no package-lock.json or npm-shrinkwrap.json, which npm audit needs to know the installed versions.", appDirectory,
                "Commit the app's package-lock.json (create one with 'npm install --package-lock-only'), or audit the directory it is deployed to.");
        // When the advisory request fails npm prints the fetch error ({message, statusCode?, uri?, error: {}}) and
        // "audit endpoint returned an error" on stderr.
        var message = root.ValueKind == JsonValueKind.Object ? Str(root, "message") : null;
        if (message is not null || stderr.Contains("audit endpoint returned an error", StringComparison.Ordinal))
            throw new OpsException(ErrorIds.DependencyAuditUnavailable,
                $"npm audit in {appDirectory} could not get advisories from the registry: {ScrubUrl(message ?? ProcessRunner.LastLines(stderr))}", appDirectory,
                "Check that this host reaches the registry ('npm config get registry'; a proxy or mirror must serve POST /-/npm/v1/security/advisories/bulk, " +
                "which some mirrors answer with 404 or 405), pass -Registry with one that does, or run 'npm audit --json > audit.json' where it works and pass -ReportPath.");
        var summary = ErrorOf(root) ?? ProcessRunner.LastLines(stderr);
        throw new OpsException(ErrorIds.DependencyAuditFailed, $"npm audit in {appDirectory} failed (exit code {exitCode}): {ScrubUrl(summary)}", appDirectory,
            "Run 'npm audit' in that directory to see the whole error.");
    }

    private static JsonDocument ParseJson(string text, string source)
    {
        try { return JsonDocument.Parse(text); }
        catch (JsonException e)
        {
            throw new OpsException(ErrorIds.DependencyAuditReportInvalid, $"{source} is not JSON: {e.Message}", source, "Write the report with 'npm audit --json'.", e);
        }
    }

    private static bool IsReport(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("auditReportVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt32() == 2
        && root.TryGetProperty("vulnerabilities", out var vs) && vs.ValueKind == JsonValueKind.Object;

    private static string? ErrorOf(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return null;
        var parts = new List<string>();
        if (Str(root, "message") is { Length: > 0 } m) parts.Add(m);
        if (root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
        {
            if (Str(e, "code") is { Length: > 0 } c) parts.Add(c);
            if (Str(e, "summary") is { Length: > 0 } s) parts.Add(s);
            if (Str(e, "detail") is { Length: > 0 } d) parts.Add(d.Replace('\n', ' '));
        }
        return parts.Count == 0 ? null : string.Join(": ", parts);
    }

    /// <summary>One row per advisory (via objects, in report order), then one per package vulnerable only through others.</summary>
    private static List<DependencyAdvisory> Rows(JsonElement root, string project, IReadOnlyCollection<NpmSeverity>? severities)
    {
        var list = new List<DependencyAdvisory>();
        foreach (var pkg in root.GetProperty("vulnerabilities").EnumerateObject())
        {
            var v = pkg.Value;
            if (v.ValueKind != JsonValueKind.Object) continue;
            var name = Str(v, "name") ?? pkg.Name;
            var isDirect = v.TryGetProperty("isDirect", out var d) && d.ValueKind == JsonValueKind.True;
            var nodes = Strings(v, "nodes");
            bool fixAvailable = false, breaking = false;
            string? fixPackage = null, fixVersion = null;
            if (v.TryGetProperty("fixAvailable", out var fix))
            {
                if (fix.ValueKind == JsonValueKind.True) fixAvailable = true;
                else if (fix.ValueKind == JsonValueKind.Object)
                {
                    fixAvailable = true;
                    fixPackage = Str(fix, "name");
                    fixVersion = Str(fix, "version");
                    breaking = fix.TryGetProperty("isSemVerMajor", out var m) && m.ValueKind == JsonValueKind.True;
                }
            }
            var viaNames = new List<string>();
            var before = list.Count;
            if (v.TryGetProperty("via", out var via) && via.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in via.EnumerateArray())
                {
                    if (a.ValueKind == JsonValueKind.String) { viaNames.Add(a.GetString()!); continue; }
                    if (a.ValueKind != JsonValueKind.Object) continue;
                    var url = Str(a, "url") ?? "";
                    list.Add(new DependencyAdvisory
                    {
                        Project = project, Package = name, Severity = Severity(Str(a, "severity")), Title = Str(a, "title") ?? "", Range = Str(a, "range") ?? "",
                        Url = url, Id = GhsaOf(url), Source = a.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null,
                        CvssScore = a.TryGetProperty("cvss", out var cv) && cv.ValueKind == JsonValueKind.Object && cv.TryGetProperty("score", out var sc) && sc.ValueKind == JsonValueKind.Number ? sc.GetDouble() : null,
                        Cwe = string.Join(", ", Strings(a, "cwe")), IsDirect = isDirect, Nodes = string.Join(", ", nodes),
                        FixAvailable = fixAvailable, FixPackage = fixPackage, FixVersion = fixVersion, FixIsBreaking = breaking,
                    });
                }
            }
            // A package with no advisory of its own is listed once, as npm's text report does ("Depends on vulnerable versions of ...").
            if (viaNames.Count > 0 && list.Count == before)
            {
                var distinct = viaNames.Distinct(StringComparer.Ordinal).ToList();
                list.Add(new DependencyAdvisory
                {
                    Project = project, Package = name, Severity = Severity(Str(v, "severity")), Title = "Depends on vulnerable versions of " + string.Join(", ", distinct),
                    Range = Str(v, "range") ?? "", Via = string.Join(", ", distinct), IsDirect = isDirect, Nodes = string.Join(", ", nodes),
                    FixAvailable = fixAvailable, FixPackage = fixPackage, FixVersion = fixVersion, FixIsBreaking = breaking,
                });
            }
        }
        return severities is { Count: > 0 } ? list.Where(r => severities.Contains(r.Severity)).ToList() : list;
    }

    private static NpmSeverity Severity(string? s) => Enum.TryParse<NpmSeverity>(s, ignoreCase: true, out var v) ? v : NpmSeverity.Info;

    private static string? GhsaOf(string url)
    {
        var m = Regex.Match(url, @"GHSA(-[23456789cfghjmpqrvwx]{4}){3}", RegexOptions.IgnoreCase);
        return m.Success ? m.Value : null;
    }

    /// <summary>Hides user:password@ of URLs (a registry URL may carry them).</summary>
    private static string ScrubUrl(string text) => SecretScrubber.Scrub(Regex.Replace(text, @"(?<=://)[^/@\s]+@", SecretScrubber.Mask + "@"));

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static IEnumerable<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];

}
