@{
    Synopsis    = "Reads Stripe's status page: the overall indicator, its description, and the components that are not operational."
    Description = @'
Get-OpsStripeStatus is step 1 of the runbook's Payment Processing Failure procedure (curl https://status.stripe.com/api/v2/status.json | jq). It reads the Statuspage v2 status.json at stripe.statusUrl and, beside it, summary.json, and returns one StripeStatusInfo: Indicator (None, Minor, Major, Critical, or Maintenance during a scheduled window), Description ("All Systems Operational"), Components (each component whose status is not operational, with that status: degraded_performance, partial_outage, major_outage, under_maintenance), Incidents (unresolved incident names), UpdatedAt, Url and Duration.

The call is bounded by stripe.timeoutSeconds, retries included; a status page that does not answer is a StripeStatusUnavailable error within that bound. When summary.json cannot be read the status still comes back, without components.

The same check runs as the Payments family of Get-OpsHealth: None is Healthy, Minor and Maintenance are a Warning, Major and Critical are Critical.
'@
    Parameters  = @{
        Environment = @{ Description = "The environment in ops.yaml whose stripe section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath  = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Payments.StripeStatusInfo' = 'One.' }
    Examples    = @(
        @{ Title = "Is Stripe degraded?"; Code = 'Get-OpsStripeStatus'; Remarks = 'Indicator None and "All Systems Operational" when all is well.' }
        @{ Title = 'As part of the health check'; Code = 'Get-OpsHealth -Check Payments'; Remarks = 'One Payments result; Critical during a major Stripe outage.' }
    )
    Links       = @('Get-OpsStripeEvent', 'Get-OpsHealth')
}
