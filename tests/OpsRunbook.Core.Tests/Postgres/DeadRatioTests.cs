using OpsRunbook.Core.Postgres;

namespace OpsRunbook.Core.Tests.Postgres;

public class DeadRatioTests
{
    [Theory]
    [InlineData(0, 15000, double.PositiveInfinity)]   // was blank (null)
    [InlineData(0, 0, 0.0)]
    [InlineData(1000, 250, 0.25)]
    public void Dead_ratio_is_never_blank(long live, long dead, double expected)
        => Assert.Equal(expected, DbTables.DeadRatioOf(live, dead));
}
