using OpsRunbook.Core.Config;
using OpsRunbook.Core.Disk;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Tests.Disk;

/// <summary>Which policies and steps a cleanup run does: in the core now (it was in the Clear-DiskEmergency cmdlet).</summary>
public class CleanupSelectionTests
{
    private static readonly ConfigDocument Doc = ConfigLoader.Parse("""
        environments:
          prod:
            logs: { directory: /srv/app/logs }
            diskEmergency: { journalVacuumTime: 2d, dockerPrune: true }
            cleanup:
              - { name: old-logs, path: /srv/app/logs, pattern: '*.log', olderThanDays: 7, action: delete }
              - { name: old-backups, path: /srv/backups, pattern: '*.dump', olderThanDays: 30, action: delete }
          bare: {}
          logsonly:
            logs: { directory: /srv/app/logs }
        """, "/cfg/ops.yaml", _ => null);

    [Fact]
    public void No_names_select_every_policy_and_configured_step()
    {
        var s = CleanupSelection.Select(Doc.GetEnvironment("prod"), null);
        Assert.Equal(["old-logs", "old-backups"], s.Policies.Select(p => p.Name));
        Assert.Equal(["journal", "docker"], s.Steps);
        Assert.Equal(s.Policies.Count, CleanupSelection.Select(Doc.GetEnvironment("prod"), []).Policies.Count);
    }

    [Fact]
    public void Names_select_policies_and_steps_case_insensitively_once_each_in_the_order_named()
    {
        var s = CleanupSelection.Select(Doc.GetEnvironment("prod"), ["DOCKER", "old-backups", "Old-Backups"]);
        Assert.Equal(["old-backups"], s.Policies.Select(p => p.Name));
        Assert.Equal(["docker"], s.Steps);
    }

    [Fact]
    public void An_unknown_name_is_refused_listing_what_exists()
    {
        var e = Assert.Throws<OpsException>(() => CleanupSelection.Select(Doc.GetEnvironment("prod"), ["old-logs", "tmp"]));
        Assert.Same(ErrorIds.CleanupPolicyNotFound, e.Id);
        Assert.Contains("old-logs, old-backups, journal, docker", e.Message);
        Assert.Equal("tmp", e.Target);
    }

    [Fact]
    public void Nothing_configured_is_CleanupNotConfigured_and_logs_directory_gives_the_default_policy()
    {
        Assert.Same(ErrorIds.CleanupNotConfigured, Assert.Throws<OpsException>(() => CleanupSelection.Select(Doc.GetEnvironment("bare"), null)).Id);
        var s = CleanupSelection.Select(Doc.GetEnvironment("logsonly"), null);
        Assert.NotEmpty(s.Policies);
        Assert.Empty(s.Steps);
    }
}
