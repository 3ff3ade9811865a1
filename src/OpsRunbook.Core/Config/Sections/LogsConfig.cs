using System.Globalization;

namespace OpsRunbook.Core.Config;

/// <summary>logs: directory, api (file name pattern with {date:FORMAT}), access.</summary>
public sealed class LogsConfig : IValidatableConfig
{
    public string Directory { get; set; } = "";
    public string Api { get; set; } = "api-{date:yyyy-MM-dd}.log";
    public string Access { get; set; } = "access.log";

    public void Validate(ConfigValidationContext c)
    {
        if (c.Require("directory", Directory) && !System.IO.Path.IsPathFullyQualified(Directory))
            c.Error("directory", $"'directory' must be an absolute path, not '{Directory}'.", ConfigProblemKind.BadValue);
    }

    /// <summary>The api log file name for a day: 'api-{date:yyyy-MM-dd}.log' gives api-2026-11-29.log.</summary>
    public string ApiFileFor(DateOnly day) => System.Text.RegularExpressions.Regex.Replace(Api, @"\{date:([^}]+)\}",
        m => day.ToString(m.Groups[1].Value, CultureInfo.InvariantCulture));

    public override string ToString() => Directory;
}
