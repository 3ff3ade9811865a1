namespace OpsRunbook.Core.Config;

public enum ConfigProblemKind { Syntax, UnknownKey, BadValue, MissingKey, MissingVariable, Invalid, SecretInFile, TooComplex }

public enum ConfigSeverity { Error, Warning }

/// <summary>One thing wrong with a config file, with where it is.</summary>
public sealed record ConfigProblem(
    ConfigSeverity Severity,
    ConfigProblemKind Kind,
    string Path,
    int Line,
    int Column,
    string Message,
    string File)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Severity.ToString().ToLowerInvariant()}: {Message}";
}

/// <summary>Handed to <see cref="IValidatableConfig.Validate"/>: reports problems at a key of the object.</summary>
public sealed class ConfigValidationContext
{
    private readonly Action<ConfigSeverity, ConfigProblemKind, string, string> _report;

    internal ConfigValidationContext(string path, Action<ConfigSeverity, ConfigProblemKind, string, string> report)
    {
        Path = path;
        _report = report;
    }

    /// <summary>Path of the object being validated, e.g. environments.production.postgres.</summary>
    public string Path { get; }

    /// <summary>Report an error at <paramref name="key"/> (a key of this object, or null for the object itself).</summary>
    public void Error(string? key, string message, ConfigProblemKind kind = ConfigProblemKind.Invalid)
        => _report(ConfigSeverity.Error, kind, PathOf(key), message);

    public void Warning(string? key, string message, ConfigProblemKind kind = ConfigProblemKind.Invalid)
        => _report(ConfigSeverity.Warning, kind, PathOf(key), message);

    private string PathOf(string? key) => key is null ? Path : Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>Reports MissingKey when <paramref name="value"/> is null or blank.</summary>
    public bool Require(string key, object? value)
    {
        if (value is null || (value is string s && string.IsNullOrWhiteSpace(s)))
        {
            Error(key, $"'{key}' is required here.", ConfigProblemKind.MissingKey);
            return false;
        }
        return true;
    }

    public void Percent(string key, double value)
    {
        if (value is < 0 or > 100) Error(key, $"'{key}' must be a percentage between 0 and 100, not {value}.", ConfigProblemKind.BadValue);
    }

    public void Positive(string key, double value)
    {
        if (value <= 0) Error(key, $"'{key}' must be greater than 0, not {value}.", ConfigProblemKind.BadValue);
    }
}

/// <summary>Config sections implement this to check their values after binding.</summary>
public interface IValidatableConfig
{
    void Validate(ConfigValidationContext context);
}
