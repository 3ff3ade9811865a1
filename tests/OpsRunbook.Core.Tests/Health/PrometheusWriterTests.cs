using OpsRunbook.Core.Health;
using OpsRunbook.Core.Metrics;

namespace OpsRunbook.Core.Tests.Health;

public class PrometheusWriterTests
{
    [Fact]
    public void Writes_gauges_with_help_type_and_escaped_labels()
    {
        var r = new HealthCheckResult { Environment = "prod", Check = "Queue", Target = "a\"b\\c\nd", Status = HealthStatus.Warning, Value = 1200, Unit = "jobs waiting", Duration = TimeSpan.FromMilliseconds(12.5) }
            .AddDetail("failed", 2);
        var text = PrometheusWriter.Format([r], DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("# TYPE opsrunbook_health_status gauge", lines);
        Assert.Contains("opsrunbook_health_status{environment=\"prod\",check=\"Queue\",target=\"a\\\"b\\\\c\\nd\"} 2", lines);
        Assert.Contains("opsrunbook_health_value{environment=\"prod\",check=\"Queue\",target=\"a\\\"b\\\\c\\nd\",unit=\"jobs waiting\"} 1200", lines);
        Assert.Contains("opsrunbook_health_duration_seconds{environment=\"prod\",check=\"Queue\",target=\"a\\\"b\\\\c\\nd\"} 0.0125", lines);
        Assert.Contains("opsrunbook_health_detail{environment=\"prod\",check=\"Queue\",target=\"a\\\"b\\\\c\\nd\",name=\"failed\"} 2", lines);
        Assert.Contains("opsrunbook_health_last_run_timestamp_seconds{environment=\"prod\"} 1800000000", lines);
        Assert.EndsWith("\n", text);
    }

    [Fact]
    public void Atomic_write_replaces_the_file_and_leaves_no_temp()
    {
        var dir = Directory.CreateTempSubdirectory("opsrb-prom-").FullName;
        try
        {
            var path = Path.Combine(dir, "x.prom");
            File.WriteAllText(path, "old");
            PrometheusWriter.WriteAtomic(path, "new\n");
            Assert.Equal("new\n", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(dir));
        }
        finally { Directory.Delete(dir, true); }
    }
}
