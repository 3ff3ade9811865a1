@{
    Synopsis    = "Replays Stripe events to the platform's webhook endpoint, each at most once: through Stripe, or posted and signed directly."
    Description = @'
Invoke-OpsWebhookReplay is step 3 of the runbook's Payment Processing Failure procedure, done safely. It takes events from Get-OpsStripeEvent (or event ids, fetched with GET /v1/events/{id}) and returns one WebhookReplayResult per event: Id, Type, Via, Status, HttpStatus, Endpoint, Duration, Message and Timestamp.

-Via Stripe (default) asks Stripe to redeliver the event to stripe.webhookEndpointId: POST /v1/events/{id}/retry with webhook_endpoint, through Stripe.net's raw request API (the Stripe CLI's `stripe events resend`). -Via Direct posts the event's JSON, exactly as Stripe returned it, to stripe.webhookUrl with a Stripe-Signature header (t=<unix>,v1=<HMAC-SHA256 of "t.payload" keyed by stripe.webhookSecret>), the way Stripe signs its own deliveries, so the platform's handler verifies and processes it as usual. A direct post is sent once (no retry: a 5xx or a timeout may still have been processed) and is bounded by stripe.timeoutSeconds.

Every event goes through the replay ledger in the state store (state.path, or state.postgres): the event is claimed before it is sent and its outcome recorded after (endpoint, time, HTTP status, result; every attempt is kept). An event already delivered with a 2xx is not sent again: its Status is AlreadyDelivered, unless -Force is given. Running the same replay twice delivers each event once, and two runs at the same time do not both send one event. The ledger is opened before the first event is sent: a store that cannot be written (read-only file or directory) is a WebhookLedgerUnavailable error and nothing is sent.

Status: Delivered (the endpoint, or Stripe, answered 2xx), AlreadyDelivered (the ledger says so; nothing sent), Rejected (a 4xx: the endpoint refused the signature or the payload, or Stripe refused the request; the receiver's answer is in Message), Failed (a 5xx, no answer within the bound, or unreachable). The cmdlet goes on after a per-event failure; a wrong Stripe key (StripeAuthenticationFailed) stops it.

ConfirmImpact is High: it asks before each event unless -Confirm:$false; -WhatIf lists what would be sent and sends and records nothing.
'@
    Parameters  = @{
        Event       = @{ Description = 'Events from Get-OpsStripeEvent (by pipeline), or event ids (evt_...).' }
        Via         = @{ Description = 'Stripe: Stripe redelivers to stripe.webhookEndpointId. Direct: the event is posted, signed with stripe.webhookSecret, to stripe.webhookUrl.'; Default = 'Stripe' }
        Force       = @{ Description = 'Send events that the ledger records as delivered too.' }
        Environment = @{ Description = "The environment in ops.yaml whose stripe and state sections are used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath  = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Payments.WebhookReplayResult' = 'One per event.' }
    Examples    = @(
        @{ Title = 'What would be replayed'; Code = 'Get-OpsStripeEvent -Type invoice.payment_failed -Since (Get-Date).AddDays(-1) -DeliveryFailed | Invoke-OpsWebhookReplay -Via Direct -WhatIf'; Remarks = 'Sends nothing, records nothing.' }
        @{ Title = "The runbook's replay, done once"; Code = 'Get-OpsStripeEvent -Type invoice.payment_failed -Since (Get-Date).AddDays(-1) -DeliveryFailed | Invoke-OpsWebhookReplay -Via Direct -Confirm:$false'; Remarks = 'Run it again: every event comes back AlreadyDelivered.' }
        @{ Title = 'Ask Stripe to resend one event'; Code = '$id = (Get-OpsStripeEvent -Type charge.failed -First 1).Id; Invoke-OpsWebhookReplay -Event $id -Via Stripe -Confirm:$false'; Remarks = 'POST /v1/events/{id}/retry with webhook_endpoint.' }
    )
    Links       = @('Get-OpsStripeEvent', 'Get-OpsStripeStatus')
}
