using System.Text.RegularExpressions;
using CsCheck;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Disk;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Tests.Disk;

public class CleanupEngineTests
{
    private static readonly DateTime Now = DateTime.UtcNow;
    private static DateTime DaysAgo(double d) => Now.AddDays(-d);
    private static CleanupPolicy Policy(string root, string pattern = "*.log", double days = 7, string action = "delete")
        => new() { Name = "p", Path = root, Pattern = pattern, OlderThanDays = days, Action = action };

    [Fact]
    public void Removes_exactly_the_old_matching_regular_files_and_nothing_through_symlinks()
    {
        using var t = new TempTree();
        using var outside = new TempTree();
        var victimOutside = outside.File("old.log", 1000, DaysAgo(30));
        outside.File("dir/old.log", 1000, DaysAgo(30));
        var root = t.Dir("logs");
        var old1 = t.File("logs/api-1.log", 500, DaysAgo(10));
        var old2 = t.File("logs/nested/deeper/worker.log", 700, DaysAgo(8));
        var weird = new[] { "logs/with space.log", "logs/new\nline.log", "logs/ünï ファイル.log", "logs/-rf.log", "logs/--help.log" }
            .Select(n => t.File(n, 11, DaysAgo(9))).ToList();
        var young = t.File("logs/today.log", 300, DaysAgo(1));
        var other = t.File("logs/old.txt", 300, DaysAgo(30));
        var linkFile = t.Link("logs/linked.log", victimOutside);
        t.Link("logs/linked-dir", outside.P("dir"));
        File.SetLastWriteTimeUtc(linkFile, DaysAgo(40)); // sets the target's mtime; the link itself is never a candidate
        var before = TempTree.Snapshot(outside.Root);

        var engine = new CleanupEngine();
        var plan = engine.Plan(Policy(root));
        Assert.Equal(new[] { old1, old2 }.Concat(weird).Order(StringComparer.Ordinal), plan.Candidates.Select(c => c.Path));
        Assert.Equal(2, plan.SymlinksSkipped);
        var result = engine.Execute(plan);

        Assert.Equal(7, result.FilesRemoved);
        Assert.Equal(0, result.Errors);
        Assert.Equal(500 + 700 + 55, result.BytesFreed);
        Assert.All(plan.Candidates, c => Assert.False(File.Exists(c.Path)));
        Assert.True(File.Exists(young) && File.Exists(other));
        Assert.NotNull(new FileInfo(linkFile).LinkTarget);
        Assert.Equal(before, TempTree.Snapshot(outside.Root));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/etc")]
    [InlineData("/usr/local/lib")]
    [InlineData("/var/lib/postgresql")]
    [InlineData("/boot")]
    [InlineData("/bin/")]
    [InlineData("/var")]
    [InlineData("/tmp")]
    public void Refuses_system_roots(string root)
    {
        var e = Assert.Throws<OpsException>(() => new CleanupEngine().Plan(Policy(root, "*", 0)));
        Assert.Equal("CleanupRootForbidden", e.ErrorId);
    }

    [Fact]
    public void Refuses_a_root_that_is_a_symlink_to_a_system_path()
    {
        using var t = new TempTree();
        var link = t.Link("etc-link", "/etc");
        Assert.Equal("CleanupRootForbidden", Assert.Throws<OpsException>(() => new CleanupEngine().Plan(Policy(link, "*", 0))).ErrorId);
    }

    [Fact]
    public void Config_rejects_forbidden_roots_and_bad_keys()
    {
        var doc = ConfigLoader.Parse("""
            environments:
              prod:
                cleanup:
                  - { name: all, path: /, pattern: '*', olderThanDays: 1, action: delete }
                  - { name: etc, path: /etc/nginx, pattern: '*.log', olderThanDays: 1, action: delete }
                  - { name: ok, path: /srv/app/logs, pattern: '*.log', olderThanDays: 7, action: shred }
                  - { name: rel, path: logs, pattern: 'a/b', olderThanDays: -1 }
            """, "/cfg/ops.yaml", _ => null);
        var problems = doc.Problems.Select(p => p.Path).ToList();
        Assert.Contains("environments.prod.cleanup[0].path", problems);
        Assert.Contains("environments.prod.cleanup[1].path", problems);
        Assert.Contains("environments.prod.cleanup[2].action", problems);
        Assert.Contains("environments.prod.cleanup[3].path", problems);
        Assert.Contains("environments.prod.cleanup[3].pattern", problems);
        Assert.Contains("environments.prod.cleanup[3].olderThanDays", problems);
    }

    [Fact]
    public void Config_keys_bind_and_defaults_mirror_the_runbook()
    {
        var doc = ConfigLoader.Parse("""
            environments:
              prod:
                logs: { directory: /srv/app/logs }
                cleanup:
                  - { name: old-logs, path: /srv/app/logs, pattern: '*.log', olderThanDays: 7, action: delete }
                  - { name: live, path: /srv/app/live, pattern: '*.out', olderThanDays: 0.5, action: truncate }
              bare:
                logs: { directory: /srv/app/logs }
            """, "/cfg/ops.yaml", _ => null);
        Assert.Empty(doc.Problems);
        var p = doc.GetEnvironment("prod").CleanupPolicies();
        Assert.Equal(["old-logs", "live"], p.Select(x => x.Name));
        Assert.Equal(("/srv/app/live", "*.out", 0.5, "truncate"), (p[1].Path, p[1].Pattern, p[1].OlderThanDays, p[1].Action));
        var d = Assert.Single(doc.GetEnvironment("bare").CleanupPolicies());
        Assert.Equal(("/srv/app/logs", "*.log", 7.0, "delete"), (d.Path, d.Pattern, d.OlderThanDays, d.Action));
    }

    [Fact]
    public void Each_file_is_rechecked_right_before_it_goes()
    {
        using var t = new TempTree();
        using var outside = new TempTree();
        var target = outside.File("precious.log", 100, DaysAgo(30));
        var root = t.Dir("r");
        var touched = t.File("r/touched.log", 10, DaysAgo(9));
        var vanished = t.File("r/vanished.log", 10, DaysAgo(9));
        var swapped = t.File("r/swapped.log", 10, DaysAgo(9));
        var inSwappedDir = t.File("r/dir/in-dir.log", 10, DaysAgo(9));
        var fine = t.File("r/fine.log", 10, DaysAgo(9));
        var engine = new CleanupEngine();
        var plan = engine.Plan(Policy(root));
        Assert.Equal(5, plan.Candidates.Count);

        File.SetLastWriteTimeUtc(touched, Now);                 // written to since the preview
        File.Delete(vanished);                                  // gone since the preview
        File.Delete(swapped); File.CreateSymbolicLink(swapped, target); // replaced by a symlink to something outside
        Directory.Move(t.P("r/dir"), t.P("moved"));             // a parent directory replaced by a symlink out of the root
        Directory.CreateDirectory(outside.P("dir"));
        var outsideTwin = outside.File("dir/in-dir.log", 10, DaysAgo(30));
        File.CreateSymbolicLink(t.P("r/dir"), outside.P("dir"));

        var result = engine.Execute(plan);
        Assert.Equal(1, result.FilesRemoved);
        Assert.False(File.Exists(fine));
        Assert.Equal(4, result.Errors);
        Assert.Equal(["CleanupFileChanged", "CleanupFileChanged", "CleanupFileChanged", "CleanupFileVanished"],
            result.ErrorDetails.Select(e => e.ErrorId).Order());
        Assert.True(File.Exists(touched));
        Assert.True(File.Exists(target));
        Assert.True(File.Exists(outsideTwin));
        Assert.True(File.Exists(t.P("moved/in-dir.log")));
    }

    [Fact]
    public void A_permission_error_is_reported_and_the_run_goes_on()
    {
        using var t = new TempTree();
        var root = t.Dir("r");
        var stuck = t.File("r/stuck.log", 10, DaysAgo(9));
        var a = t.File("r/a.log", 10, DaysAgo(9));
        var z = t.File("r/z.log", 10, DaysAgo(9));
        TempTree.Run("chattr", "+i", stuck); // immutable: even root gets EPERM
        try
        {
            var result = new CleanupEngine().Execute(new CleanupEngine().Plan(Policy(root)));
            Assert.Equal(2, result.FilesRemoved);
            var e = Assert.Single(result.ErrorDetails);
            Assert.Equal("CleanupFileFailed", e.ErrorId);
            Assert.Equal(stuck, e.Target);
            Assert.False(File.Exists(a) || File.Exists(z));
        }
        finally { TempTree.Run("chattr", "-i", stuck); }
    }

    [Fact]
    public void Truncate_empties_live_logs_in_place()
    {
        using var t = new TempTree();
        var root = t.Dir("r");
        var live = t.File("r/live.log", 5000, DaysAgo(3));
        var result = new CleanupEngine().Execute(new CleanupEngine().Plan(Policy(root, "*.log", 2, "truncate")));
        Assert.Equal(1, result.FilesRemoved);
        Assert.Equal(5000, result.BytesFreed);
        Assert.Equal(0, new FileInfo(live).Length);
    }

    [Fact]
    public void Never_crosses_into_another_mount_and_reports_free_space_on_its_own_small_filesystem()
    {
        using var t = new TempTree();
        var root = t.Dir("small");
        TempTree.Run("mount", "-t", "tmpfs", "-o", "size=8m", "opsrunbook-test", root);
        try
        {
            var inner = Directory.CreateDirectory(Path.Combine(root, "inner")).FullName;
            TempTree.Run("mount", "-t", "tmpfs", "-o", "size=1m", "opsrunbook-test-inner", inner);
            try
            {
                var innerFile = Path.Combine(inner, "other-fs.log");
                File.WriteAllBytes(innerFile, new byte[1000]);
                File.SetLastWriteTimeUtc(innerFile, DaysAgo(30));
                for (var i = 0; i < 6; i++)
                {
                    var f = Path.Combine(root, $"fill-{i}.log");
                    File.WriteAllBytes(f, new byte[1 << 20]); // real blocks: fills the small filesystem
                    File.SetLastWriteTimeUtc(f, DaysAgo(30));
                }
                var engine = new CleanupEngine();
                var plan = engine.Plan(Policy(root));
                Assert.Equal(6, plan.Candidates.Count);
                Assert.Equal([inner], plan.OtherFileSystems);
                var result = engine.Execute(plan);
                Assert.Equal(6 << 20, result.BytesFreed);
                Assert.True(result.FreeBytesAfter - result.FreeBytesBefore >= 6 << 20, $"free {result.FreeBytesBefore} -> {result.FreeBytesAfter}");
                Assert.True(File.Exists(innerFile));
            }
            finally { TempTree.Run("umount", inner); }
        }
        finally { TempTree.Run("umount", root); }
    }

    // ---- Property: random trees with symlinks; exactly the policy's set goes, nothing else changes. ----

    private static readonly string[] Names =
        ["a.log", "b.log", "x.dump", "a b.log", "-rf.log", "new\nline.log", "ü.log", "c.txt", "ab", "z.LOG", ".hidden.log", "--.dump"];
    private static readonly string[] Dirs = ["", "a", "a/b", "sub dir", "-d", "a/b/c"];
    private static readonly string[] Patterns = ["*.log", "*", "*.dump", "a*", "?.log", "*.LOG"];
    private static readonly double[] Days = [0, 1, 7, 30];

    private sealed record Spec(int Dir, int Name, int Age, int Kind);

    private static readonly Gen<Spec> GenSpec = Gen.Select(Gen.Int[0, Dirs.Length - 1], Gen.Int[0, Names.Length - 1], Gen.Int[0, 40], Gen.Int[0, 9],
        (d, n, a, k) => new Spec(d, n, a, k));

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.Singleline);

