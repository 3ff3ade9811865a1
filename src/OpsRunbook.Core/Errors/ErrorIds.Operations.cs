namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Operations area (schedule, restarts, service logs, maintenance windows, incidents).</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId ScheduleInvalidCron = new(nameof(ScheduleInvalidCron), OpsErrorCategory.InvalidData,
        "A schedule entry's cron expression is not a five-field cron line (or uses a form cron and systemd read differently).");
    public static readonly OpsErrorId ScheduleJobNotFound = new(nameof(ScheduleJobNotFound), OpsErrorCategory.ObjectNotFound,
        "-Name names no job of the schedule.");
    public static readonly OpsErrorId RunbookNotFound = new(nameof(RunbookNotFound), OpsErrorCategory.ObjectNotFound,
        "A schedule job names a runbook script that does not exist in the runbooks folder.");
    public static readonly OpsErrorId FailedJobRetryUnsupported = new(nameof(FailedJobRetryUnsupported), OpsErrorCategory.InvalidOperation,
        "Restart-OpsFailedJob needs queues.source: bullmq and redis: (the admin API has no retry call).");
    public static readonly OpsErrorId ServiceNotConfigured = new(nameof(ServiceNotConfigured), OpsErrorCategory.ObjectNotFound,
        "-Name names no service of the environment's services: list.");
    public static readonly OpsErrorId ServiceRestartFailed = new(nameof(ServiceRestartFailed), OpsErrorCategory.InvalidResult,
        "The restart itself failed: systemctl exited non-zero, the Engine API refused, or the restart command failed.");
    public static readonly OpsErrorId ServiceDidNotRecover = new(nameof(ServiceDidNotRecover), OpsErrorCategory.OperationTimeout,
        "The service was restarted but its health check did not pass within -TimeoutSeconds.");
    public static readonly OpsErrorId ServiceKindNotSupported = new(nameof(ServiceKindNotSupported), OpsErrorCategory.InvalidArgument,
        "The service's kind cannot do what was asked (restart a tcp/http/process service without restartCommand, logs without a source).");
    public static readonly OpsErrorId ServiceLogUnavailable = new(nameof(ServiceLogUnavailable), OpsErrorCategory.ReadError,
        "journalctl, the Engine API or the log file could not be read.");
}

public static partial class ErrorIds
{
    public static readonly OpsErrorId MaintenanceAlreadyOpen = new(nameof(MaintenanceAlreadyOpen), OpsErrorCategory.ResourceExists,
        "A maintenance window is already open for the environment (from this or another session or host): close it first.");
    public static readonly OpsErrorId MaintenanceNotOpen = new(nameof(MaintenanceNotOpen), OpsErrorCategory.ObjectNotFound,
        "Stop-OpsMaintenance found no open maintenance window for the environment.");
    public static readonly OpsErrorId MaintenanceStepFailed = new(nameof(MaintenanceStepFailed), OpsErrorCategory.InvalidResult,
        "A step of Start- or Stop-OpsMaintenance failed; the result lists each step, what failed and what was undone.");
    public static readonly OpsErrorId SmokeTestFailed = new(nameof(SmokeTestFailed), OpsErrorCategory.InvalidResult,
        "A smoke test (smokeTests: in the config) did not answer with its expected status.");
    public static readonly OpsErrorId ServiceControlFailed = new(nameof(ServiceControlFailed), OpsErrorCategory.InvalidResult,
        "Stopping or starting a worker (systemctl stop/start, the Engine API's stop/start) failed.");
}

public static partial class ErrorIds
{
    public static readonly OpsErrorId IncidentNotFound = new(nameof(IncidentNotFound), OpsErrorCategory.ObjectNotFound,
        "No incident with that -Id in the environment, or no open incident when -Id is left out.");
    public static readonly OpsErrorId IncidentStatusOrder = new(nameof(IncidentStatusOrder), OpsErrorCategory.InvalidOperation,
        "An incident's status only moves forward: Investigating, Identified, Monitoring, Resolved.");
    public static readonly OpsErrorId IncidentStepUnknown = new(nameof(IncidentStepUnknown), OpsErrorCategory.InvalidArgument,
        "-Step names no step of the Incident Commander Checklist (Phase.Step, e.g. Assess.Severity).");
    public static readonly OpsErrorId IncidentNoteEmpty = new(nameof(IncidentNoteEmpty), OpsErrorCategory.InvalidArgument,
        "Add-OpsIncidentNote got neither -Text nor piped evidence.");
}

public static partial class ErrorIds
{
    public static readonly OpsErrorId WorkerScaleNotSupported = new(nameof(WorkerScaleNotSupported), OpsErrorCategory.InvalidArgument,
        "The service cannot be scaled: it is not docker with composeProject, nor systemd with a template unit (worker@.service).");
    public static readonly OpsErrorId WorkerScaleFailed = new(nameof(WorkerScaleFailed), OpsErrorCategory.InvalidResult,
        "Creating, starting, stopping or removing a replica failed (the Engine API or systemctl refused), or there is no replica to clone.");
    public static readonly OpsErrorId WorkerDidNotBecomeHealthy = new(nameof(WorkerDidNotBecomeHealthy), OpsErrorCategory.OperationTimeout,
        "A new replica was started but its health check did not pass within -TimeoutSeconds.");
}
