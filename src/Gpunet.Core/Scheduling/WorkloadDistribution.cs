namespace Gpunet.Core.Scheduling;

/// <summary>The target workload of <see cref="FgdPolicy"/>: the mix of request kinds and how popular each is.</summary>
/// <remarks>Requests are grouped by GPU count, GPU share and acceptable models (the task shapes that decide what
/// a free GPU can be used for), and, when built <c>byCpu</c>, by CPU per GPU to the nearest power of two (a task
/// that needs 16 cores per GPU strands GPUs where a 4-core one does not); each kind keeps the mean CPU and memory of
/// its requests. Build it from a known list (<see cref="From(IEnumerable{PlacementRequest})"/>, the paper's set-up) or learn it online with
/// <see cref="Observe"/>. With a half-life of h requests, a request seen h requests ago weighs half a new one, so the
/// mix follows a drifting demand. Not thread-safe.</remarks>
public sealed class WorkloadDistribution
{
    // Decayed weights are kept as weight × growth^n, renormalised before they overflow.
    private const double Renormalise = 1e100;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<Kind> _kinds = [];
    private readonly double _growth;
    private readonly bool _byCpu;
    private double _scale = 1;
    private double _cpuOnly;
    private TaskClass[]? _classes;
    private double _cpuOnlyWeight;

    /// <summary>A distribution that counts every request alike and groups by GPU shape and models only.</summary>
    public WorkloadDistribution()
        : this(halfLife: 0, byCpu: false)
    {
    }

    /// <summary>A distribution whose weights halve every <paramref name="halfLife"/> requests (0: never) and whose
    /// kinds, with <paramref name="byCpu"/>, also tell CPU-heavy tasks from light ones.</summary>
    public WorkloadDistribution(int halfLife, bool byCpu)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(halfLife);
        _growth = halfLife == 0 ? 1 : Math.Pow(2, 1.0 / halfLife);
        _byCpu = byCpu;
    }

    /// <summary>Half-life of a request's weight, in requests; 0: weights never decay.</summary>
    public int HalfLife => _growth == 1 ? 0 : (int)Math.Round(1 / Math.Log2(_growth));

    /// <summary>Requests observed so far.</summary>
    public long Observed { get; private set; }

    /// <summary>Number of distinct GPU request kinds.</summary>
    public int KindCount => _kinds.Count;

    /// <summary>Changes whenever the weights a policy should use change.</summary>
    /// <remarks>Online learning re-weighs on every request for the first 64, then every 256 requests or when a new
    /// kind appears, so that a policy's caches are not thrown away on every decision.</remarks>
    public int Version { get; private set; }

    /// <summary>A distribution of the given requests.</summary>
    public static WorkloadDistribution From(IEnumerable<PlacementRequest> requests) => From(requests, halfLife: 0, byCpu: false);

    /// <summary>A distribution of the given requests, in order, with the given decay and grouping.</summary>
    public static WorkloadDistribution From(IEnumerable<PlacementRequest> requests, int halfLife, bool byCpu)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var d = new WorkloadDistribution(halfLife, byCpu);
        foreach (var r in requests)
            d.Observe(r);
        d.Version++;
        return d;
    }

    /// <summary>Counts one request in the mix.</summary>
    public void Observe(PlacementRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Observed++;
        var changed = Observed <= 64 || Observed % 256 == 0;
        if (_growth != 1)
            Decay();
        if (request.GpuCount == 0)
        {
            _cpuOnly += _scale;
        }
        else
        {
            var models = request.AcceptableModels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var key = $"{request.GpuCount}/{request.GpuMilli}/{string.Join('|', models)}";
            if (_byCpu)
                key += $"/{CpuClass(request)}";
            if (!_index.TryGetValue(key, out var i))
            {
                i = _kinds.Count;
                _index.Add(key, i);
                _kinds.Add(new Kind(request.GpuCount, request.GpuMilli, models));
                changed = true;
            }

            var k = _kinds[i];
            k.Count += _scale;
            k.CpuSum += _scale * request.CpuMilli;
            k.MemorySum += _scale * request.MemoryMib;
        }

        if (changed)
        {
            Version++;
            _classes = null;
        }
    }

    /// <summary>The GPU task kinds with their weights (share of all observed requests).</summary>
    internal ReadOnlySpan<TaskClass> Classes
    {
        get
        {
            if (_classes is null)
            {
                var total = _cpuOnly + _kinds.Sum(k => k.Count);
                total = total > 0 ? total : 1;
                _classes = [.. _kinds.Select(k => new TaskClass(
                    k.GpuCount, k.GpuMilli, (int)(k.CpuSum / k.Count), (int)(k.MemorySum / k.Count), k.Models, k.Count / total))];
                _cpuOnlyWeight = _cpuOnly / total;
            }

            return _classes;
        }
    }

    /// <summary>Share of CPU-only requests: for them every free GPU share is unusable.</summary>
    internal double CpuOnlyWeight
    {
        get
        {
            _ = Classes;
            return _cpuOnlyWeight;
        }
    }

    // CPU per GPU in cores, to the nearest power of two (its exponent).
    private static int CpuClass(PlacementRequest request) =>
        (int)Math.Round(Math.Log2(Math.Max(1.0, (double)request.CpuMilli / request.GpuCount) / 1000.0));

    // A new request weighs `_scale`, which grows by `_growth` per request: older ones weigh relatively less.
    private void Decay()
    {
        _scale *= _growth;
        if (_scale < Renormalise)
            return;
        foreach (var k in _kinds)
            (k.Count, k.CpuSum, k.MemorySum) = (k.Count / _scale, k.CpuSum / _scale, k.MemorySum / _scale);
        _cpuOnly /= _scale;
        _scale = 1;
    }

    private sealed class Kind(int gpuCount, int gpuMilli, string[] models)
    {
        public int GpuCount { get; } = gpuCount;
        public int GpuMilli { get; } = gpuMilli;
        public string[] Models { get; } = models;
        public double Count { get; set; }
        public double CpuSum { get; set; }
        public double MemorySum { get; set; }
    }
}
