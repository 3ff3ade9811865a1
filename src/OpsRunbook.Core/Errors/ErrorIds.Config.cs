namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Config area.</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId ConfigEnvironmentNotFound = new(nameof(ConfigEnvironmentNotFound), OpsErrorCategory.ObjectNotFound,
        "The -Environment (or defaultEnvironment) is not one of the file's environments.", isConfig: true);
    public static readonly OpsErrorId ConfigEnvironmentRequired = new(nameof(ConfigEnvironmentRequired), OpsErrorCategory.InvalidArgument,
        "The file has several environments and no defaultEnvironment: pass -Environment.", isConfig: true);
    public static readonly OpsErrorId ConfigFileNotFound = new(nameof(ConfigFileNotFound), OpsErrorCategory.ObjectNotFound,
        "No config file at -ConfigPath, $env:OPSRUNBOOK_CONFIG, ./ops.yaml or ~/.config/opsrunbook/ops.yaml.", isConfig: true);
    public static readonly OpsErrorId ConfigFileUnreadable = new(nameof(ConfigFileUnreadable), OpsErrorCategory.ReadError,
        "The config file exists but cannot be read (permissions).", isConfig: true);
    public static readonly OpsErrorId ConfigInvalid = new(nameof(ConfigInvalid), OpsErrorCategory.InvalidData,
        "The config has an unknown key or a bad value; Test-OpsConfig lists each with line and column.", isConfig: true);
    public static readonly OpsErrorId ConfigSectionMissing = new(nameof(ConfigSectionMissing), OpsErrorCategory.InvalidData,
        "The environment lacks the section this cmdlet needs (postgres:, s3:, ...).", isConfig: true);
    public static readonly OpsErrorId ConfigSyntaxError = new(nameof(ConfigSyntaxError), OpsErrorCategory.ParserError,
        "The config file is not valid YAML.", isConfig: true);
    public static readonly OpsErrorId ConfigVariableMissing = new(nameof(ConfigVariableMissing), OpsErrorCategory.InvalidData,
        "A ${env:NAME} in the config names a variable that is not set.", isConfig: true);
    public static readonly OpsErrorId ConfigTooComplex = new(nameof(ConfigTooComplex), OpsErrorCategory.InvalidData,
        "The config expands to too many values through aliases and merge keys (<<), as a YAML bomb does.", isConfig: true);
}
