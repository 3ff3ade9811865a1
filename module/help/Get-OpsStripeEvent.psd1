@{
    Synopsis    = 'Lists Stripe events (failed payments, failed webhook deliveries) through Stripe.net, newest first.'
    Description = @'
Get-OpsStripeEvent pages through GET /v1/events with Stripe.net's auto-paging (100 per page) and returns one StripeEventInfo per event: Id, Type, Created, ApiVersion, PendingWebhooks, Livemode and ObjectId (the invoice, charge or subscription the event is about). The event's JSON as Stripe returned it rides along for a replay: $event.GetRawJson().

-Type takes event type names (sent as types[]) or one wildcard name such as invoice.* (sent as type=); any other wildcard is matched here. -Since and -Until become created[gte] and created[lte]; -DeliveryFailed sends delivery_success=false, the events whose webhook never got a 2xx from your endpoint.

Stripe keeps events for 30 days. Asking for more (-Since older than 30 days) writes a warning saying so and lists from 30 days back: an empty list never hides the limit.

Every call goes through the module's HTTP client, bounded by stripe.timeoutSeconds; a 429 is retried with backoff, honouring Retry-After. A wrong key is StripeAuthenticationFailed; an unknown -Id is StripeEventNotFound.
'@
    Parameters  = @{
        Type           = @{ Description = 'Event types to list, e.g. invoice.payment_failed or invoice.*. Wildcards allowed.'; Default = 'All types' }
        Since          = @{ Description = 'Only events created at or after this time (created[gte]). More than 30 days back is a warning.'; Default = '30 days back (what Stripe keeps)' }
        Until          = @{ Description = 'Only events created at or before this time (created[lte]).'; Default = 'Now' }
        DeliveryFailed = @{ Description = 'Only events whose webhook delivery failed (delivery_success=false): what Invoke-OpsWebhookReplay should redeliver.' }
        First          = @{ Description = 'Stop after this many events.'; Default = 'All' }
        Id             = @{ Description = 'Event ids (evt_...) to fetch with GET /v1/events/{id}. Accepts pipeline input, by value or by the Id property.' }
        Environment    = @{ Description = "The environment in ops.yaml whose stripe section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath     = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Payments.StripeEventInfo' = 'One per event, newest first.' }
    Examples    = @(
        @{ Title = 'Failed payments of the last day whose webhook never arrived'; Code = 'Get-OpsStripeEvent -Type invoice.payment_failed -Since (Get-Date).AddDays(-1) -DeliveryFailed'; Remarks = 'The events the runbook replays.' }
        @{ Title = 'Every invoice event, counted by type'; Code = 'Get-OpsStripeEvent -Type invoice.* | Group-Object Type -NoElement'; Remarks = 'type=invoice.* is filtered by Stripe.' }
        @{ Title = 'One event by id, with its JSON'; Code = '$e = Get-OpsStripeEvent -First 1; (Get-OpsStripeEvent -Id $e.Id).GetRawJson()'; Remarks = 'The exact JSON Stripe returned.' }
    )
    Links       = @('Get-OpsStripeStatus')
}
