using System.Text.Json;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Systems;

namespace OpsRunbook.Core.Security;

/// <summary>Trivy's severities, lowest first (so Sort-Object and -ge work).</summary>
public enum VulnerabilitySeverity { Unknown, Low, Medium, High, Critical }

/// <summary>One vulnerability of one package in one target of an image (a row of trivy's Results[].Vulnerabilities[]).</summary>
public sealed class ImageVulnerability
{
    /// <summary>The image scanned (the report's ArtifactName).</summary>
    public string Image { get; init; } = "";
    /// <summary>The part of the image the package is in: "app:1.4 (debian 12.5)" for OS packages, a lock file or jar for language packages.</summary>
    public string Target { get; init; } = "";
    /// <summary>os-pkgs or lang-pkgs.</summary>
    public string? Class { get; init; }
    /// <summary>debian, alpine, npm, jar, gobinary...</summary>
    public string? Type { get; init; }
    public string Package { get; init; } = "";
    public string InstalledVersion { get; init; } = "";
    /// <summary>The first version with the fix, or "" when there is none yet.</summary>
    public string FixedVersion { get; init; } = "";
    public VulnerabilitySeverity Severity { get; init; }
    /// <summary>CVE-..., GHSA-..., DLA-...</summary>
    public string Id { get; init; } = "";
    public string Title { get; init; } = "";
    /// <summary>fixed, affected, will_not_fix... (trivy's Status), when given.</summary>
    public string? Status { get; init; }
    public string? PrimaryUrl { get; init; }
    public override string ToString() => $"{Id} {Package} {InstalledVersion} ({Severity})";
}

/// <summary>
/// The Security Audit's image scan: trivy's JSON report (SchemaVersion 2), from `trivy image --format json` when trivy is
/// installed (bounded), or from a saved report.
/// </summary>
public static class ImageScan
{
    /// <summary>trivy on PATH, or null.</summary>
    public static string? FindTrivy(string? path = null) => Executable.FindOnPath("trivy", path);

    public const string InstallHint =
        "Install trivy (https://trivy.dev/latest/getting-started/installation/): on Debian/Ubuntu add Aqua Security's apt repository " +
        "(https://aquasecurity.github.io/trivy-repo/deb) and run 'apt-get install trivy', or run its install script; or scan elsewhere " +
        "with 'trivy image --format json --output report.json <image>' and pass -ReportPath report.json.";

    /// <summary>Runs `trivy image --format json --quiet [--severity ...] image` within <paramref name="timeout"/> and parses its report.</summary>
    public static async Task<IReadOnlyList<ImageVulnerability>> ScanAsync(string image, IReadOnlyCollection<VulnerabilitySeverity>? severities, TimeSpan timeout,
        IOpsReporter reporter, CancellationToken ct, string? trivy = null)
    {
        trivy ??= FindTrivy() ?? throw new OpsException(ErrorIds.ImageScannerNotInstalled,
            $"Cannot scan {image}: trivy is not installed (not found on PATH) and no -ReportPath was given.", image, InstallHint);
        var args = new List<string> { "image", "--format", "json", "--quiet" };
        if (severities is { Count: > 0 }) { args.Add("--severity"); args.Add(string.Join(',', severities.Select(s => s.ToString().ToUpperInvariant()))); }
        args.Add(image);
        reporter.Verbose($"{trivy} {string.Join(' ', args)}");
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(trivy, args, timeout, "-Timeout", ct).ConfigureAwait(false);
        if (code != 0)
            throw new OpsException(ErrorIds.ImageScanFailed, $"trivy image {image} exited with {code}: {SecretScrubber.Scrub(ProcessRunner.LastLines(stderr))}", image,
                "Check that the image name is right and the registry is reachable, and that trivy can download its vulnerability database (or use --offline-scan with a cached one).");
        return Parse(stdout, $"trivy's output for {image}", severities);
    }

    /// <summary>Reads a saved trivy JSON report.</summary>
    public static IReadOnlyList<ImageVulnerability> ReadReport(string path, IReadOnlyCollection<VulnerabilitySeverity>? severities)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OpsException(ErrorIds.ImageScanReportInvalid, $"Cannot read the trivy report {path}: {e.Message}", path, "Give the path of a report written by 'trivy image --format json'.", e);
        }
        return Parse(text, path, severities);
    }

    /// <summary>Parses trivy's JSON (SchemaVersion 2): one record per vulnerability, in report order.</summary>
    public static IReadOnlyList<ImageVulnerability> Parse(string json, string source, IReadOnlyCollection<VulnerabilitySeverity>? severities = null)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e)
        {
            throw new OpsException(ErrorIds.ImageScanReportInvalid, $"{source} is not JSON: {e.Message}", source, "Write the report with 'trivy image --format json'.", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("SchemaVersion", out var sv) || sv.ValueKind != JsonValueKind.Number || sv.GetInt32() != 2)
                throw new OpsException(ErrorIds.ImageScanReportInvalid, $"{source} is not a trivy JSON report of schema version 2 (trivy 0.20 and later).", source,
                    "Write the report with a current trivy: 'trivy image --format json --output report.json <image>'.");
            var image = Str(root, "ArtifactName") ?? "";
            var list = new List<ImageVulnerability>();
            if (!root.TryGetProperty("Results", out var results) || results.ValueKind != JsonValueKind.Array) return list;
            foreach (var r in results.EnumerateArray())
            {
                if (!r.TryGetProperty("Vulnerabilities", out var vulns) || vulns.ValueKind != JsonValueKind.Array) continue;
                var target = Str(r, "Target") ?? "";
                foreach (var v in vulns.EnumerateArray())
                {
                    var sev = Enum.TryParse<VulnerabilitySeverity>(Str(v, "Severity"), ignoreCase: true, out var s) ? s : VulnerabilitySeverity.Unknown;
                    if (severities is { Count: > 0 } && !severities.Contains(sev)) continue;
                    list.Add(new ImageVulnerability
                    {
                        Image = image, Target = target, Class = Str(r, "Class"), Type = Str(r, "Type"),
                        Package = Str(v, "PkgName") ?? "", InstalledVersion = Str(v, "InstalledVersion") ?? "", FixedVersion = Str(v, "FixedVersion") ?? "",
                        Severity = sev, Id = Str(v, "VulnerabilityID") ?? "", Title = Str(v, "Title") ?? "", Status = Str(v, "Status"), PrimaryUrl = Str(v, "PrimaryURL"),
                    });
                }
            }
            return list;
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

}
