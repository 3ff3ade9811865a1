@{
    Synopsis    = 'Restarts a configured service (systemd, docker or a restart command), then waits until its health check passes.'
    Description = @'
Restart-OpsService is the restart step of the runbook's "Complete Service Outage". It finds the service under services: in the config and restarts it by its kind:

- systemd: systemctl restart <unit> (the unit is unit:, default <name>.service; systemctl: names another systemctl).
- docker: the Docker Engine API's POST /containers/<container>/restart on endpoint: (default unix:///var/run/docker.sock).
- any kind with restartCommand: that command, run with /bin/sh -c. process, tcp and http services need one (ServiceKindNotSupported otherwise).

Then it runs the service's own health check, the one Get-OpsHealth's Service family runs, every half second until it is Healthy. The restart and the wait together are bounded by -TimeoutSeconds, and each check by what is left of it, so the cmdlet always returns. A service that does not pass in time is a ServiceDidNotRecover error naming its last health message; a restart call that fails (systemctl exits non-zero, the Engine API refuses) is ServiceRestartFailed. Both are non-terminating, per service: -ErrorAction Stop stops at the first.

ConfirmImpact is High: it asks before each restart unless -Confirm:$false. -WhatIf restarts nothing and shows the command it would run.
'@
    Parameters  = @{
        Name           = 'The services, as named under services: in the config. Accepts pipeline input by the Name or Target property, so Get-OpsHealth -Check Service results can be piped.'
        TimeoutSeconds = @{ Description = 'How long the restart and the wait for a passing health check may take together, in seconds.'; Default = '60' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.ServiceRestartResult' = 'One per service restarted: Name, Kind, Method, Before, After, Duration, DurationMs, Healthy, Checks, Message, Time.' }
    Examples    = @(
        @{ Title = 'See what a restart would run'; Code = 'Restart-OpsService -Name nginx -WhatIf'; Remarks = 'Names the command (here the sandbox nginx restartCommand) and runs nothing.' }
        @{ Title = 'Restart and wait for the health check'; Code = 'Restart-OpsService -Name nginx -Confirm:$false -TimeoutSeconds 30'; Remarks = 'Before, After, Duration and Healthy. A service that does not come back within 30 s is a ServiceDidNotRecover error.' }
        @{ Title = 'Restart every service that is not healthy'; Code = "Get-OpsHealth -Check Service | Where-Object Status -ne 'Healthy' | Restart-OpsService -Confirm:`$false"; Remarks = 'Pipes the unhealthy services by their Target (the service name); healthy ones are left alone.' }
    )
    Links       = @('Get-OpsServiceLog', 'Get-OpsHealth', 'about_OpsRunbook')
}
