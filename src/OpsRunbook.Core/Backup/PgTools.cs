using System.Diagnostics;
using System.Text;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Core.Backup;

/// <summary>
/// Finds and starts the PostgreSQL client tools (pg_dump, pg_restore). The password goes to the child
/// only, through PGPASSWORD in its environment: never on a command line, never in a message.
/// </summary>
public static class PgTools
{
    public const string BinVariable = "OPSRUNBOOK_PG_BIN";

    /// <summary>
    /// The full path of a tool: backup.pgBinDirectory, then $OPSRUNBOOK_PG_BIN, then the newest
    /// /usr/lib/postgresql/N/bin, then PATH. Throws PgToolNotFound naming every place looked in.
    /// </summary>
    public static string Find(string tool, string? configuredDirectory = null)
    {
        var looked = new List<string>();
        foreach (var dir in Candidates(configuredDirectory))
        {
            var path = Path.Combine(dir, tool);
            looked.Add(dir);
            if (File.Exists(path)) return path;
        }
        throw new OpsException(ErrorIds.PgToolNotFound, $"Cannot find {tool} (looked in {string.Join(", ", looked.Distinct())}).", tool,
            $"Install the PostgreSQL client (apt-get install postgresql-client) or set backup.pgBinDirectory / ${BinVariable}.");
    }

    private static IEnumerable<string> Candidates(string? configured)
    {
        if (!string.IsNullOrEmpty(configured)) { yield return configured; yield break; }
        if (Environment.GetEnvironmentVariable(BinVariable) is { Length: > 0 } env) { yield return env; yield break; }
        // Debian/Ubuntu keep each major version's tools in /usr/lib/postgresql/N/bin; /usr/bin/pg_dump there is a
        // wrapper script that picks a version itself. The newest real binary can dump every older server.
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            foreach (var d in Directory.GetDirectories(root)
                         .Select(d => (Dir: d, Ok: int.TryParse(Path.GetFileName(d), out var v), Version: v))
                         .Where(x => x.Ok).OrderByDescending(x => x.Version))
                yield return Path.Combine(d.Dir, "bin");
        }
        foreach (var d in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            yield return d;
    }

    /// <summary>A start info with connection arguments, PGPASSWORD in the environment and no shell.</summary>
    public static ProcessStartInfo StartInfo(string tool, PostgresConfig cfg, string database, IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in new[] { "--host", cfg.Host, "--port", cfg.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--username", cfg.Username, "--no-password" })
            psi.ArgumentList.Add(a);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--dbname");
        psi.ArgumentList.Add(database);
        psi.Environment.Remove("PGPASSFILE");
        if (cfg.Password.IsSet) psi.Environment["PGPASSWORD"] = cfg.Password.Reveal();
        else psi.Environment.Remove("PGPASSWORD");
        psi.Environment["PGSSLMODE"] = cfg.SslMode.ToLowerInvariant() switch
        {
            "verifyca" => "verify-ca", "verifyfull" => "verify-full", var m => m,
        };
        psi.Environment["PGCONNECT_TIMEOUT"] = cfg.ConnectTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["PGAPPNAME"] = "OpsRunbook";
        return psi;
    }

    /// <summary>Describes the command for verbose output: tool and arguments, never the environment.</summary>
    public static string Describe(ProcessStartInfo psi) => psi.FileName + " " + string.Join(' ', psi.ArgumentList);

    /// <summary>stderr text for an error message: trimmed, bounded, secrets scrubbed.</summary>
    public static string CleanStderr(string stderr, int max = 2000)
    {
        var t = SecretScrubber.Scrub(stderr).Trim();
        return t.Length > max ? t[..max] + " ..." : t;
    }
}
