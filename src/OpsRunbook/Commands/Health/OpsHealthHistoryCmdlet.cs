using System.Management.Automation;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.State;

namespace OpsRunbook.Commands;

/// <summary>Base of the cmdlets that read the health history (Get-OpsHealthHistory, Measure-OpsAvailability): which checks, targets and window.</summary>
public abstract class OpsHealthHistoryCmdlet : OpsEnvironmentCmdlet
{
    /// <summary>Only these check families (Service, Disk, Database...); wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Check { get; set; }

    /// <summary>Only these targets; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Target { get; set; }

    /// <summary>The start of the window: a time, or how long ago (24h, 30d).</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Since { get; set; }

    /// <summary>The end of the window. Default: now.</summary>
    [Parameter]
    [PointInTime]
    public DateTimeOffset? Until { get; set; }

    /// <summary>
    /// The query for this environment; -Since defaults to <paramref name="defaultWindow"/> before -Until (or now).
    /// Without -Until the window ends now when <paramref name="endsNow"/>, else it stays open (rows written meanwhile count).
    /// </summary>
    protected HealthHistoryQuery Query(EnvironmentConfig env, TimeSpan defaultWindow, bool endsNow, HealthStatus[]? status = null)
    {
        var window = TimeWindow.Resolve(Since, Until, defaultWindow);
        return new HealthHistoryQuery
        {
            Environment = env.Name, Check = Check, Target = Target, Since = window.Since, Until = endsNow ? window.Until : Until, Status = status,
        };
    }

    /// <summary>Runs <paramref name="read"/> against the environment's state store, opened and closed around it.</summary>
    protected T ReadHistory<T>(EnvironmentConfig env, Func<IStateStore, CancellationToken, Task<T>> read) => Run(async (_, ct) =>
    {
        await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
        return await read(store, ct).ConfigureAwait(false);
    });
}
