@{
    Synopsis    = 'Sends a message to the configured notification channels (Slack-compatible webhook, generic JSON POST, email); piped results become a short table.'
    Description = @'
Send-OpsNotification is the "notify team members" and "notify users" step of the runbook's Incident Commander Checklist and Planned Maintenance Template. The channels are under notifications: in the config:

- kind: webhook - a Slack-compatible incoming webhook: a JSON POST of { "text": ..., "blocks": [...] }; text is the one-line fallback, the blocks hold the message and the piped table.
- kind: http - a generic JSON POST. template: is the body, with {{message}}, {{severity}}, {{environment}}, {{summary}} and {{timestamp}} filled in JSON-escaped (put them inside JSON strings) and {{items}} as a JSON array of the piped rows. Without a template the body is an object with all of them. headers: adds request headers.
- kind: email - SMTP through MailKit. tls: starttls (default, required), ssl, auto or none; username/password; trustedCertificate: a PEM to trust for a relay with a self-signed certificate. The subject is "[Severity] environment: first line of the message".

Webhook URLs, header values and SMTP passwords are secrets: write them as ${env:NAME}. They never appear in results, errors or verbose text; a result names a webhook by its scheme and host only.

Piped objects (Get-OpsHealth results, or any objects) are collected and sent once, at the end of the pipeline, as a table of at most 20 rows: a health result shows Check, Target, Status, Value and Message; other objects their default display properties (or their first five). Without -Severity the severity is the worst piped Status (Critical, else Warning), else Info.

Each channel is bounded by notifications.timeoutSeconds (default 10), retries included: 429 and 5xx answers and dropped connections are retried with backoff up to notifications.maxAttempts (default 3) times, and a Retry-After header is honoured when it fits in the bound. The channels are sent to side by side. The cmdlet returns one result per channel; a channel that fails is a Failed result (with ErrorId and Error) and a non-terminating error, and never stops the others.

-WhatIf sends nothing and names each channel it would post to.
'@
    Parameters  = @{
        Message     = 'The message. Its first line is the email subject.'
        Channel     = 'The channels, by name under notifications.channels. Default: notifications.defaultChannels, else every channel. A name that is not configured is NotificationChannelNotFound.'
        Severity    = 'Info, Warning or Critical. Default: the worst Status of the piped objects (Critical; Warning or Unknown give Warning), else Info.'
        InputObject = 'Objects to summarise as a short table: pipe Get-OpsHealth results, or any objects.'
    }
    Outputs     = @{ 'OpsRunbook.Core.Notify.NotificationResult' = 'One per channel: Channel, Kind, Status (Sent, Failed), Severity, Destination (no secrets), Attempts, StatusCode, Duration, DurationMs, ErrorId, Error, Timestamp.' }
    Examples    = @(
        @{ Title = 'See where a message would go'; Code = "Send-OpsNotification -Message 'Maintenance starts at 22:00 UTC' -WhatIf"; Remarks = 'Names each default channel (here the sandbox webhook, by host only) and sends nothing.' }
        @{ Title = 'Tell the on-call channel what is not healthy'; Code = "Get-OpsHealth | Where-Object Status -ne Healthy | Send-OpsNotification -Message 'Health check found problems' -Channel oncall"; Run = $false; Why = 'Needs a webhook receiver listening; the tests start one.'; Remarks = 'One Slack message with a table of the failing checks; its severity is the worst Status piped.' }
        @{ Title = 'Email the team before a maintenance window'; Code = "Send-OpsNotification -Message 'Database maintenance 22:00-23:00 UTC: uploads paused' -Channel team-mail -Severity Warning"; Run = $false; Why = 'Needs an SMTP server listening; the tests start aiosmtpd.'; Remarks = 'Subject "[Warning] production: Database maintenance 22:00-23:00 UTC: uploads paused".' }
    )
    Links       = @('Get-OpsHealth', 'about_OpsRunbook')
}
