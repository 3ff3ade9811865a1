@{
    Synopsis    = 'Shows the replicas of worker services: Compose containers found by their labels, or systemd template instances.'
    Description = @'
Get-OpsWorkerScale lists, for each scalable service (kind docker with composeProject: the containers labelled com.docker.compose.project and com.docker.compose.service, through the Docker Engine API; kind systemd with a template unit such as worker@.service: its instances from systemctl list-units), how many replicas run and each one's name, container-number, state and health. Without -Service it shows every scalable service of the environment (none is nothing).
'@
    Parameters  = @{
        Service = 'The services, by name under services:. Default: every docker service with composeProject and every systemd service with a template unit.'
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.WorkerScaleResult' = 'Service, Kind, Replicas, Instances (Name, Number, State, Health, Id), Duration, Timestamp.' }
    Examples    = @(
        @{ Title = 'How many workers run'; Code = 'Get-OpsWorkerScale'; Remarks = 'One row per scalable service; the sandbox has none, so nothing.' }
        @{ Title = 'Each replica'; Code = "Get-OpsWorkerScale -Service worker | Select-Object -ExpandProperty Instances"; Run = $false; Why = 'Needs a Docker engine with a Compose project.'; Remarks = 'Name, Number, State and Health of each replica.' }
    )
    Links       = @('Set-OpsWorkerScale')
}
