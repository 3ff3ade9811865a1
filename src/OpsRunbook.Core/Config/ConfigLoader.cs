using OpsRunbook.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpsRunbook.Core.Config;

/// <summary>A parsed config file: the bound model (when the YAML parsed) and every problem found.</summary>
public sealed class ConfigDocument
{
    internal ConfigDocument(string path, OpsConfigFile? config, IReadOnlyList<ConfigProblem> problems)
    {
        Path = path;
        Config = config;
        Problems = problems;
    }

    public string Path { get; }
    public OpsConfigFile? Config { get; }
    public IReadOnlyList<ConfigProblem> Problems { get; }
    public IEnumerable<string> EnvironmentNames => Config?.Environments.Keys ?? Enumerable.Empty<string>();

    /// <summary>
    /// The named environment (or the default), ready to use. Throws OpsException when the file has an
    /// error, or when the environment is unknown or needs a variable that is not set. A problem in another
    /// environment does not block this one (it is in <see cref="EnvironmentConfig.Warnings"/>), and with
    /// <paramref name="sections"/> (the environment's keys a cmdlet uses, e.g. disk, cleanup) neither does a problem
    /// in a section the cmdlet does not use: an unset REDIS_PASSWORD does not stop Get-OpsDiskSpace.
    /// Test-OpsConfig still reports every problem.
    /// </summary>
    public EnvironmentConfig GetEnvironment(string? name, IReadOnlyCollection<string>? sections = null)
    {
        if (Problems.FirstOrDefault(p => p.Kind == ConfigProblemKind.TooComplex) is { } bomb)
            throw new OpsException(ErrorIds.ConfigTooComplex, $"Config file {Path} is too complex to read: {bomb}", Path,
                "Write the repeated values out, or use fewer levels of aliases and merge keys (<<).");
        var syntax = Problems.FirstOrDefault(p => p.Kind == ConfigProblemKind.Syntax);
        if (syntax is not null || Config is null)
            throw new OpsException(ErrorIds.ConfigSyntaxError, $"Config file {Path} is not valid YAML: {syntax?.ToString() ?? "it is empty."}", Path,
                $"Fix the YAML at line {syntax?.Line}, column {syntax?.Column}; Test-OpsConfig -ConfigPath '{Path}' lists every problem.");

        name ??= Config.DefaultEnvironment ?? (Config.Environments.Count == 1 ? Config.Environments.Keys.First() : null);
        if (name is null)
            throw new OpsException(ErrorIds.ConfigEnvironmentRequired, $"Config file {Path} has no defaultEnvironment and several environments ({string.Join(", ", Config.Environments.Keys)}).",
                Path, "Pass -Environment, or set defaultEnvironment in the file.");

        if (!Config.Environments.TryGetValue(name, out var env) || env is null)
            throw new OpsException(ErrorIds.ConfigEnvironmentNotFound, $"Environment '{name}' is not defined in {Path}. Defined: {string.Join(", ", Config.Environments.Keys)}.",
                name, "Pass one of the defined environments to -Environment, or add it to the file.");

        // The config's own spelling (-Environment PRODUCTION finds 'production' and reports it so).
        var asRequested = name;
        name = Config.Environments.Keys.FirstOrDefault(k => string.Equals(k, asRequested, StringComparison.Ordinal))
               ?? Config.Environments.Keys.First(k => string.Equals(k, asRequested, StringComparison.OrdinalIgnoreCase));
        var envPath = $"environments.{name}";
        var errors = Problems.Where(p => p.Severity == ConfigSeverity.Error).ToList();
        var elsewhere = errors.Where(p => EnvironmentOf(p.Path) is { } e && !string.Equals(e, name, StringComparison.OrdinalIgnoreCase)).ToList();
        var relevant = errors.Except(elsewhere)
            .Where(p => sections is null || SectionOf(p.Path, envPath) is not { } section || sections.Contains(section, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (relevant.Count > 0 && relevant.All(p => p.Kind == ConfigProblemKind.MissingVariable))
        {
            var names = relevant.Select(p => p.Message.Split('\'')[1]).Distinct().ToList();
            var first = relevant[0];
            var where = $"{first.Path[Math.Min(first.Path.Length, envPath.Length + 1)..]}, {System.IO.Path.GetFileName(first.File)}:{first.Line}:{first.Column}";
            throw new OpsException(ErrorIds.ConfigVariableMissing, $"Environment '{name}' needs environment variable{(names.Count > 1 ? "s" : "")} {string.Join(", ", names)} ({where}), which {(names.Count > 1 ? "are" : "is")} not set.",
                names[0], $"Set it before running, e.g. $env:{names[0]} = '...'.");
        }
        if (relevant.Count > 0)
            throw new OpsException(ErrorIds.ConfigInvalid, $"Config file {Path} has {relevant.Count} error{(relevant.Count > 1 ? "s" : "")}: {string.Join(" | ", relevant.Take(3))}{(relevant.Count > 3 ? " | ..." : "")}",
                Path, $"Run Test-OpsConfig -ConfigPath '{Path}' for the full list, and fix each.");

        env.Name = name;
        env.Source = Path;
        env.Warnings = elsewhere.Select(p => $"Config problem in another environment (ignored here): {p}").ToList();
        return env;
    }

    /// <summary>The environment a problem path lies in (environments.NAME...), or null for the file's own keys.</summary>
    private static string? EnvironmentOf(string path)
    {
        const string root = "environments.";
        if (!path.StartsWith(root, StringComparison.Ordinal)) return null;
        var rest = path[root.Length..];
        var end = rest.IndexOfAny(['.', '[']);
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>The section key of a path under the environment (disk, redis, cleanup...), or null for the environment itself.</summary>
    private static string? SectionOf(string path, string envPath)
    {
        if (!path.StartsWith(envPath + ".", StringComparison.OrdinalIgnoreCase)) return null;
        var rest = path[(envPath.Length + 1)..];
        var end = rest.IndexOfAny(['.', '[']);
        return end < 0 ? rest : rest[..end];
    }
}

/// <summary>Reads ops.yaml files.</summary>
public static class ConfigLoader
{
    /// <summary>Reads and parses a file. Throws ConfigFileNotFound / ConfigFileUnreadable; content problems go into Problems.</summary>
    public static ConfigDocument Load(string path, Func<string, string?>? getEnvironmentVariable = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OpsException(ErrorIds.ConfigFileNotFound, $"Config file {path} does not exist.", path, "Check -ConfigPath or $env:OPSRUNBOOK_CONFIG, or copy examples/ops.yaml there.");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new OpsException(ErrorIds.ConfigFileUnreadable, $"Config file {path} cannot be read: {e.Message}", path, "Check the file's permissions.", e);
        }
        return Parse(text, path, getEnvironmentVariable);
    }

    /// <summary>Parses YAML text. Never throws for content problems.</summary>
    public static ConfigDocument Parse(string text, string path, Func<string, string?>? getEnvironmentVariable = null)
    {
        var getEnv = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        var problems = new List<ConfigProblem>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is not null && e.Message.StartsWith("(Line", StringComparison.Ordinal)
                ? e.InnerException.Message : StripMark(e.Message);
            problems.Add(new ConfigProblem(ConfigSeverity.Error, ConfigProblemKind.Syntax, "", (int)e.Start.Line, (int)e.Start.Column, message, path));
            return new ConfigDocument(path, null, problems);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) when the text ends inside a flow collection.
            var lines = text.TrimEnd().Split('\n');
            problems.Add(new ConfigProblem(ConfigSeverity.Error, ConfigProblemKind.Syntax, "", lines.Length, lines[^1].Length + 1,
                "The YAML ends in the middle of a structure: look above for an unclosed '{', '[' or quote.", path));
            return new ConfigDocument(path, null, problems);
        }
        if (stream.Documents.Count == 0)
        {
            problems.Add(new ConfigProblem(ConfigSeverity.Error, ConfigProblemKind.Syntax, "", 1, 1, "The file is empty.", path));
            return new ConfigDocument(path, null, problems);
        }
        if (stream.Documents.Count > 1)
            problems.Add(new ConfigProblem(ConfigSeverity.Error, ConfigProblemKind.Syntax, "", (int)stream.Documents[1].RootNode.Start.Line, 1,
                "The file holds more than one YAML document (---); put every environment in one.", path));

        var binder = new ConfigBinder(path, getEnv);
        OpsConfigFile config;
        try
        {
            config = binder.Bind<OpsConfigFile>(stream.Documents[0].RootNode);
        }
        catch (ConfigTooComplexException e)
        {
            problems.Add(new ConfigProblem(ConfigSeverity.Error, ConfigProblemKind.TooComplex, "", (int)e.At.Line, (int)e.At.Column,
                $"The file expands to more than {ConfigBinder.MaxNodeVisits:N0} values through aliases and merge keys (<<); stopped at this node. Write the values out, or merge less deeply.", path));
            return new ConfigDocument(path, null, problems);
        }
        foreach (var (name, env) in config.Environments)
        {
            if (env is null) continue;
            env.Name = name;
            env.Source = path;
        }
        problems.AddRange(binder.Problems.OrderBy(p => p.Line).ThenBy(p => p.Column));
        return new ConfigDocument(path, config, problems);
    }

