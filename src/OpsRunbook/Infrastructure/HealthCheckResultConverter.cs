using System.Globalization;
using System.Management.Automation;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Commands;

/// <summary>
/// Turns health results that come back from a remote session (Invoke-Command -HostName) or a CliXml file back into
/// real HealthCheckResult objects: <c>[OpsRunbook.Core.Health.HealthCheckResult[]]$remote</c> (Invoke-Command's output
/// stays a Deserialized property bag: PowerShell's remoting does not rehydrate module types), and Import-Clixml
/// does it by itself (TargetTypeForDeserialization, registered at import by RemoteResults). Then a fleet's results
/// sort by Status as local ones do (Critical first with -Descending, not alphabetically), pipe into
/// Export-OpsPrometheusMetric and Assert-OpsHealthy, and write the same CSV columns (ISO 8601 timestamps).
/// </summary>
public sealed class HealthCheckResultConverter : PSTypeConverter
{
    public override bool CanConvertFrom(object sourceValue, Type destinationType) =>
        destinationType == typeof(HealthCheckResult) && sourceValue is PSObject { BaseObject: PSCustomObject };

    public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
    {
        var o = (PSObject)sourceValue;
        object? P(string name) => o.Properties[name]?.Value is { } v ? (v is PSObject p ? p.BaseObject : v) : null;
        string? S(string name) => P(name)?.ToString();
        double? D(string name) => P(name) is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;
        var r = new HealthCheckResult
        {
            Environment = S(nameof(HealthCheckResult.Environment)) ?? "",
            ComputerName = S(nameof(HealthCheckResult.ComputerName)),
            Check = S(nameof(HealthCheckResult.Check)) ?? "",
            Target = S(nameof(HealthCheckResult.Target)) ?? "",
            Status = Enum.TryParse<HealthStatus>(S(nameof(HealthCheckResult.Status)), true, out var s) ? s : HealthStatus.Unknown,
            Value = D(nameof(HealthCheckResult.Value)),
            Unit = S(nameof(HealthCheckResult.Unit)),
            Threshold = S(nameof(HealthCheckResult.Threshold)),
            WarnAt = D(nameof(HealthCheckResult.WarnAt)),
            CriticalAt = D(nameof(HealthCheckResult.CriticalAt)),
            Message = S(nameof(HealthCheckResult.Message)) ?? "",
            NextStep = S(nameof(HealthCheckResult.NextStep)),
            Duration = P(nameof(HealthCheckResult.Duration)) is TimeSpan t ? t : TimeSpan.Zero,
            Timestamp = Timestamp(o.Properties[nameof(HealthCheckResult.Timestamp)]?.Value),
        };
        // The ISO 8601 stand-ins are instance members of the object, so they come back whenever PowerShell wraps it;
        // the conversion itself must return the object, not a PSObject.
        IsoTimestamps.Shape(r);
        return r;
    }

    /// <summary>A DateTimeOffset arrives as a property bag whose ToString is the ISO 8601 text the module wrote.</summary>
    private static DateTimeOffset Timestamp(object? value)
    {
        if (value is PSObject p && p.BaseObject is DateTimeOffset d) return d;
        if (value is DateTimeOffset dto) return dto;
        if (value is PSObject bag && bag.Properties["UtcDateTime"]?.Value is DateTime utc)
        {
            var offset = bag.Properties["Offset"]?.Value is TimeSpan off ? off : TimeSpan.Zero;
            return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) + offset, offset);
        }
        return DateTimeOffset.TryParse(value?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : default;
    }

    public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

    public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
        throw new InvalidCastException();
}
