using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Tests.Config;

public sealed class ConfigLocatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("opsrunbook-locator-").FullName;
    private string Cwd => Path.Combine(_dir, "cwd");
    private string Home => Path.Combine(_dir, "home");

    public ConfigLocatorTests()
    {
        Directory.CreateDirectory(Cwd);
        Directory.CreateDirectory(Path.Combine(Home, ".config", "opsrunbook"));
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string Touch(string path) { File.WriteAllText(path, "environments: {}"); return path; }

    [Fact]
    public void Lookup_order_is_explicit_then_variable_then_local_then_home()
    {
        var explicitFile = Touch(Path.Combine(_dir, "explicit.yaml"));
        var varFile = Touch(Path.Combine(_dir, "var.yaml"));
        var local = Touch(Path.Combine(Cwd, "ops.yaml"));
        var home = Touch(Path.Combine(Home, ".config", "opsrunbook", "ops.yaml"));

        Assert.Equal(new ConfigLocation(explicitFile, "-ConfigPath"), ConfigLocator.Resolve(explicitFile, varFile, Cwd, Home));
        Assert.Equal(new ConfigLocation(varFile, "$env:OPSRUNBOOK_CONFIG"), ConfigLocator.Resolve(null, varFile, Cwd, Home));
        Assert.Equal(local, ConfigLocator.Resolve(null, null, Cwd, Home).Path);
        File.Delete(local);
        Assert.Equal(home, ConfigLocator.Resolve(null, "", Cwd, Home).Path);
        File.Delete(home);
        var e = Assert.Throws<OpsException>(() => ConfigLocator.Resolve(null, null, Cwd, Home));
        Assert.Equal("ConfigFileNotFound", e.ErrorId);
        Assert.Contains(Path.Combine(Cwd, "ops.yaml"), e.Message);
    }

    [Fact]
    public void An_explicit_path_that_is_missing_never_falls_through()
    {
        Touch(Path.Combine(Cwd, "ops.yaml"));
        Assert.Equal("ConfigFileNotFound", Assert.Throws<OpsException>(() => ConfigLocator.Resolve("nope.yaml", null, Cwd, Home)).ErrorId);
        var e = Assert.Throws<OpsException>(() => ConfigLocator.Resolve(null, "/no/such.yaml", Cwd, Home));
        Assert.Contains("OPSRUNBOOK_CONFIG", e.Message);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_current_directory()
    {
        var f = Touch(Path.Combine(Cwd, "other.yaml"));
        Assert.Equal(f, ConfigLocator.Resolve("other.yaml", null, Cwd, Home).Path);
    }

    [Fact]
    public void Load_reports_a_missing_file()
        => Assert.Equal("ConfigFileNotFound", Assert.Throws<OpsException>(() => ConfigLoader.Load(Path.Combine(_dir, "x.yaml"))).ErrorId);

    [Fact]
    public void A_config_path_that_is_a_directory_says_so()
    {
        var e = Assert.Throws<OpsException>(() => ConfigLocator.Resolve(Cwd, null, Cwd, Home));
        Assert.Same(ErrorIds.ConfigFileUnreadable, e.Id);
        Assert.Contains("is a directory", e.Message);
        Assert.DoesNotContain("does not exist", e.Message);
    }
}
