namespace OpsRunbook.Core.Config;

// The config contract. Key names are the camelCase of these property names; later issues add
// keys and sections freely but never rename one. Every section class documents its keys, one file per
// section under Sections/.

/// <summary>The whole file: defaultEnvironment and environments.</summary>
public sealed class OpsConfigFile : IValidatableConfig
{
    public string? DefaultEnvironment { get; set; }
    public Dictionary<string, EnvironmentConfig> Environments { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public void Validate(ConfigValidationContext context)
    {
        if (Environments.Count == 0)
            context.Error("environments", "The file defines no environments. Add at least one under 'environments:'.", ConfigProblemKind.MissingKey);
        else if (DefaultEnvironment is not null && !Environments.ContainsKey(DefaultEnvironment))
            context.Error("defaultEnvironment", $"defaultEnvironment '{DefaultEnvironment}' is not one of the environments ({string.Join(", ", Environments.Keys)}).", ConfigProblemKind.BadValue);
    }
}
