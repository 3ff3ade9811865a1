using System.Management.Automation;
using OpsRunbook.Core.Payments;

namespace OpsRunbook.Commands;

/// <summary>Payment Processing Failure, step 1: Stripe's status page (Statuspage v2 status.json and summary.json).</summary>
[Cmdlet(VerbsCommon.Get, "OpsStripeStatus")]
[OutputType(typeof(StripeStatusInfo))]
public sealed class GetOpsStripeStatusCommand : OpsEnvironmentCmdlet
{
    protected override void Process()
    {
        var cfg = Env.Require(e => e.Stripe, "stripe");
        WriteObject(Run((_, ct) => StripeStatusReader.ReadAsync(cfg, ct)));
    }
}
