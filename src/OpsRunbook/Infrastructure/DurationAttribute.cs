using System.Management.Automation;
using OpsRunbook.Core.Text;

namespace OpsRunbook.Commands;

/// <summary>
/// Lets every TimeSpan parameter take the config's duration syntax: -IdleLongerThan 5m, -Since 30d,
/// -Duration 1h, as well as 00:05:00 or a TimeSpan object. Put it on each TimeSpan (or TimeSpan?) parameter.
/// PowerShell reads an unquoted 30s as the short 30 and 7d as the decimal 7 (number literal suffixes), which would
/// otherwise become 30 and 7 ticks: a short is taken as seconds and a decimal as days, as the text said.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DurationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            null => null,
            TimeSpan t => t,
            short seconds => TimeSpan.FromSeconds(seconds),
            decimal days => TimeSpan.FromDays((double)days),
            string s => Duration.TryParse(s, out var d) ? d
                : throw new ArgumentTransformationMetadataException(
                    $"'{s}' is not a duration. Use a number with a unit (30s, 5m, 2h, 1d) or hh:mm:ss (00:05:00)."),
            _ => inputData,
        };
    }
}
