using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Payments;

namespace OpsRunbook.Commands;

/// <summary>
/// Payment Processing Failure, step 3: replays Stripe events to the platform's webhook endpoint, each at most once
/// (the replay ledger in the state store), through Stripe (POST /v1/events/{id}/retry) or directly (signed POST).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OpsWebhookReplay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(WebhookReplayResult))]
public sealed class InvokeOpsWebhookReplayCommand : OpsEnvironmentCmdlet
{
    private WebhookReplayer? _replayer;

    /// <summary>Events from Get-OpsStripeEvent, or event ids (evt_...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public object[]? Event { get; set; }

    /// <summary>Stripe: ask Stripe to redeliver to stripe.webhookEndpointId. Direct: post the signed event to stripe.webhookUrl.</summary>
    [Parameter]
    public WebhookReplayVia Via { get; set; } = WebhookReplayVia.Stripe;

    /// <summary>Send events the ledger records as delivered too.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void Process()
    {
        var env = Env;
        _replayer ??= new WebhookReplayer(env, Via, Force);
        var replayer = _replayer;
        var cfg = env.Stripe!;
        foreach (var item in Event!)
        {
            var value = item is PSObject pso ? pso.BaseObject : item;
            StripeEventInfo ev;
            switch (value)
            {
                case StripeEventInfo e: ev = e; break;
                case string id when id.StartsWith("evt_", StringComparison.Ordinal):
                    try { ev = Run((_, ct) => StripeEvents.GetAsync(cfg, id, ct)); }
                    catch (OpsException e) when (e.Id == ErrorIds.StripeEventNotFound) { WriteOpsError(e); continue; }
                    break;
                default:
                    WriteOpsError(new OpsException(ErrorIds.StripeEventNotFound, $"'{value}' is neither an event from Get-OpsStripeEvent nor an event id (evt_...).",
                        value, "Pipe Get-OpsStripeEvent into it, or give ids that start with evt_."));
                    continue;
            }
            var action = Via == WebhookReplayVia.Direct
                ? $"Post the event, signed with stripe.webhookSecret, to {replayer.Endpoint}"
                : $"Ask Stripe to redeliver it to {cfg.WebhookEndpointId}";
            if (!ShouldProcess($"{ev.Id} ({ev.Type})", action)) continue;
            WriteObject(Run((_, ct) => replayer.ReplayAsync(ev, ct)));
        }
    }

    protected override void End()
    {
        if (_replayer is { } r) Run(async (_, _) => { await r.DisposeAsync().ConfigureAwait(false); });
        _replayer = null;
    }
}
