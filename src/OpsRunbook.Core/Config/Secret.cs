using OpsRunbook.Core.Security;

namespace OpsRunbook.Core.Config;

/// <summary>
/// A secret from the environment, a PSCredential or (discouraged) the file. Its value is internal:
/// PowerShell cannot read it, ToString masks it, and ConvertTo-Json/Export-Csv see only IsSet and
/// Source. Core code calls <see cref="Reveal"/> at the moment it hands the value to a client library.
/// </summary>
public sealed class Secret
{
    private readonly string? _value;

    internal Secret(string? value, string source)
    {
        _value = value;
        Source = source;
        SecretScrubber.Register(value);
    }

    public static Secret FromEnvironment(string? value, string variables) => new(value, "env:" + variables);
    public static Secret FromCredential(string? value) => new(value, "credential");
    internal static Secret FromFile(string? value) => new(value, "file");
    public static readonly Secret None = new(null, "none");

    /// <summary>True when a non-empty value is present.</summary>
    public bool IsSet => !string.IsNullOrEmpty(_value);

    /// <summary>Where the value came from: env:NAME, credential, file or none. Never the value.</summary>
    public string Source { get; }

    internal string? Reveal() => _value;

    public override string ToString() => IsSet ? $"{SecretScrubber.Mask} ({Source})" : $"(not set)";
}
