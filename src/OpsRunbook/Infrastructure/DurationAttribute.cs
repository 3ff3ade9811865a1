using System.Management.Automation;
using OpsRunbook.Core.Text;

namespace OpsRunbook.Commands;

/// <summary>
/// Lets every TimeSpan parameter take the config's duration syntax: -IdleLongerThan 5m, -Since 30d,
/// -Duration 1h, as well as 00:05:00 or a TimeSpan object. Put it on each TimeSpan (or TimeSpan?) parameter.
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
            decimal days => TimeSpan.FromDays((double)days),   // 30d unquoted is PowerShell's decimal literal 30
            string s => Duration.TryParse(s, out var d) ? d
                : throw new ArgumentTransformationMetadataException(
                    $"'{s}' is not a duration. Use a number with a unit (30s, 5m, 2h, 1d) or hh:mm:ss (00:05:00)."),
            _ => inputData,
        };
    }
}
