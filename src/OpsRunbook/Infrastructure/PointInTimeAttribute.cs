using System.Globalization;
using System.Management.Automation;
using OpsRunbook.Core.Text;

namespace OpsRunbook.Commands;

/// <summary>
/// Lets a DateTimeOffset parameter (-Since, -Until) take either a point in time (a DateTime, a DateTimeOffset,
/// '2026-12-02 10:00', '2026-12-02T10:00:00Z') or a duration that means "that long ago" (24h, 30m, 7d, a TimeSpan).
/// A time without an offset is local time, as Get-Date gives it. An unquoted 30s or 7d (PowerShell reads them as a
/// short and a decimal) means 30 seconds or 7 days ago.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PointInTimeAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        // PowerShell reads an unquoted 30d as the decimal 30 and 5s as the short 5 (number suffixes); the PSObject keeps
        // the text as typed, which is what the user meant.
        if (inputData is PSObject typed && value is decimal or short) value = typed.ToString();
        return value switch
        {
            null => null,
            DateTimeOffset d => d,
            DateTime d => new DateTimeOffset(d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Local) : d),
            TimeSpan t => DateTimeOffset.UtcNow - t,
            // Unquoted 30s and 7d reach us as PowerShell number literals: the short 30 and the decimal 7.
            short seconds => DateTimeOffset.UtcNow - TimeSpan.FromSeconds(seconds),
            decimal days => DateTimeOffset.UtcNow - TimeSpan.FromDays((double)days),
            string s when Duration.TryParse(s, out var d) => DateTimeOffset.UtcNow - d,
            string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var t) => t,
            string s => throw new ArgumentTransformationMetadataException(
                $"'{s}' is neither a time ('2026-12-02 10:00', ISO 8601) nor a duration that means 'ago' (30m, 24h, 7d)."),
            _ => inputData,
        };
    }
}
