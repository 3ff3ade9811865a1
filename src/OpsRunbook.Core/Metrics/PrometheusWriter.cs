using System.Globalization;
using System.Text;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Core.Metrics;

/// <summary>
/// Health results as Prometheus text exposition format (version 0.0.4), for node_exporter's textfile
/// collector or a Pushgateway. Every family is a gauge labelled environment, check and target:
/// opsrunbook_health_status (0 healthy, 1 unknown, 2 warning, 3 critical), opsrunbook_health_value,
/// opsrunbook_health_duration_seconds, opsrunbook_health_detail (with name) and
/// opsrunbook_health_last_run_timestamp_seconds per environment.
/// </summary>
public static class PrometheusWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Format(IEnumerable<HealthCheckResult> results, DateTimeOffset? now = null, IEnumerable<AvailabilityResult>? availability = null)
    {
        var list = results.ToList();
        var sb = new StringBuilder();
        void Family(string name, string help, IEnumerable<(string Labels, double Value)> samples)
        {
            var rows = samples.ToList();
            if (rows.Count == 0) return;
            sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(" gauge\n");
            foreach (var (labels, value) in rows.DistinctBy(r => r.Labels))
                sb.Append(name).Append('{').Append(labels).Append("} ").Append(Number(value)).Append('\n');
        }

        string L(HealthCheckResult r) => $"environment=\"{Escape(r.Environment)}\",check=\"{Escape(r.Check)}\",target=\"{Escape(r.Target)}\"";

        Family("opsrunbook_health_status", "Health check status: 0 healthy, 1 unknown, 2 warning, 3 critical.",
            list.Select(r => (L(r), (double)(int)r.Status)));
        Family("opsrunbook_health_value", "The value a health check judged (see the unit label).",
            list.Where(r => r.Value is not null).Select(r => ($"{L(r)},unit=\"{Escape(r.Unit ?? "")}\"", r.Value!.Value)));
        Family("opsrunbook_health_duration_seconds", "How long the health check took.",
            list.Select(r => (L(r), r.Duration.TotalSeconds)));
        Family("opsrunbook_health_detail", "Numbers behind a health check result (queue counts by state, connections by state...).",
            list.SelectMany(r => r.GetDetails().Select(d => ($"{L(r)},name=\"{Escape(d.Key)}\"", d.Value))));
        Family("opsrunbook_availability_ratio", "Time-weighted share of Healthy or Warning time over the window (Measure-OpsAvailability; gaps over 3 intervals count as Unknown).",
            (availability ?? []).Where(a => a.Availability is not null).Select(a =>
                ($"environment=\"{Escape(a.Environment)}\",check=\"{Escape(a.Check)}\",target=\"{Escape(a.Target)}\",window=\"{Escape(Text.Duration.Format(a.Window))}\"", a.Availability!.Value)));
        var stamp = (now ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds() / 1000.0;
        Family("opsrunbook_health_last_run_timestamp_seconds", "When the health checks last ran (Unix time).",
            list.Select(r => r.Environment).Distinct().Select(e => ($"environment=\"{Escape(e)}\"", stamp)));
        return sb.ToString();
    }

    /// <summary>Writes the text to a temp file in the same directory, then renames it over the target (atomic on one filesystem).</summary>
    public static void WriteAtomic(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new OpsException(ErrorIds.PrometheusDirectoryNotFound, $"The directory {dir} does not exist.", path,
                "Create it, or point -Path at node_exporter's --collector.textfile.directory.");
        // Not ending in .prom: the textfile collector ignores the temp file until it is renamed.
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                var bytes = new UTF8Encoding(false).GetBytes(text);
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new OpsException(ErrorIds.PrometheusWriteFailed, $"Cannot write {full}: {e.Message}", path, null, e);
        }
    }

    public static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string Number(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf"
        : v.ToString("R", CultureInfo.InvariantCulture);
}
