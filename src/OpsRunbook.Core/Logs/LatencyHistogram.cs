namespace OpsRunbook.Core.Logs;

/// <summary>
/// Exact counts per whole millisecond: nearest-rank percentiles with no error, in memory that depends on the
/// largest value seen (an array up to 65.5 s, a dictionary beyond), never on the number of values.
/// A histogram starts small: its first <see cref="SmallLimit"/> values are kept as they are (a few bytes each), and
/// only then turn into counts. Most groups of a -GroupBy Endpoint scan (one per distinct URL) see a handful of
/// requests, so 100,000 of them cost a few MB instead of hundreds.
/// </summary>
public sealed class LatencyHistogram
{
    private const int DenseLimit = 1 << 16;
    internal const int SmallLimit = 32;
    private int[]? _small = new int[2];   // the values themselves while Count <= SmallLimit; null once counted
    private long[] _dense = [];
    private SortedDictionary<int, long>? _sparse;

    public long Count { get; private set; }
    public long Sum { get; private set; }
    public int Max { get; private set; } = -1;

    public void Add(int ms)
    {
        if (ms < 0) return;
        if (_small is { } small)
        {
            if (Count < SmallLimit)
            {
                if (Count == small.Length) Array.Resize(ref _small, small.Length * 2);
                _small![(int)Count] = ms;
                Note(ms);
                return;
            }
            ToCounts();
        }
        Note(ms);
        Tally(ms, 1);
    }

    private void Note(int ms)
    {
        Count++;
        Sum += ms;
        if (ms > Max) Max = ms;
    }

    private void Tally(int ms, long n)
    {
        if (ms < DenseLimit)
        {
            if (ms >= _dense.Length) Array.Resize(ref _dense, Math.Min(DenseLimit, Math.Max(Math.Max(_dense.Length * 2, 64), ms + 1)));
            _dense[ms] += n;
        }
        else
        {
            _sparse ??= new();
            _sparse[ms] = _sparse.GetValueOrDefault(ms) + n;
        }
    }

    /// <summary>From the kept values to counts per millisecond.</summary>
    private void ToCounts()
    {
        var small = _small!;
        _small = null;
        for (var i = 0; i < Count; i++) Tally(small[i], 1);
    }

    public void Merge(LatencyHistogram other)
    {
        if (other._small is { } values)
        {
            for (var i = 0; i < other.Count; i++) Add(values[i]);
            return;
        }
        if (_small is not null) ToCounts();
        if (other._dense.Length > _dense.Length) Array.Resize(ref _dense, other._dense.Length);
        for (var i = 0; i < other._dense.Length; i++) _dense[i] += other._dense[i];
        if (other._sparse is not null)
            foreach (var (k, v) in other._sparse) Tally(k, v);
        Count += other.Count;
        Sum += other.Sum;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>Nearest rank: the smallest value with at least ceil(p/100 * N) values at or below it. Null when empty.</summary>
    public int? Percentile(double p)
    {
        if (Count == 0) return null;
        var rank = Math.Max(1, (long)Math.Ceiling(p / 100.0 * Count));
        if (_small is { } small)
        {
            var n = (int)Count;
            Array.Sort(small, 0, n);   // the order of the kept values does not matter
            return small[(int)Math.Min(rank, n) - 1];
        }
        long seen = 0;
        for (var i = 0; i < _dense.Length; i++)
        {
            seen += _dense[i];
            if (seen >= rank) return i;
        }
        if (_sparse is not null)
        {
            foreach (var (k, v) in _sparse)
            {
                seen += v;
                if (seen >= rank) return k;
            }
        }
        return Max;
    }

    public double? Mean => Count == 0 ? null : (double)Sum / Count;
}
