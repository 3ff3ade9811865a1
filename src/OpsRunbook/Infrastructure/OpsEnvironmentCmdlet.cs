using System.Management.Automation;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Notify;

namespace OpsRunbook.Commands;

/// <summary>
/// Base for cmdlets that work on an environment from ops.yaml: adds -Environment (tab-completed from
/// the file) and -ConfigPath, and loads the environment once per invocation.
/// </summary>
public abstract class OpsEnvironmentCmdlet : OpsCmdlet
{
    private EnvironmentConfig? _environment;

    /// <summary>The environment in the config file; default: the file's defaultEnvironment.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public virtual string? Environment { get; set; }

    /// <summary>The config file; default: $env:OPSRUNBOOK_CONFIG, ./ops.yaml, ~/.config/opsrunbook/ops.yaml.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public virtual string? ConfigPath { get; set; }

    /// <summary>The resolved environment. Throws (terminating) when the config is broken.</summary>
    protected EnvironmentConfig Env => _environment ??= LoadEnvironment();

    protected ConfigLocation LocateConfig() => LocateConfig(this, ConfigPath);

    internal static ConfigLocation LocateConfig(PSCmdlet cmdlet, string? configPath)
    {
        var cwd = cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var explicitPath = configPath is null ? null : cmdlet.GetUnresolvedProviderPathFromPSPath(configPath);
        return ConfigLocator.Resolve(explicitPath, System.Environment.GetEnvironmentVariable(ConfigLocator.EnvironmentVariable), cwd,
            System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile));
    }

    /// <summary>
    /// The environment's keys this cmdlet uses (disk, cleanup...); a problem in any other section does not stop it.
    /// Null (the default): every section must be sound.
    /// </summary>
    protected virtual IReadOnlyCollection<string>? ConfigSections => null;

    protected virtual EnvironmentConfig LoadEnvironment()
    {
        var location = LocateConfig();
        Reporter.Verbose($"Config: {location.Path} (found by {location.FoundBy}).");
        var env = ConfigLoader.Load(location.Path).GetEnvironment(Environment, ConfigSections);
        Reporter.Verbose($"Environment: {env.Name}.");
        foreach (var w in env.Warnings) Reporter.Warning(w);
        return env;
    }

    /// <summary>
    /// -Notify of the operations cmdlets: sends one message to the channels (resolved before the change, with
    /// <see cref="Notifier.Select"/>); a channel that fails is a non-terminating NotificationFailed error (the change stands).
    /// </summary>
    protected void SendNotice(IReadOnlyList<NotificationChannelConfig>? channels, NotificationMessage? message)
    {
        if (channels is null || channels.Count == 0 || message is null) return;
        var env = Env;
        var results = Run((r, ct) => Notifier.SendAsync(env, channels, message, r, ct));
        foreach (var x in results)
        {
            if (x.Status == NotificationStatus.Sent) Verbose($"Notified {x.Channel} ({x.Destination}): {message.Message}");
            else WriteOpsError(new OpsException(x.ErrorId == ErrorIds.NotificationTimeout.Name ? ErrorIds.NotificationTimeout : ErrorIds.NotificationFailed,
                $"The change is made, but notifying channel '{x.Channel}' failed: {x.Error}", x.Channel,
                "Send the news by hand (Send-OpsNotification), and check the channel under notifications.channels."));
        }
    }
}
