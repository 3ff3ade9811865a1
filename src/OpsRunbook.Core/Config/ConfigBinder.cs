using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpsRunbook.Core.Config;

/// <summary>
/// Binds a YamlDotNet node tree onto the typed config model, collecting every problem with its line
/// and column instead of stopping at the first (YamlDotNet's deserializer throws on the first unknown
/// key). Substitutes ${env:NAME} in scalars; $${env:NAME} is a literal. Supports YAML merge keys (&lt;&lt;).
/// </summary>
internal sealed partial class ConfigBinder
{
    private readonly string _file;
    private readonly Func<string, string?> _getEnv;
    private readonly Dictionary<string, Mark> _positions = new(StringComparer.Ordinal);

    public ConfigBinder(string file, Func<string, string?> getEnv)
    {
        _file = file;
        _getEnv = getEnv;
    }

    public List<ConfigProblem> Problems { get; } = new();

    /// <summary>Returned for a value already reported as bad: the property keeps its default.</summary>
    private static readonly object Failed = new();

    /// <summary>Paths that already have a problem: validation does not report them again.</summary>
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <summary>Values taken from the environment, by path, with the reference that produced them.</summary>
    private readonly Dictionary<string, (string Value, string Reference)> _fromEnvironment = new(StringComparer.Ordinal);

    public T Bind<T>(YamlNode root) where T : new() => Bind(root, typeof(T), "") is T t ? t : new T();

    /// <summary>
    /// How many nodes binding may visit, aliases and merge keys (&lt;&lt;) expanded. A real config visits a few hundred;
    /// a merge-key bomb (each level merging the one below ten times) visits 10^levels and is stopped here.
    /// </summary>
    public const int MaxNodeVisits = 100_000;
    private int _visits;

    private void Visit(YamlNode node)
    {
        if (++_visits > MaxNodeVisits) throw new ConfigTooComplexException(node.Start);
    }

    [GeneratedRegex(@"\$(\$?)\{env:([^}]*)\}")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    private void Report(ConfigSeverity severity, ConfigProblemKind kind, string path, string message, Mark? at = null)
    {
        var mark = at ?? PositionOf(path);
        _reported.Add(path);
        Problems.Add(new ConfigProblem(severity, kind, path, (int)mark.Line, (int)mark.Column, message, _file));
    }

    private Mark PositionOf(string path)
    {
        for (var p = path; ; p = Parent(p))
        {
            if (_positions.TryGetValue(p, out var m)) return m;
            if (p.Length == 0) return Mark.Empty;
        }
    }

    private static string Parent(string path)
    {
        var i = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return i <= 0 ? "" : path[..i];
    }

    private static string Describe(YamlNode n) => n switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "a single value",
    };

    private object? Bind(YamlNode node, Type type, string path)
    {
        Visit(node);
        if (!_positions.ContainsKey(path)) _positions[path] = node.Start;
        var underlying = Nullable.GetUnderlyingType(type);
        if (IsNull(node)) return underlying is not null || !type.IsValueType ? null : Activator.CreateInstance(type);
        type = underlying ?? type;

