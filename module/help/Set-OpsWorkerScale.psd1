@{
    Synopsis    = 'Scales a worker service to N replicas: `docker compose up --scale` through the Docker Engine API, or systemd template instances worker@1..N.'
    Description = @'
Set-OpsWorkerScale is the Alert Response Procedures' `docker-compose scale worker=4` (and worker=8) without the compose file or the CLI.

kind: docker with composeProject: the replicas are the containers labelled com.docker.compose.project=<composeProject> and com.docker.compose.service=<composeService, default the service name>, numbered by com.docker.compose.container-number. As `docker compose up --scale` does, scaling up creates the missing numbers 1..N: each new container is a clone of the first container's config (image, command, environment, labels, health check, host config and networks with their aliases; its own hostname) with the next container-number label, named <project>-<service>-<number>; it is started and its health check (the same one Get-OpsHealth and Restart-OpsService use) must pass within -TimeoutSeconds before the next one is created, else WorkerDidNotBecomeHealthy. Stopped replicas numbered 1..N are started. Scaling down stops and removes every replica numbered above N, the newest (highest number) first.

kind: systemd with a template unit (unit: worker@.service): the replicas are the instances worker@1.service ... (systemctl list-units); scaling up starts worker@1..N that are not running and waits for each to be active; scaling down stops the instances above N, the highest first.

The result is the service's replicas after the change: Replicas, Previous, Instances (Name, Number, State, Health), Started, Stopped, Duration. -WhatIf changes nothing. Errors: ServiceNotConfigured, WorkerScaleNotSupported (no composeProject or template unit), WorkerScaleFailed (the Engine API or systemctl refused; what was already done stays done and Get-OpsWorkerScale shows it), WorkerDidNotBecomeHealthy.
'@
    Parameters  = @{
        Service        = 'The service, by name under services: (docker with composeProject, or systemd with a template unit).'
        Replicas       = 'How many replicas should run (0 to 100).'
        TimeoutSeconds = @{ Description = 'How long each new replica may take to pass its health check.'; Default = '60' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.WorkerScaleResult' = 'Service, Kind, Replicas, Previous, Instances, Started, Stopped, Duration, DurationMs, Timestamp.' }
    Examples    = @(
        @{ Title = 'What scaling would do'; Code = "try { Set-OpsWorkerScale -Service worker -Replicas 4 -WhatIf } catch { `$_.FullyQualifiedErrorId }"; Remarks = 'With a worker service configured (composeProject or a template unit) names it and changes nothing; the sandbox has none: ServiceNotConfigured.' }
        @{ Title = 'Queue depth alert: more workers'; Code = "Set-OpsWorkerScale -Service worker -Replicas 8 -Confirm:`$false | Format-List Previous, Replicas, Started"; Run = $false; Why = 'Needs a Docker engine with a Compose project; the tests use the Engine API stand-in.'; Remarks = 'Creates worker 2..8 from worker 1, each healthy before the next.' }
        @{ Title = 'Back to normal'; Code = "Set-OpsWorkerScale -Service worker -Replicas 2 -Confirm:`$false"; Run = $false; Why = 'Needs a Docker engine.'; Remarks = 'Stops and removes the newest replicas first.' }
    )
    Links       = @('Get-OpsWorkerScale', 'Restart-OpsService', 'Get-OpsHealth')
}
