using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Operations;
using Xunit;

namespace OpsRunbook.Core.Tests.Operations;

/// <summary>The rollback of Start-OpsMaintenance with a failure injected at each step (the Pester tests inject real ones).</summary>
public sealed class MaintenanceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("opsrunbook-maint-").FullName;

    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    private EnvironmentConfig Env() => new()
    {
        Name = "test",
        State = new StateConfig { Path = Path.Combine(_dir, "state.db") },
        Maintenance = new MaintenanceConfig { FlagPath = Path.Combine(_dir, "maintenance.flag"), Backup = false },
    };

    [Theory]
    [InlineData("Flag")]
    [InlineData("Record")]
    public async Task A_failure_at_a_step_undoes_what_was_done_and_leaves_no_window(string failAt)
    {
        var env = Env();
        var r = await Maintenance.StartAsync(env, new MaintenanceOptions
        {
            Reason = "x", BeforeStep = (name, _) => { if (name == failAt) throw new IOException("injected at " + name); },
        }, NullReporter.Allow, CancellationToken.None);
        Assert.False(r.Succeeded);
        Assert.StartsWith(failAt, r.FailedStep);
        Assert.Contains("injected at " + failAt, r.Message);
        Assert.False(File.Exists(env.Maintenance.FlagPath));
        Assert.Empty(await Maintenance.ListAsync(env, all: false, last: 10, CancellationToken.None));
        if (failAt == "Record") Assert.Equal(["Flag " + env.Maintenance.FlagPath], r.Undone);
    }

    [Fact]
    public async Task A_flag_that_was_already_there_is_not_removed_by_an_undo()
    {
        var env = Env();
        File.WriteAllText(env.Maintenance.FlagPath!, "put there by hand");
        var r = await Maintenance.StartAsync(env, new MaintenanceOptions { Reason = "x", BeforeStep = (n, _) => { if (n == "Record") throw new IOException("no"); } },
            NullReporter.Allow, CancellationToken.None);
        Assert.False(r.Succeeded);
        Assert.Equal(MaintenanceStepStatus.Skipped, r.Steps[0].Status);
        Assert.Equal("put there by hand", File.ReadAllText(env.Maintenance.FlagPath!));
    }

    [Fact]
    public async Task Only_one_window_per_environment_and_stop_closes_it()
    {
        var env = Env();
        var first = await Maintenance.StartAsync(env, new MaintenanceOptions { Reason = "first", Duration = TimeSpan.FromMinutes(5) }, NullReporter.Allow, CancellationToken.None);
        Assert.True(first.Succeeded, first.Message);
        var e = await Assert.ThrowsAsync<OpsException>(() => Maintenance.StartAsync(env, new MaintenanceOptions { Reason = "second" }, NullReporter.Allow, CancellationToken.None));
        Assert.Equal(ErrorIds.MaintenanceAlreadyOpen, e.Id);
        Assert.Contains("'first'", e.Message);
        var stop = await Maintenance.StopAsync(env, new MaintenanceOptions(), NullReporter.Allow, CancellationToken.None);
        Assert.True(stop.Succeeded, stop.Message);
        Assert.False(File.Exists(env.Maintenance.FlagPath));
        var all = await Maintenance.ListAsync(env, all: true, last: 10, CancellationToken.None);
        Assert.NotNull(Assert.Single(all).ClosedAt);
    }
}
