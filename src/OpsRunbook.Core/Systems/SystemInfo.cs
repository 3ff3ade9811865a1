using System.Globalization;

namespace OpsRunbook.Core.Systems;

/// <summary>One process's share of the machine, as top and ps report it.</summary>
public sealed record ProcessUsage
{
    public required int ProcessId { get; init; }
    public required string Name { get; init; }
    public required string User { get; init; }
    public required string State { get; init; }
    /// <summary>CPU over the sample interval, % of one core (top's %CPU; may exceed 100 on several cores).</summary>
    public required double CpuPercent { get; init; }
    /// <summary>Resident set size (VmRSS).</summary>
    public required long MemoryBytes { get; init; }
    /// <summary>MemoryBytes / MemTotal * 100 (ps's %MEM).</summary>
    public required double MemoryPercent { get; init; }
    public required int Threads { get; init; }
    public required string CommandLine { get; init; }
}

/// <summary>CPU, memory, swap, disks and the top processes: the runbook's sysinfo alias and first alert steps.</summary>
public sealed record SystemInfo
{
    public required string ComputerName { get; init; }
    public required TimeSpan Uptime { get; init; }
    public double UptimeSeconds => Uptime.TotalSeconds;
    public required int CpuCount { get; init; }
    /// <summary>All CPUs busy over the sample interval, % (top's 100 - id).</summary>
    public required double CpuPercent { get; init; }
    public required double LoadAverage1 { get; init; }
    public required double LoadAverage5 { get; init; }
    public required double LoadAverage15 { get; init; }
    public required int ProcessCount { get; init; }
    public required long MemoryTotalBytes { get; init; }
    public required long MemoryAvailableBytes { get; init; }
    public required long MemoryUsedBytes { get; init; }
    public required double MemoryUsedPercent { get; init; }
    public required long SwapTotalBytes { get; init; }
    public required long SwapUsedBytes { get; init; }
    public required double SwapUsedPercent { get; init; }
    public required IReadOnlyList<FileSystemUsage> Disks { get; init; }
    public required IReadOnlyList<ProcessUsage> TopByCpu { get; init; }
    public required IReadOnlyList<ProcessUsage> TopByMemory { get; init; }
    public required TimeSpan SampleInterval { get; init; }
    public double SampleIntervalMs => SampleInterval.TotalMilliseconds;
    public required DateTimeOffset Timestamp { get; init; }
}

/// <summary>Reads /proc: loadavg, stat (CPU), meminfo, uptime, and /proc/&lt;pid&gt;/stat and status for processes.</summary>
public static class SystemInfoReader
{
    private const double ClockTicks = 100; // USER_HZ: 100 on every Linux architecture .NET runs on

