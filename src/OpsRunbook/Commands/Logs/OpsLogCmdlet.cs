using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Commands;

/// <summary>
/// Base of the log cmdlets: the config is needed only when no -Path is given (logs.directory), and the
/// reader's problems become errors (a file missing, unreadable or corrupt) or warnings (lines skipped), each with its id.
/// </summary>
public abstract class OpsLogCmdlet : OpsEnvironmentCmdlet
{
    /// <summary>The log cmdlets read only logs:; a problem in another section does not stop them.</summary>
    protected override IReadOnlyCollection<string>? ConfigSections => ["logs"];

    /// <summary>logs: of the environment; null when paths were given and there is no config file at all.</summary>
    protected LogsConfig? LogsOrNull(bool pathsGiven)
    {
        if (!pathsGiven) return Env.Require(e => e.Logs, "logs");
        try { return Env.Logs; }
        catch (OpsException e) when (e.Id == ErrorIds.ConfigFileNotFound && ConfigPath is null && Environment is null) { return null; }
    }

    /// <summary>Writes a reader problem on the pipeline thread (call from any thread).</summary>
    protected void ReportProblem(OpsException e) => Post(() =>
    {
        if (e.Id == ErrorIds.LogFileNotFound || e.Id == ErrorIds.LogFileUnreadable || e.Id == ErrorIds.LogGzipCorrupt) WriteOpsError(e);
        else Warning($"{e.Message} [{e.ErrorId}]");
    });
}