    private static string StripMark(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 40) - (Line: ...): "; the record already has line and column.
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && i > 0 ? message[(i + 3)..] : message;
    }
}

/// <summary>Where the config file was found, and by which rule.</summary>
public sealed record ConfigLocation(string Path, string FoundBy);

/// <summary>
/// Finds the config file: -ConfigPath, then $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then
/// ~/.config/opsrunbook/ops.yaml. An explicit path or variable that points at nothing is an error,
/// never a silent fall-through.
/// </summary>
public static class ConfigLocator
{
    public const string EnvironmentVariable = "OPSRUNBOOK_CONFIG";
    public const string FileName = "ops.yaml";

    public static ConfigLocation Resolve(string? explicitPath, string? environmentValue, string currentDirectory, string? homeDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
            return Existing(Path.GetFullPath(explicitPath, currentDirectory), "-ConfigPath");
        if (!string.IsNullOrWhiteSpace(environmentValue))
            return Existing(Path.GetFullPath(environmentValue, currentDirectory), "$env:" + EnvironmentVariable);
        var local = Path.Combine(currentDirectory, FileName);
        if (File.Exists(local)) return new ConfigLocation(local, "./" + FileName);
        var searched = new List<string> { local };
        if (!string.IsNullOrEmpty(homeDirectory))
        {
            var user = Path.Combine(homeDirectory, ".config", "opsrunbook", FileName);
            if (File.Exists(user)) return new ConfigLocation(user, "~/.config/opsrunbook/" + FileName);
            searched.Add(user);
        }
        throw new OpsException(ErrorIds.ConfigFileNotFound, $"No OpsRunbook config found. Looked for -ConfigPath, $env:{EnvironmentVariable}, then {string.Join(" and ", searched)}.",
            null, $"Pass -ConfigPath, set $env:{EnvironmentVariable}, or copy examples/ops.yaml to ~/.config/opsrunbook/ops.yaml.");
    }