    [Fact]
    public void Property_exactly_the_policys_files_are_removed()
    {
        Gen.Select(GenSpec.Array[0, 30], Gen.Int[0, Patterns.Length - 1], Gen.Int[0, Days.Length - 1])
            .Sample((specs, pi, di) =>
            {
                using var t = new TempTree();
                using var outside = new TempTree();
                var root = t.Dir("root");
                // Outside: old files with every name, which symlinks point at.
                foreach (var n in Names) outside.File(n, 7, DaysAgo(100));
                foreach (var n in Names) outside.File("d/" + n, 7, DaysAgo(100));
                var expected = new SortedSet<string>(StringComparer.Ordinal);
                var glob = Glob(Patterns[pi]);
                foreach (var s in specs)
                {
                    var rel = Path.Combine("root", Dirs[s.Dir], Names[s.Name]);
                    if (File.Exists(t.P(rel)) || Directory.Exists(t.P(rel)) || new FileInfo(t.P(rel)).LinkTarget is not null) continue;
                    switch (s.Kind)
                    {
                        case 0: t.Link(rel, outside.P(Names[s.Name])); break;  // symlink to an outside file
                        case 1: t.Link(rel, outside.P("d")); break;            // symlink to an outside directory
                        case 2: t.Link(rel, t.P("root")); break;               // symlink loop to the root
                        default:
                            var path = t.File(rel, 3 + s.Age, DaysAgo(s.Age + 0.5));
                            if (glob.IsMatch(Names[s.Name]) && s.Age + 0.5 > Days[di]) expected.Add(path);
                            break;
                    }
                }
                var outsideBefore = TempTree.Snapshot(outside.Root);
                var rootBefore = TempTree.Snapshot(root);

                var engine = new CleanupEngine();
                var plan = engine.Plan(Policy(root, Patterns[pi], Days[di]));
                Assert.Equal(expected, plan.Candidates.Select(c => c.Path));
                var result = engine.Execute(plan);
                Assert.Equal(0, result.Errors);
                Assert.Equal(expected.Count, result.FilesRemoved);

                var rootAfter = TempTree.Snapshot(root);
                var removed = rootBefore.Keys.Except(rootAfter.Keys).Select(k => Path.Combine(root, k)).Order(StringComparer.Ordinal);
                Assert.Equal(expected, removed);
                // Everything left is untouched (directories' own mtimes change when an entry goes, so compare the rest).
                Assert.All(rootAfter.Where(kv => !kv.Value.StartsWith("dir ", StringComparison.Ordinal)), kv => Assert.Equal(rootBefore[kv.Key], kv.Value));
                Assert.Equal(outsideBefore, TempTree.Snapshot(outside.Root));
            }, iter: 60);
    }
}

