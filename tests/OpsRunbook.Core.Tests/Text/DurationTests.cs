using OpsRunbook.Core.Text;

namespace OpsRunbook.Core.Tests.Text;

public class DurationTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("2w", 1209600)]
    [InlineData("1.5h", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("00:05:00", 300)]
    [InlineData("1.02:00:00", 93600)]
    [InlineData(" 5m ", 300)]
    public void Parses_the_config_syntax(string text, double seconds)
    {
        Assert.True(Duration.TryParse(text, out var t));
        Assert.Equal(seconds, t.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5 minutes")]
    [InlineData("-5m")]
    [InlineData("-00:05:00")]
    [InlineData("5x")]
    [InlineData("m")]
    public void Refuses_anything_else(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
        var e = Assert.Throws<FormatException>(() => Duration.Parse(text));
        Assert.Contains("30s, 5m, 2h, 1d", e.Message);
    }

    [Theory]
    [InlineData(26 * 3600.0, "26h")]
    [InlineData(2 * 86400.0, "2d")]
    [InlineData(400 * 86400.0, "400d")]
    [InlineData(90 * 60.0, "90m")]
    [InlineData(45.0, "45s")]
    [InlineData(1.5, "1500ms")]
    [InlineData(0.0, "0s")]
    public void Formats_in_the_largest_exact_unit_and_round_trips(double seconds, string expected)
    {
        var value = TimeSpan.FromSeconds(seconds);
        Assert.Equal(expected, Duration.Format(value));
        Assert.Equal(value, Duration.Parse(Duration.Format(value)));
    }

    [Theory]
    [InlineData(20, "20 s")]
    [InlineData(59.9, "59 s")]
    [InlineData(60, "1 min")]
    [InlineData(3599, "59 min")]
    [InlineData(3600, "1 h")]
    [InlineData(5400, "1.5 h")]
    [InlineData(172800, "2 days")]
    [InlineData(190080, "2.2 days")]
    public void Humanize_reads_as_a_person_would_say_it(double seconds, string expected)
        => Assert.Equal(expected, Duration.Humanize(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void A_health_value_in_seconds_reads_as_its_message_does()
    {
        var r = new OpsRunbook.Core.Health.HealthCheckResult { Value = 75, Unit = "s" };
        Assert.Equal("1 min", r.FormatValue());
        Assert.Equal("91.23 %", new OpsRunbook.Core.Health.HealthCheckResult { Value = 91.234, Unit = "%" }.FormatValue());
        Assert.Equal("", new OpsRunbook.Core.Health.HealthCheckResult().FormatValue());
    }
}
