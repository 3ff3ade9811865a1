using System.Management.Automation;
using OpsRunbook.Core.Payments;

namespace OpsRunbook.Commands;

/// <summary>Lists Stripe events (GET /v1/events with Stripe.net's auto-paging), newest first.</summary>
[Cmdlet(VerbsCommon.Get, "OpsStripeEvent", DefaultParameterSetName = ListSet)]
[OutputType(typeof(StripeEventInfo))]
public sealed class GetOpsStripeEventCommand : OpsEnvironmentCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    /// <summary>Event types; wildcards allowed (invoice.*, *.payment_failed).</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Type { get; set; }

    /// <summary>Events created at or after this time. Stripe keeps 30 days: earlier is a warning, and the list starts 30 days back.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTime? Since { get; set; }

    /// <summary>Events created at or before this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTime? Until { get; set; }

    /// <summary>Only events whose webhook delivery failed (delivery_success=false).</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter DeliveryFailed { get; set; }

    /// <summary>At most this many events.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int First { get; set; }

    /// <summary>Events by id (evt_...): GET /v1/events/{id}.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    protected override void Process()
    {
        var cfg = Env.Require(e => e.Stripe, "stripe");
        if (ParameterSetName == IdSet)
        {
            foreach (var id in Id!)
                WriteObject(Run((_, ct) => StripeEvents.GetAsync(cfg, id, ct)));
            return;
        }
        var query = new StripeEventQuery
        {
            Types = Type, DeliveryFailed = DeliveryFailed, First = First,
            Since = Since is { } s ? new DateTimeOffset(s.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(s, DateTimeKind.Local) : s) : null,
            Until = Until is { } u ? new DateTimeOffset(u.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(u, DateTimeKind.Local) : u) : null,
        };
        Run(async (reporter, ct) =>
        {
            await foreach (var ev in StripeEvents.ListAsync(cfg, query, reporter, ct).ConfigureAwait(false))
                PostAndWait(() => WriteObject(ev));
        });
    }
}