public class EmergencyStepsTests
{
    [Theory]
    [InlineData("0B", 0L)]
    [InlineData("24.0K", 24L * 1024)]
    [InlineData("512.0M", 512L * 1024 * 1024)]
    [InlineData("1.5G", 1536L * 1024 * 1024)]
    [InlineData("768.0M.", 768L * 1024 * 1024)]
    [InlineData("junk", 0L)]
    public void Parses_journalctl_sizes(string text, long bytes) => Assert.Equal(bytes, EmergencySteps.ParseSize(text));

    [Fact]
    public void Reclaimable_counts_only_unused_docker_objects()
    {
        var df = System.Text.Json.JsonDocument.Parse("""
            { "Images": [ { "Size": 300, "Containers": 0 }, { "Size": 500, "Containers": 1 } ],
              "Containers": [ { "SizeRw": 20, "State": "exited" }, { "SizeRw": 40, "State": "running" } ],
              "Volumes": [ { "UsageData": { "Size": 7, "RefCount": 0 } }, { "UsageData": { "Size": 9, "RefCount": 1 } } ],
              "BuildCache": [ { "Size": 11, "InUse": false }, { "Size": 13, "InUse": true } ] }
            """);
        Assert.Equal(300 + 20 + 7 + 11, EmergencySteps.Reclaimable(df));
    }

    [Fact]
    public void Steps_run_only_when_configured()
    {
        var doc = ConfigLoader.Parse("""
            environments:
              a: { diskEmergency: { journalVacuumTime: 2d, dockerPrune: true } }
              b: { diskEmergency: { dockerPrune: false } }
              c: {}
            """, "/cfg/ops.yaml", _ => null);
        Assert.Empty(doc.Problems);
        Assert.Equal(["journal", "docker"], EmergencySteps.Configured(doc.GetEnvironment("a")));
        Assert.Empty(EmergencySteps.Configured(doc.GetEnvironment("b")));
        Assert.Empty(EmergencySteps.Configured(doc.GetEnvironment("c")));
    }
}