    private static ConfigLocation Existing(string path, string foundBy)
    {
        if (File.Exists(path)) return new ConfigLocation(path, foundBy);
        if (Directory.Exists(path))
            throw new OpsException(ErrorIds.ConfigFileUnreadable, $"Config file {path} (from {foundBy}) is a directory, not a file.", path,
                $"Name the file itself, e.g. {Path.Combine(path, FileName)}.");
        throw new OpsException(ErrorIds.ConfigFileNotFound, $"Config file {path} (from {foundBy}) does not exist.", path,
            foundBy == "-ConfigPath" ? "Check the path given to -ConfigPath." : $"Fix or clear $env:{EnvironmentVariable}.");
    }
}

/// <summary>What Test-OpsConfig reports, and what Get-OpsConfig -ListAvailable lists.</summary>
public static class ConfigInspector
{
    /// <summary>
    /// Every problem in the file. With an environment, missing variables used only by other
    /// environments are left out, and an undefined environment is itself a problem.
    /// </summary>
    public static IReadOnlyList<ConfigProblem> Problems(ConfigDocument doc, string? environment)
    {
        if (environment is null || doc.Config is null) return doc.Problems;
        var prefix = $"environments.{environment}.";
        var list = doc.Problems.Where(p => p.Kind != ConfigProblemKind.MissingVariable
                                           || p.Path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        if (!doc.Config.Environments.ContainsKey(environment))
            list.Add(new ConfigProblem(ConfigSeverity.Error, ConfigProblemKind.MissingKey, $"environments.{environment}", 1, 1,
                $"Environment '{environment}' is not defined. Defined: {string.Join(", ", doc.EnvironmentNames)}.", doc.Path));
        return list;
    }

    public static IEnumerable<OpsEnvironmentInfo> Environments(ConfigDocument doc)
    {
        if (doc.Config is null) yield break;
        foreach (var (name, env) in doc.Config.Environments)
        {
            var sections = ConfigBinder.Properties(typeof(EnvironmentConfig))
                .Where(kv => kv.Value.GetValue(env) is { } v && v is not System.Collections.ICollection { Count: 0 })
                .Select(kv => kv.Key).ToArray();
            yield return new OpsEnvironmentInfo(name, string.Equals(name, doc.Config.DefaultEnvironment, StringComparison.OrdinalIgnoreCase), doc.Path, sections);
        }
    }
}

/// <summary>One environment of a config file, by name.</summary>
public sealed record OpsEnvironmentInfo(string Name, bool IsDefault, string Source, string[] Sections);
