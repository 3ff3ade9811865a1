using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Payments;

namespace OpsRunbook.Core.Tests.Payments;

public class PaymentsUnitTests
{
    [Theory]
    [InlineData("invoice.payment_failed", "types", null)]
    [InlineData("invoice.*", null, "invoice.*")]
    [InlineData("*.payment_failed", null, null)]
    public void Sends_what_Stripe_can_filter_and_matches_the_rest_here(string pattern, string? types, string? type)
    {
        var (t, one, filter) = StripeEvents.PlanTypes([pattern]);
        Assert.Equal(types is not null, t is not null);
        Assert.Equal(type, one);
        Assert.NotNull(filter);
        Assert.Matches(filter!, "invoice.payment_failed");
        Assert.DoesNotMatch(filter, "charge.succeeded");
    }

    [Fact]
    public void No_type_means_no_filter()
    {
        var (t, one, filter) = StripeEvents.PlanTypes(null);
        Assert.Null(t); Assert.Null(one); Assert.Null(filter);
    }

    [Fact]
    public void Parses_a_month_and_refuses_anything_else()
    {
        Assert.Equal(new DateOnly(2026, 11, 1), CostReport.ParseMonth("2026-11"));
        var e = Assert.Throws<OpsException>(() => CostReport.ParseMonth("2026-13"));
        Assert.Equal(ErrorIds.CostMonthInvalid, e.Id);
    }

    [Fact]
    public void Cost_per_user_is_exact_decimal_and_zero_without_users()
    {
        Assert.Equal(0.1m, CostReport.PerUser(0.5m, 5));
        Assert.Equal(0.333333m, CostReport.PerUser(1m, 3));
        Assert.Equal(0m, CostReport.PerUser(1m, 0));
    }
}
