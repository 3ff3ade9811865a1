using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpsRunbook.Core.Health;

/// <summary>
/// The exit-code contract of OpsRunbook's runbooks and the Nagios plugin output of DailyHealthCheck.ps1 -Plugin.
/// Exit codes follow the Nagios plugin convention (check_postgres and the Icinga, Nagios and Zabbix agents use
/// it): 0 OK, 1 Warning, 2 Critical, 3 Unknown; a broken config is 3. The status line is
/// <c>OPSRUNBOOK CRITICAL - 1 critical, 0 warning, 0 unknown of 17 checks: Service/api | label=value[UOM];warn;crit;min;max ...</c>
/// (Nagios Plugin Development Guidelines, "Plugin Output" and "Performance data").
/// </summary>
public static partial class NagiosPlugin
{
    public const int Ok = 0;
    public const int Warning = 1;
    public const int Critical = 2;
    public const int Unknown = 3;

    /// <summary>The exit code for one status.</summary>
    public static int ExitCode(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => Ok,
        HealthStatus.Warning => Warning,
        HealthStatus.Critical => Critical,
        _ => Unknown,
    };

    /// <summary>The exit code for a run: Critical if any result is, else Warning, else Unknown, else OK; no results is Unknown.</summary>
    public static int ExitCode(IEnumerable<HealthCheckResult> results)
    {
        var list = results.ToList();
        return list.Count == 0 ? Unknown : ExitCode(list.Max(r => r.Status));
    }

    /// <summary>
    /// The exit code for a runbook step that failed with an error: 3 (Unknown) for a broken config, since nothing
    /// could be checked; otherwise <paramref name="otherwise"/> (Critical by default: the step itself failed).
    /// </summary>
    public static int ExitCodeFor(Exception error, int otherwise = Critical)
    {
        for (var e = error; e is not null; e = e.InnerException)
            if (e is Errors.OpsException { IsConfigError: true }) return Unknown;
        return otherwise;
    }

    /// <summary>OK, WARNING, CRITICAL or UNKNOWN.</summary>
    public static string StateName(int exitCode) => exitCode switch { Ok => "OK", Warning => "WARNING", Critical => "CRITICAL", _ => "UNKNOWN" };

    /// <summary>The one status line with perfdata, for a Nagios or Icinga check command.</summary>
    public static string StatusLine(IReadOnlyList<HealthCheckResult> results, string service = "OPSRUNBOOK")
    {
        var code = ExitCode(results);
        int Count(HealthStatus s) => results.Count(r => r.Status == s);
        var text = new StringBuilder($"{service} {StateName(code)} - ");
        if (results.Count == 0) text.Append("no health results");
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{Count(HealthStatus.Critical)} critical, {Count(HealthStatus.Warning)} warning, {Count(HealthStatus.Unknown)} unknown of {results.Count} checks");
            var bad = results.Where(r => r.Status != HealthStatus.Healthy).OrderByDescending(r => r.Status).Select(r => $"{r.Check}/{r.Target}").ToList();
            if (bad.Count > 0) text.Append(": ").Append(string.Join(", ", bad));
        }
        // '|' starts the perfdata and a newline starts the long output: neither may appear in the text.
        var line = Plain(text.ToString());
        var perf = Perfdata(results);
        return perf.Length == 0 ? line : $"{line} | {perf}";
    }

    /// <summary>The line for a run that could not check anything (a broken config): UNKNOWN and why.</summary>
    public static string UnknownLine(string why, string service = "OPSRUNBOOK") => Plain($"{service} UNKNOWN - {why}");

    /// <summary>Space-separated perfdata for every result with a Value: label=value[UOM];warn;crit;min;max.</summary>
    public static string Perfdata(IReadOnlyList<HealthCheckResult> results)
    {
        var perFamily = results.GroupBy(r => r.Check).ToDictionary(g => g.Key, g => g.Count());
        var items = new List<string>();
        foreach (var r in results)
        {
            if (r.Value is not { } v || double.IsNaN(v) || double.IsInfinity(v)) continue;
            var (uom, suffix) = Uom(r.Unit);
            // One result in its family: the family alone (stable when a target's name changes, such as today's log file).
            var name = perFamily[r.Check] == 1 ? r.Check : $"{r.Check}_{r.Target}";
            var label = Label(name + suffix);
            var min = uom == "%" || v >= 0 ? "0" : "";
            var max = uom == "%" ? "100" : "";
            items.Add($"{label}={N(v)}{uom};{N(r.WarnAt)};{N(r.CriticalAt)};{min};{max}".TrimEnd(';'));
        }
        return string.Join(' ', items);
    }

    /// <summary>Lower case; letters, digits, _ . - and / kept, everything else '_'. Never needs quoting.</summary>
    public static string Label(string name) => LabelUnsafe().Replace(name.ToLowerInvariant(), "_").Trim('_');

    private static (string Uom, string LabelSuffix) Uom(string? unit) => unit switch
    {
        "ms" => ("ms", "_ms"),
        "s" => ("s", "_s"),
        "%" => ("%", "_pct"),
        "bytes" or "B" => ("B", "_bytes"),
        null or "" => ("", ""),
        _ => ("", ""), // counts (errors/24h, jobs waiting...): a plain number
    };

    private static string N(double? v) => v is { } d ? Math.Round(d, 3).ToString("0.###", CultureInfo.InvariantCulture) : "";

    private static string Plain(string s) => s.Replace('|', '/').Replace('\r', ' ').Replace('\n', ' ');

    [GeneratedRegex("[^a-z0-9_./-]+")]
    private static partial Regex LabelUnsafe();
}
