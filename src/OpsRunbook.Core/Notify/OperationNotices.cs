using OpsRunbook.Core.Config;
using OpsRunbook.Core.Operations;

namespace OpsRunbook.Core.Notify;

/// <summary>
/// The messages -Notify sends for the operations cmdlets (New-/Set-OpsIncident, Start-/Stop-OpsMaintenance), built here so
/// every channel gets the same words: one line saying what changed, and the incident or window as a one-row table.
/// </summary>
public static class OperationNotices
{
    public static NotificationSeverity SeverityOf(Incident i) => i.Status == IncidentStatus.Resolved ? NotificationSeverity.Info : i.Severity switch
    {
        IncidentSeverity.SEV1 or IncidentSeverity.SEV2 => NotificationSeverity.Critical,
        IncidentSeverity.SEV3 => NotificationSeverity.Warning,
        _ => NotificationSeverity.Info,
    };

    private static NotificationMessage Incident(EnvironmentConfig env, Incident i, string text) => new()
    {
        Message = text, Severity = SeverityOf(i), Environment = env.Name, Timestamp = DateTimeOffset.UtcNow,
        Columns = ["Incident", "Severity", "Status", "Opened (UTC)", "Title"],
        Rows = [[$"#{i.Id}", i.Severity.ToString(), i.Status.ToString(), i.OpenedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm"), i.Title]],
        TotalRows = 1,
    };

    /// <summary>New-OpsIncident -Notify.</summary>
    public static NotificationMessage Opened(EnvironmentConfig env, Incident i) =>
        Incident(env, i, $"Incident #{i.Id} opened ({i.Severity}): {i.Title}. Status: {i.Status}.");

    /// <summary>Set-OpsIncident -Notify: null when the status did not change (nothing to post).</summary>
    public static NotificationMessage? StatusChanged(EnvironmentConfig env, IncidentStatus before, Incident after) =>
        before == after.Status ? null
        : Incident(env, after, $"Incident #{after.Id} ({after.Severity}) {after.Title}: {before} -> {after.Status}." +
            (after.Status == IncidentStatus.Resolved ? $" Duration {Math.Round(after.Duration.TotalMinutes)} min." + (after.Resolution.Length > 0 ? $" Resolution: {after.Resolution}" : "") : "") +
            (after.Status == IncidentStatus.Identified && after.RootCause.Length > 0 ? $" Root cause: {after.RootCause}" : ""));

    private static NotificationMessage Window(EnvironmentConfig env, MaintenanceWindow? w, string text, NotificationSeverity severity) => new()
    {
        Message = text, Severity = severity, Environment = env.Name, Timestamp = DateTimeOffset.UtcNow,
        Columns = w is null ? [] : ["Window", "Reason", "Opened (UTC)", "Until (UTC)", "By"],
        Rows = w is null ? [] : [[$"#{w.Id}", w.Reason, w.OpenedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm"), w.EndsAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm"), w.OpenedBy]],
        TotalRows = w is null ? 0 : 1,
    };

    /// <summary>Start-OpsMaintenance -Notify, when the window opened.</summary>
    public static NotificationMessage MaintenanceStarted(EnvironmentConfig env, MaintenanceWindow w) =>
        Window(env, w, $"Maintenance on {env.Name} has started: {w.Reason}. Planned until {w.EndsAt.UtcDateTime:HH:mm} UTC ({Text.Duration.Format(w.Duration)}).", NotificationSeverity.Warning);

    /// <summary>Stop-OpsMaintenance -Notify: closed (Info), or not closed (Critical, with why).</summary>
    public static NotificationMessage MaintenanceStopped(EnvironmentConfig env, MaintenanceResult r) => r.Succeeded
        ? Window(env, r.Window, $"Maintenance on {env.Name} is over{(r.Window is null ? "" : $": {r.Window.Reason}")}. Smoke tests passed; service resumed.", NotificationSeverity.Info)
        : Window(env, r.Window, $"Maintenance on {env.Name} could not be closed (failed at {r.FailedStep}): {r.Message}", NotificationSeverity.Critical);
}
