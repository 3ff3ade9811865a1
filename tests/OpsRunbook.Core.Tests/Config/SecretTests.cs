using OpsRunbook.Core.Config;
using OpsRunbook.Core.Security;

namespace OpsRunbook.Core.Tests.Config;

public class SecretTests
{
    [Fact]
    public void A_secret_shows_its_source_never_its_value()
    {
        var s = Secret.FromEnvironment("Canary-Secret-0001", "DB_PASSWORD");
        Assert.True(s.IsSet);
        Assert.Equal("env:DB_PASSWORD", s.Source);
        Assert.DoesNotContain("Canary", s.ToString());
        Assert.Equal("(not set)", Secret.None.ToString());
    }

    [Fact]
    public void Registered_secrets_are_scrubbed_from_text()
    {
        _ = Secret.FromEnvironment("Canary-Secret-0002", "X");
        Assert.Equal("login failed for ******** at host", SecretScrubber.Scrub("login failed for Canary-Secret-0002 at host"));
        Assert.Equal("", SecretScrubber.Scrub(null));
    }

    [Fact]
    public void Short_values_are_not_registered()
    {
        _ = Secret.FromEnvironment("abc", "X");
        Assert.Equal("abc abc", SecretScrubber.Scrub("abc abc"));
    }
}
