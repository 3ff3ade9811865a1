using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using System.Reflection;

namespace OpsRunbook.Commands;

/// <summary>
/// Makes the timestamps of every object a cmdlet writes read as ISO 8601 where PowerShell turns them into text
/// (Export-Csv, ConvertTo-Csv, Out-String), instead of the culture's month-first "12/02/2026 10:00:00". The
/// values stay DateTime/DateTimeOffset: comparisons, sorting, methods and ConvertTo-Json are unchanged.
/// Export-Csv calls ToString() on each property value, so each timestamp is written as a PSObject around the
/// same value whose ToString is ISO 8601, in a note property that stands in for the CLR property. Only timestamps are
/// stood in for (a record's time does not change after it is written; its other properties stay live), and PowerShell
/// lists note properties first, so in CSV the timestamp columns come first.
/// </summary>
internal static class IsoTimestamps
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]?> Plans = new();
    private static readonly MethodInfo ToIso = typeof(IsoTimestamps).GetMethod(nameof(Format))!;

    /// <summary>The object to write: itself when it has no timestamp property, else a PSObject over it.</summary>
    public static object? Shape(object? value)
    {
        if (value is null || value is PSObject || value.GetType().IsPrimitive || value is string) return value;
        var plan = Plans.GetOrAdd(value.GetType(), Plan);
        if (plan is null) return value;
        var pso = PSObject.AsPSObject(value);
        if (pso.Properties[plan[0].Name] is PSNoteProperty) return pso; // written before (e.g. -PassThru)
        foreach (var p in plan)
        {
            var v = p.GetValue(value);
            pso.Properties.Add(new PSNoteProperty(p.Name, v is null ? null : Wrap(v)), preValidated: true);
        }
        return pso;
    }

    /// <summary>A timestamp whose text form is ISO 8601 (used by Export-Csv and string conversion).</summary>
    public static PSObject Wrap(object timestamp)
    {
        var w = new PSObject(timestamp);
        w.Members.Add(new PSCodeMethod("ToString", ToIso));
        return w;
    }

    /// <summary>
    /// ToString(): 2026-12-02T10:00:00Z, 2026-12-02T10:00:00.25+01:00 (no trailing zeros in the fraction).
    /// ToString(format[, provider]) still works as on the DateTime/DateTimeOffset itself.
    /// </summary>
    public static string Format(PSObject instance, params object?[] args)
    {
        if (args.Length > 0 && instance.BaseObject is IFormattable f)
            return f.ToString(args[0]?.ToString(), args.Length > 1 ? args[1] as IFormatProvider : CultureInfo.CurrentCulture);
        return Iso(instance.BaseObject);
    }

    private static string Iso(object value) => value switch
    {
        DateTimeOffset o => o.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };

    private static PropertyInfo[]? Plan(Type type)
    {
        if (type.IsValueType || type.Namespace?.StartsWith("OpsRunbook", StringComparison.Ordinal) != true) return null;
        var stamps = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0
                        && (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) is var t && (t == typeof(DateTime) || t == typeof(DateTimeOffset)))
            .ToArray();
        return stamps.Length == 0 ? null : stamps;
    }
}