    public static async Task<SystemInfo> ReadAsync(TimeSpan interval, int top, CancellationToken ct, string procRoot = "/proc")
    {
        var cpu0 = CpuTimes(procRoot);
        var procs0 = ProcessTimes(procRoot);
        await Task.Delay(interval, ct).ConfigureAwait(false);
        var cpu1 = CpuTimes(procRoot);
        var procs1 = ProcessTimes(procRoot);

        var total = cpu1.Total - cpu0.Total;
        var idle = cpu1.Idle - cpu0.Idle;
        var cpuPercent = total <= 0 ? 0 : Math.Round(100.0 * (total - idle) / total, 1);

        var mem = MemInfo(procRoot);
        long Kb(string k) => mem.TryGetValue(k, out var v) ? v * 1024 : 0;
        var memTotal = Kb("MemTotal");
        var memAvail = mem.ContainsKey("MemAvailable") ? Kb("MemAvailable") : Kb("MemFree") + Kb("Buffers") + Kb("Cached");
        var swapTotal = Kb("SwapTotal");
        var swapUsed = swapTotal - Kb("SwapFree");

        var load = File.ReadAllText(Path.Combine(procRoot, "loadavg")).Split(' ');
        double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        var uptime = double.Parse(File.ReadAllText(Path.Combine(procRoot, "uptime")).Split(' ')[0], CultureInfo.InvariantCulture);

        var seconds = interval.TotalSeconds <= 0 ? 1 : interval.TotalSeconds;
        var users = UserNames();
        var samples = procs1.Values.Select(p =>
        {
            var before = procs0.TryGetValue(p.Pid, out var b) && b.StartTime == p.StartTime ? b.Ticks : p.Ticks;
            return (P: p, Cpu: Math.Round((p.Ticks - before) / ClockTicks / seconds * 100, 1));
        }).ToList();

        ProcessUsage Usage((ProcTimes P, double Cpu) s) => new()
        {
            ProcessId = s.P.Pid, Name = s.P.Name, State = s.P.State, CpuPercent = s.Cpu,
            MemoryBytes = s.P.RssBytes, MemoryPercent = memTotal == 0 ? 0 : Math.Round(s.P.RssBytes * 100.0 / memTotal, 1),
            Threads = s.P.Threads, User = users.TryGetValue(s.P.Uid, out var u) ? u : s.P.Uid.ToString(CultureInfo.InvariantCulture),
            CommandLine = CommandLine(procRoot, s.P.Pid, s.P.Name),
        };

        return new SystemInfo
        {
            ComputerName = System.Environment.MachineName,
            Uptime = TimeSpan.FromSeconds(Math.Round(uptime)),
            CpuCount = cpu1.Cpus,
            CpuPercent = cpuPercent,
            LoadAverage1 = D(load[0]), LoadAverage5 = D(load[1]), LoadAverage15 = D(load[2]),
            ProcessCount = procs1.Count,
            MemoryTotalBytes = memTotal,
            MemoryAvailableBytes = memAvail,
            MemoryUsedBytes = memTotal - memAvail,
            MemoryUsedPercent = memTotal == 0 ? 0 : Math.Round((memTotal - memAvail) * 100.0 / memTotal, 1),
            SwapTotalBytes = swapTotal,
            SwapUsedBytes = swapUsed,
            SwapUsedPercent = swapTotal == 0 ? 0 : Math.Round(swapUsed * 100.0 / swapTotal, 1),
            Disks = procRoot == "/proc" ? Disks() : [],
            TopByCpu = samples.OrderByDescending(s => s.Cpu).ThenByDescending(s => s.P.Ticks).Take(top).Select(Usage).ToList(),
            TopByMemory = samples.OrderByDescending(s => s.P.RssBytes).Take(top).Select(Usage).ToList(),
            SampleInterval = interval,
            Timestamp = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>Real filesystems (no proc, sysfs, tmpfs...), one per device, as df shows them.</summary>
    public static IReadOnlyList<FileSystemUsage> Disks() =>
        FileSystemStats.All(includeVolatile: false).DistinctBy(u => FileSystemStats.MountFor(u.MountPoint)?.DeviceId ?? u.MountPoint).ToList();

    internal readonly record struct CpuSample(long Total, long Idle, int Cpus);

    internal static CpuSample CpuTimes(string procRoot)
    {
        long total = 0, idle = 0;
        var cpus = 0;
        foreach (var line in File.ReadLines(Path.Combine(procRoot, "stat")))
        {
            if (line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                // user nice system idle iowait irq softirq steal [guest guest_nice: already in user/nice]
                total = f.Take(Math.Min(8, f.Length)).Sum();
                idle = f[3] + (f.Length > 4 ? f[4] : 0);
            }
            else if (line.StartsWith("cpu", StringComparison.Ordinal)) cpus++;
        }
        return new CpuSample(total, idle, Math.Max(cpus, 1));
    }

    internal static Dictionary<string, long> MemInfo(string procRoot)
    {
        var d = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(procRoot, "meminfo")))
        {
            var i = line.IndexOf(':');
            if (i <= 0) continue;
            var num = line[(i + 1)..].Trim().Split(' ')[0];
            if (long.TryParse(num, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) d[line[..i]] = v;
        }
        return d;
    }

    internal sealed record ProcTimes(int Pid, string Name, string State, long Ticks, long StartTime, long RssBytes, int Threads, int Uid);

    internal static Dictionary<int, ProcTimes> ProcessTimes(string procRoot)
    {
        var d = new Dictionary<int, ProcTimes>();
        foreach (var dir in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                var name = stat[(open + 1)..close];
                var f = stat[(close + 2)..].Split(' ');
                // f[0] = state (field 3); utime = field 14 -> f[11]; stime f[12]; num_threads f[17]; starttime f[19]
                var ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
                long rss = 0; var uid = -1;
                foreach (var line in File.ReadLines(Path.Combine(dir, "status")))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                        rss = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                    else if (line.StartsWith("Uid:", StringComparison.Ordinal))
                        uid = int.Parse(line[4..].Trim().Split('\t', ' ')[0], CultureInfo.InvariantCulture);
                }
                d[pid] = new ProcTimes(pid, name, f[0], ticks, long.Parse(f[19], CultureInfo.InvariantCulture), rss,
                    int.Parse(f[17], CultureInfo.InvariantCulture), uid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException) { }
        }
        return d;
    }

    private static string CommandLine(string procRoot, int pid, string name)
    {
        try
        {
            var c = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "cmdline")).Replace('\0', ' ').Trim();
            return c.Length == 0 ? $"[{name}]" : c;
        }
        catch (IOException) { return $"[{name}]"; }
    }

    private static Dictionary<int, string> UserNames()
    {
        var d = new Dictionary<int, string>();
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length > 2 && int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)) d.TryAdd(uid, f[0]);
            }
        }
        catch (IOException) { }
        return d;
    }
}