        if (type == typeof(Secret)) return BindSecret(node, path);
        if (IsScalarType(type)) return BindScalar(node, type, path);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)) return BindList(node, type, path);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)) return BindDictionary(node, type, path);
        return BindObject(node, type, path);
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s
        && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static bool IsScalarType(Type t) =>
        t == typeof(string) || t == typeof(bool) || t == typeof(int) || t == typeof(long) || t == typeof(double)
        || t == typeof(decimal) || t == typeof(TimeSpan) || t.IsEnum;

    private string? ScalarText(YamlNode node, string path, out List<string> variables)
    {
        variables = new();
        if (node is not YamlScalarNode scalar)
        {
            Report(ConfigSeverity.Error, ConfigProblemKind.BadValue, path, $"'{Leaf(path)}' should be a single value, not {Describe(node)}.", node.Start);
            return null;
        }
        var text = scalar.Value ?? "";
        if (!text.Contains("${", StringComparison.Ordinal)) return text;
        var missing = false;
        var vars = variables;
        var result = VariablePattern().Replace(text, m =>
        {
            var name = m.Groups[2].Value;
            if (m.Groups[1].Value == "$") return "${env:" + name + "}";
            if (!VariableName().IsMatch(name))
            {
                Report(ConfigSeverity.Error, ConfigProblemKind.BadValue, path, $"'{m.Value}' is not a valid variable reference: write ${{env:NAME}} with letters, digits and underscores.", node.Start);
                missing = true;
                return "";
            }
            vars.Add(name);
            var value = _getEnv(name);
            if (value is null)
            {
                Report(ConfigSeverity.Error, ConfigProblemKind.MissingVariable, path,
                    $"Environment variable '{name}' is not set (needed by '{path}').", node.Start);
                missing = true;
                return "";
            }
            return value;
        });
        if (missing) return null;
        if (vars.Count > 0 && result.Length > 0) _fromEnvironment[path] = (result, text);
        return result;
    }

    private object? BindSecret(YamlNode node, string path)
    {
        var text = ScalarText(node, path, out var vars);
        if (vars.Count > 0) return text is null ? Secret.None : Secret.FromEnvironment(text, string.Join("+", vars));
        if (string.IsNullOrEmpty(text)) return Secret.None;
        Report(ConfigSeverity.Warning, ConfigProblemKind.SecretInFile, path,
            $"'{Leaf(path)}' is written into the file. Secrets belong in the environment: '{Leaf(path)}: ${{env:NAME}}'.", node.Start);
        return Secret.FromFile(text);
    }

    private object? BindScalar(YamlNode node, Type type, string path)
    {
        var text = ScalarText(node, path, out var vars);
        if (text is null) return Failed;
        if (type == typeof(string)) return text;
        if (TryConvert(text, type, out var value)) return value;
        // Quote what the file says, never a value from the environment: it may be a secret.
        var shown = vars.Count > 0 ? $"the value of {((YamlScalarNode)node).Value}" : $"'{text}'";
        Report(ConfigSeverity.Error, ConfigProblemKind.BadValue, path, $"'{Leaf(path)}' must be {Expected(type)}, not {shown}.", node.Start);
        return Failed;
    }

    internal static bool TryConvert(string text, Type type, out object? value)
    {
        var inv = CultureInfo.InvariantCulture;
        value = null;
        if (type == typeof(bool)) { if (bool.TryParse(text, out var b)) value = b; }
        else if (type == typeof(int)) { if (int.TryParse(text, NumberStyles.Integer, inv, out var i)) value = i; }
        else if (type == typeof(long)) { if (long.TryParse(text, NumberStyles.Integer, inv, out var l)) value = l; }
        else if (type == typeof(double)) { if (double.TryParse(text, NumberStyles.Float, inv, out var d) && double.IsFinite(d)) value = d; }
        else if (type == typeof(decimal)) { if (decimal.TryParse(text, NumberStyles.Number, inv, out var m)) value = m; }
        else if (type == typeof(TimeSpan)) { if (Text.Duration.TryParse(text, out var t)) value = t; }
        else if (type.IsEnum) { if (Enum.TryParse(type, text, true, out var e) && Enum.IsDefined(type, e!)) value = e; }
        return value is not null;
    }

    private static string Expected(Type t) =>
        t == typeof(bool) ? "true or false"
        : t == typeof(int) || t == typeof(long) ? "a whole number"
        : t == typeof(double) || t == typeof(decimal) ? "a number"
        : t == typeof(TimeSpan) ? "a duration such as 30s, 5m or 00:05:00"
        : t.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(t))
        : t.Name;

    private object? BindList(YamlNode node, Type type, string path)
    {
        var itemType = type.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(type)!;
        if (node is not YamlSequenceNode seq)
        {
            Report(ConfigSeverity.Error, ConfigProblemKind.BadValue, path, $"'{Leaf(path)}' should be a list ([a, b] or '- item' lines), not {Describe(node)}.", node.Start);
            return Failed;
        }
        var i = 0;
        foreach (var child in seq.Children)
        {
            var item = Bind(child, itemType, $"{path}[{i++}]");
            if (item is not null && item != Failed) list.Add(item);
        }
        return list;
    }

    private object? BindDictionary(YamlNode node, Type type, string path)
    {
        var valueType = type.GetGenericArguments()[1];
        var dict = (IDictionary)Activator.CreateInstance(type, StringComparer.OrdinalIgnoreCase)!;
        if (node is not YamlMappingNode map)
        {
            Report(ConfigSeverity.Error, ConfigProblemKind.BadValue, path, $"'{Leaf(path)}' should be a mapping (key: value lines), not {Describe(node)}.", node.Start);
            return Failed;
        }
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = ((keyNode as YamlScalarNode)?.Value) ?? "";
            var childPath = Join(path, key);
            _positions[childPath] = keyNode.Start;
            if (dict.Contains(key))
            {
                Report(ConfigSeverity.Error, ConfigProblemKind.Invalid, childPath, $"'{key}' appears twice under '{Leaf(path)}' (names are not case-sensitive).", keyNode.Start);
                continue;
            }
            var value = Bind(valueNode, valueType, childPath);
            if (value != Failed) dict[key] = value;
        }
        return dict;
    }

    private object BindObject(YamlNode node, Type type, string path)
    {
        var obj = Activator.CreateInstance(type)!;
        if (node is not YamlMappingNode map)
        {
            Report(ConfigSeverity.Error, ConfigProblemKind.BadValue, path, $"'{Leaf(path)}' should be a mapping (key: value lines), not {Describe(node)}.", node.Start);
            return Failed;
        }
        var props = Properties(type);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Fill(obj, map, props, path, seen, merged: false);
        if (obj is IValidatableConfig v)
            v.Validate(new ConfigValidationContext(path, (sev, kind, p, msg) =>
            {
                if (_reported.Contains(p)) return;
                // A validator may quote the value; when it came from the environment, show the reference instead.
                if (_fromEnvironment.TryGetValue(p, out var env)) msg = msg.Replace(env.Value, env.Reference, StringComparison.Ordinal);
                Report(sev, kind, p, msg);
            }));
        return obj;
    }

    private void Fill(object obj, YamlMappingNode map, Dictionary<string, PropertyInfo> props, string path, HashSet<string> seen, bool merged)
    {
        // Merge keys first, so the mapping's own keys override what they bring in.
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if ((keyNode as YamlScalarNode)?.Value != "<<") continue;
            var sources = valueNode is YamlSequenceNode s ? s.Children.ToList() : [valueNode];
            foreach (var src in sources)
            {
                Visit(src);
                if (src is YamlMappingNode m) Fill(obj, m, props, path, seen, merged: true);
                else Report(ConfigSeverity.Error, ConfigProblemKind.BadValue, path, "A merge key (<<) must refer to a mapping, such as <<: *defaults.", src.Start);
            }
        }
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (key == "<<") continue;
            var childPath = Join(path, key);
            if (!merged) _positions[childPath] = keyNode.Start;
            if (!props.TryGetValue(key, out var prop))
            {
                if (!merged) Report(ConfigSeverity.Error, ConfigProblemKind.UnknownKey, childPath, UnknownKeyMessage(key, path, props.Keys), keyNode.Start);
                continue;
            }
            if (!merged && !seen.Add(key))
            {
                Report(ConfigSeverity.Error, ConfigProblemKind.Invalid, childPath, $"'{key}' appears twice.", keyNode.Start);
                continue;
            }
            var value = Bind(valueNode, prop.PropertyType, childPath);
            if (value == Failed) continue;
            if (value is not null || Nullable.GetUnderlyingType(prop.PropertyType) is not null) prop.SetValue(obj, value);
        }
    }

    private static string UnknownKeyMessage(string key, string path, IEnumerable<string> known)
    {
        var where = path.Length == 0 ? "at the top of the file" : $"under '{Leaf(path)}'";
        var best = known.Select(k => (k, d: Distance(key.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(x => x.d <= Math.Max(2, x.k.Length / 3)).OrderBy(x => x.d).Select(x => x.k).FirstOrDefault();
        return best is null
            ? $"Unknown key '{key}' {where}. Known keys: {string.Join(", ", known.Order())}."
            : $"Unknown key '{key}' {where}. Did you mean '{best}'?";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    private static readonly Dictionary<Type, Dictionary<string, PropertyInfo>> PropertyCache = new();

    /// <summary>The keys a section type accepts: camelCase of its public settable properties.</summary>
    internal static Dictionary<string, PropertyInfo> Properties(Type type)
    {
        lock (PropertyCache)
        {
            if (PropertyCache.TryGetValue(type, out var cached)) return cached;
            var props = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod?.IsPublic == true && p.GetCustomAttribute<ConfigIgnoreAttribute>() is null)
                .ToDictionary(p => KeyName(p.Name), StringComparer.Ordinal);
            PropertyCache[type] = props;
            return props;
        }
    }

    internal static string KeyName(string propertyName) => char.ToLowerInvariant(propertyName[0]) + propertyName[1..];

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Leaf(string path)
    {
        var i = path.LastIndexOf('.');
        return i < 0 ? path : path[(i + 1)..];
    }
}

/// <summary>Binding went past <see cref="ConfigBinder.MaxNodeVisits"/>: the file is (or acts as) a YAML bomb.</summary>
internal sealed class ConfigTooComplexException(Mark at) : Exception("The config expands to too many values.")
{
    public Mark At { get; } = at;
}
