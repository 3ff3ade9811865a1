namespace OpsRunbook.Core.Logs;

/// <summary>
/// Exact counts per whole millisecond: nearest-rank percentiles with no error, in memory that depends on the
/// largest value seen (an array up to 65.5 s, a dictionary beyond), never on the number of values.
/// </summary>
public sealed class LatencyHistogram
{
    private const int DenseLimit = 1 << 16;
    private long[] _dense = new long[64];
    private SortedDictionary<int, long>? _sparse;

    public long Count { get; private set; }
    public long Sum { get; private set; }
    public int Max { get; private set; } = -1;

    public void Add(int ms)
    {
        if (ms < 0) return;
        Count++;
        Sum += ms;
        if (ms > Max) Max = ms;
        if (ms < DenseLimit)
        {
            if (ms >= _dense.Length) Array.Resize(ref _dense, Math.Min(DenseLimit, Math.Max(_dense.Length * 2, ms + 1)));
            _dense[ms]++;
        }
        else
        {
            _sparse ??= new();
            _sparse[ms] = _sparse.GetValueOrDefault(ms) + 1;
        }
    }

    public void Merge(LatencyHistogram other)
    {
        if (other._dense.Length > _dense.Length) Array.Resize(ref _dense, other._dense.Length);
        for (var i = 0; i < other._dense.Length; i++) _dense[i] += other._dense[i];
        if (other._sparse is not null)
        {
            _sparse ??= new();
            foreach (var (k, v) in other._sparse) _sparse[k] = _sparse.GetValueOrDefault(k) + v;
        }
        Count += other.Count;
        Sum += other.Sum;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>Nearest rank: the smallest value with at least ceil(p/100 * N) values at or below it. Null when empty.</summary>
    public int? Percentile(double p)
    {
        if (Count == 0) return null;
        var rank = Math.Max(1, (long)Math.Ceiling(p / 100.0 * Count));
        long seen = 0;
        for (var i = 0; i < _dense.Length; i++)
        {
            seen += _dense[i];
            if (seen >= rank) return i;
        }
        foreach (var (k, v) in _sparse!)
        {
            seen += v;
            if (seen >= rank) return k;
        }
        return Max;
    }

    public double? Mean => Count == 0 ? null : (double)Sum / Count;
}
