namespace Gpunet.Core.Scheduling;

/// <summary>The target workload of <see cref="FgdPolicy"/>: the mix of request kinds and how popular each is.</summary>
/// <remarks>Requests are grouped by GPU count, GPU share and acceptable models (the task shapes that decide what
/// a free GPU can be used for); each kind keeps the mean CPU and memory of its requests. Build it from a known
/// list (<see cref="From"/>, the paper's set-up) or learn it online with <see cref="Observe"/>.
/// Not thread-safe.</remarks>
public sealed class WorkloadDistribution
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<Kind> _kinds = [];
    private long _cpuOnly;
    private TaskClass[]? _classes;
    private double _cpuOnlyWeight;

    /// <summary>Requests observed so far.</summary>
    public long Observed { get; private set; }

    /// <summary>Number of distinct GPU request kinds.</summary>
    public int KindCount => _kinds.Count;

    /// <summary>Changes whenever the weights a policy should use change.</summary>
    /// <remarks>Online learning re-weighs on every request for the first 64, then every 256 requests or when a new
    /// kind appears, so that a policy's caches are not thrown away on every decision.</remarks>
    public int Version { get; private set; }

    /// <summary>A distribution of the given requests.</summary>
    public static WorkloadDistribution From(IEnumerable<PlacementRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var d = new WorkloadDistribution();
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
        if (request.GpuCount == 0)
        {
            _cpuOnly++;
        }
        else
        {
            var models = request.AcceptableModels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var key = $"{request.GpuCount}/{request.GpuMilli}/{string.Join('|', models)}";
            if (!_index.TryGetValue(key, out var i))
            {
                i = _kinds.Count;
                _index.Add(key, i);
                _kinds.Add(new Kind(request.GpuCount, request.GpuMilli, models));
                changed = true;
            }

            var k = _kinds[i];
            k.Count++;
            k.CpuSum += request.CpuMilli;
            k.MemorySum += request.MemoryMib;
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
                var total = Math.Max(1, Observed);
                _classes = [.. _kinds.Select(k => new TaskClass(
                    k.GpuCount, k.GpuMilli, (int)(k.CpuSum / k.Count), (int)(k.MemorySum / k.Count), k.Models, (double)k.Count / total))];
                _cpuOnlyWeight = (double)_cpuOnly / total;
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

    private sealed class Kind(int gpuCount, int gpuMilli, string[] models)
    {
        public int GpuCount { get; } = gpuCount;
        public int GpuMilli { get; } = gpuMilli;
        public string[] Models { get; } = models;
        public long Count { get; set; }
        public long CpuSum { get; set; }
        public long MemorySum { get; set; }
    }
}
