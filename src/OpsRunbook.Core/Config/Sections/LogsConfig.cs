using System.Globalization;

namespace OpsRunbook.Core.Config;

/// <summary>
/// logs: directory, api (file name pattern with {date:FORMAT}), access (the nginx access log, rotations come along),
/// accessFormat (an nginx log_format string; empty: combined plus optional $request_time $upstream_response_time),
/// endpointRules (extra regex rules that name endpoints), auth (the API's auth log pattern, {date:FORMAT} or
/// wildcards) and systemAuth (sshd's /var/log/auth.log).
/// </summary>
public sealed class LogsConfig : IValidatableConfig
{
    public string Directory { get; set; } = "";
    public string Api { get; set; } = "api-{date:yyyy-MM-dd}.log";
    public string Access { get; set; } = "access.log";
    public string AccessFormat { get; set; } = "";
    public List<EndpointRule> EndpointRules { get; set; } = new();
    public string Auth { get; set; } = "auth-{date:yyyy-MM-dd}.log";
    public string SystemAuth { get; set; } = "/var/log/auth.log";

    public void Validate(ConfigValidationContext c)
    {
        if (c.Require("directory", Directory) && !System.IO.Path.IsPathFullyQualified(Directory))
            c.Error("directory", $"'directory' must be an absolute path, not '{Directory}'.", ConfigProblemKind.BadValue);
    }

    /// <summary>The access log path (logs.access under logs.directory unless absolute).</summary>
    public string AccessPath => System.IO.Path.Combine(Directory, Access);

    /// <summary>
    /// The files of a {date:...} pattern (logs.api, logs.auth) that can hold lines of [from, to]: one per UTC day the
    /// window touches, with a day of slack either side, plain or .gz. A pattern without {date:...} is returned as is.
    /// </summary>
    public IReadOnlyList<string> DatedFiles(string pattern, DateTimeOffset from, DateTimeOffset to)
    {
        if (!pattern.Contains("{date:", StringComparison.Ordinal)) return [System.IO.Path.Combine(Directory, pattern)];
        var files = new List<string>();
        var last = DateOnly.FromDateTime(to.UtcDateTime).AddDays(1);
        var first = DateOnly.FromDateTime(from.UtcDateTime).AddDays(-1);
        if (last.DayNumber - first.DayNumber > 3660) first = last.AddDays(-3660);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var plain = System.IO.Path.Combine(Directory, FileFor(pattern, day));
            if (File.Exists(plain)) files.Add(plain);
            if (File.Exists(plain + ".gz")) files.Add(plain + ".gz");
        }
        return files;
    }

    /// <summary>A {date:FORMAT} pattern's file name for a day.</summary>
    public static string FileFor(string pattern, DateOnly day) => System.Text.RegularExpressions.Regex.Replace(pattern, @"\{date:([^}]+)\}",
        m => day.ToString(m.Groups[1].Value, CultureInfo.InvariantCulture));

    /// <summary>The api log file name for a day: 'api-{date:yyyy-MM-dd}.log' gives api-2026-11-29.log.</summary>
    public string ApiFileFor(DateOnly day) => System.Text.RegularExpressions.Regex.Replace(Api, @"\{date:([^}]+)\}",
        m => day.ToString(m.Groups[1].Value, CultureInfo.InvariantCulture));

    public override string ToString() => Directory;
}

/// <summary>logs.endpointRules item: a regex over the normalised path and its replacement ("/api/users/[^/]+/avatar" to "/api/users/:name/avatar").</summary>
public sealed class EndpointRule
{
    public string Pattern { get; set; } = "";
    public string Replacement { get; set; } = "";
    public override string ToString() => $"{Pattern} -> {Replacement}";
}
