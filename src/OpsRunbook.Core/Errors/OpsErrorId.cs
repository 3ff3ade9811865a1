using System.Reflection;

namespace OpsRunbook.Core.Errors;

/// <summary>
/// One entry of the error catalogue: the stable id users and tests match on (FullyQualifiedErrorId),
/// its PowerShell error category, whether it means "the config is wrong", and one line saying what it means.
/// </summary>
public sealed class OpsErrorId
{
    public OpsErrorId(string name, OpsErrorCategory category, string meaning, bool isConfig = false)
    {
        Name = name;
        Category = category;
        Meaning = meaning;
        IsConfig = isConfig;
    }

    public string Name { get; }
    public OpsErrorCategory Category { get; }
    /// <summary>True when the cause is the config file or environment: health probes report these as errors, not statuses.</summary>
    public bool IsConfig { get; }
    /// <summary>One line for the documentation (about_OpsRunbook, README).</summary>
    public string Meaning { get; }

    public override string ToString() => Name;
}

/// <summary>
/// The catalogue of every stable error id. One partial file per runbook area (ErrorIds.Backup.cs, ...):
/// a new id is a field there, never a string literal at the throw site.
/// </summary>
public static partial class ErrorIds
{
    private static IReadOnlyDictionary<string, OpsErrorId>? _all;

    /// <summary>Every id in the catalogue, by name.</summary>
    public static IReadOnlyDictionary<string, OpsErrorId> All => _all ??= typeof(ErrorIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(OpsErrorId))
        .Select(f => (OpsErrorId)f.GetValue(null)!)
        .ToDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>The catalogue entry for a name, or null.</summary>
    public static OpsErrorId? Find(string name) => All.TryGetValue(name, out var e) ? e : null;

    /// <summary>The id of anything the module did not foresee (mapped by the cmdlet base).</summary>
    public static readonly OpsErrorId UnexpectedError = new(nameof(UnexpectedError), OpsErrorCategory.NotSpecified,
        "Something the module did not foresee failed; the message names the exception. Please report it.");

    /// <summary>The platform has no /proc or other Linux interface the cmdlet reads.</summary>
    public static readonly OpsErrorId PlatformNotSupported = new(nameof(PlatformNotSupported), OpsErrorCategory.NotInstalled,
        "The cmdlet reads a Linux interface (/proc, statvfs) and runs on Linux only.");
}
