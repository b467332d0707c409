namespace Gpunet.Core.Scheduling;

/// <summary><c>fgd-mr</c>, the default: Fragmentation Gradient Descent over every resource that can run out. A task
/// kind can use a node's free GPUs only as far as the node's free CPU and memory let it run tasks of that kind, so a
/// CPU-only task that eats the CPU beside free GPUs strands them, and a CPU-heavy task goes where CPU is plentiful.</summary>
/// <remarks>
/// A node's fragmentation for a kind (<see cref="WorkloadDistribution"/> grouped by GPU shape, models and CPU per
/// GPU) is its free GPU share minus what the kind can use: the share on GPUs with room for the kind, at most the tasks
/// that its free CPU and memory can hold times the kind's GPUs (none when the model is wrong or too few GPUs fit).
/// Each request goes where the expected fragmentation, weighed by the kinds' popularity, grows least, plus two terms:
/// the cost of the homes of scarce kinds it takes (<see cref="HomeScarcity"/>), and best-fit's score (free shares left)
/// weighed by which resource binds: lightly while GPUs are the cluster's most allocated resource (a tie-break), and
/// heavily once CPU or memory is (then packing the binding resource tightly is what leaves room for GPU tasks).
/// The target is learnt from the requests seen (optionally from a prior, e.g. a history file), never given the future.
/// Per node and kind the policy keeps a row (GPUs that fit, share below, fragmentation now) refreshed from the
/// cluster's journal of changed nodes, so the homes of every kind are counted exactly; <see cref="DeltaCache"/> keeps
/// the node scores. Ties: lowest node index, then lowest GPU index. Not thread-safe.
/// </remarks>
public sealed partial class MultiResourceFgdPolicy : IMaskedPlacementPolicy, INodeScore
{
    /// <summary>The policy's name.</summary>
    public const string PolicyName = "fgd-mr";

    /// <summary>Half-life of a seen request's weight in the learnt target, in requests.</summary>
    public const int DefaultHalfLife = 4096;

    // Best-fit's score (0 to 3) in GPU thousandths: 0.01 GPU per unit while GPUs bind (a tie-break among nodes that
    // fragment alike), 10 GPUs per unit when CPU or memory is more allocated than GPUs (best-fit decides, FGD breaks ties).
    private const double GpuBoundBestFit = 10;
    private const double HostBoundBestFit = 10_000;

    private readonly WorkloadDistribution _target;
    private readonly bool _learn;
    private readonly DeltaCache _cache = new();
    private readonly List<int> _changed = [];
    private ClusterCapacity? _cluster;
    private int _targetVersion = -1;
    private int _modelCount;
    private long _cursor;
    private bool _hostBound;
    private double _bestFitWeight = GpuBoundBestFit;
    // The target's kinds as a structure of arrays; per kind the homes (nodes it can run on) and a home's cost now.
    private int[] _count = [];
    private int[] _milli = [];
    private int[] _cpu = [];
    private int[] _memory = [];
    private ulong[] _mask = [];
    private double[] _weight = [];
    private int[] _homes = [];
    private double[] _cost = [];
    private bool _costly;
    // Moves whenever a home's cost of some kind changes: completed scores cached before it are stale.
    private int _costVersion;
    private double _cpuOnlyWeight;
    // Per node: version and free GPU share when its row was made; per node and kind: GPUs that fit the kind, free
    // share of those that do not, and the fragmentation term (the node is a home of the kind when it is below the share).
    private int[] _nodeVersion = [];
    private int[] _rowFree = [];
    private int[] _fit = [];
    private int[] _below = [];
    private int[] _term = [];

    /// <summary>A policy that learns its target from the requests it places, starting from <paramref name="prior"/>
    /// (null: nothing; a decayed histogram of kinds grouped by CPU per GPU).</summary>
    public MultiResourceFgdPolicy(WorkloadDistribution? prior = null)
        : this(prior, learn: true)
    {
    }

    /// <summary>A policy against <paramref name="target"/>, which, with <paramref name="learn"/>, takes in every request
    /// it is asked to place.</summary>
    public MultiResourceFgdPolicy(WorkloadDistribution? target, bool learn)
    {
        _target = target ?? new WorkloadDistribution(DefaultHalfLife, byCpu: true);
        _learn = learn;
    }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <summary>The workload the policy packs for (learnt so far).</summary>
    public WorkloadDistribution Target => _target;

    /// <inheritdoc />
    public Placement? Choose(ClusterCapacity cluster, PlacementRequest request, Func<int, bool>? nodeFilter = null) =>
        Choose(cluster, request, default, masked: false, nodeFilter);

    /// <inheritdoc />
    Placement? IMaskedPlacementPolicy.Choose(ClusterCapacity cluster, PlacementRequest request, ReadOnlySpan<ulong> nodeMask, Func<int, bool>? nodeFilter) =>
        Choose(cluster, request, nodeMask, masked: true, nodeFilter);

    private Placement? Choose(ClusterCapacity cluster, PlacementRequest request, ReadOnlySpan<ulong> nodeMask, bool masked, Func<int, bool>? nodeFilter)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(request);
        if (_learn)
            _target.Observe(request);
        Sync(cluster);
        Prepare(cluster);
        var mask = cluster.ModelMask(request.AcceptableModels);
        var bestNode = _cache.Choose(cluster, request, mask, nodeMask, masked, nodeFilter, this);
        if (bestNode < 0)
            return null;
        return request.IsFractional
            ? new Placement(bestNode, request, [BestGpu(cluster, bestNode, request)])
            : new Placement(bestNode, request, cluster.FirstWholeGpus(bestNode, request));
    }

    /// <inheritdoc />
    bool INodeScore.HasExtra => _costly;

    /// <inheritdoc />
    int INodeScore.ExtraVersion => _costVersion;

    /// <inheritdoc />
    double INodeScore.Evaluate(ClusterCapacity cluster, int node, PlacementRequest request, ulong mask)
    {
        if (!cluster.Fits(node, request, mask))
            return double.PositiveInfinity;
        Refresh(cluster, node);
        var bestFit = _bestFitWeight * BestFitPolicy.Score(cluster, node, request);
        if (!request.IsFractional)
            return Delta(cluster, node, request, PlacementRequest.WholeGpu, 0, request.GpuCount, costs: false) + bestFit;
        var best = double.PositiveInfinity;
        var free = cluster.GpuFreeMilli(node);
        for (var g = 0; g < free.Length; g++)
        {
            if (free[g] >= request.GpuMilli && !FgdPolicy.SeenBefore(free, g))
                best = Math.Min(best, Delta(cluster, node, request, free[g], free[g] - request.GpuMilli, 1, costs: false));
        }

        return best + bestFit;
    }

    /// <inheritdoc />
    double INodeScore.Complete(ClusterCapacity cluster, int node, PlacementRequest request, double cached)
    {
        if (!request.IsFractional)
            return cached + Delta(cluster, node, request, PlacementRequest.WholeGpu, 0, request.GpuCount, costs: true);
        var gpu = BestGpu(cluster, node, request, out var best);
        return gpu < 0 ? double.PositiveInfinity : best + (_bestFitWeight * BestFitPolicy.Score(cluster, node, request));
    }

    private int BestGpu(ClusterCapacity cluster, int node, PlacementRequest request) => BestGpu(cluster, node, request, out _);

    // The GPU a fraction takes on the node: smallest fragmentation delta plus homes taken, then lowest index.
    private int BestGpu(ClusterCapacity cluster, int node, PlacementRequest request, out double bestDelta)
    {
        Refresh(cluster, node);
        var free = cluster.GpuFreeMilli(node);
        var bestGpu = -1;
        bestDelta = double.PositiveInfinity;
        for (var g = 0; g < free.Length; g++)
        {
            var f = free[g];
            if (f < request.GpuMilli || FgdPolicy.SeenBefore(free, g))
                continue;
            var delta = Delta(cluster, node, request, f, f - request.GpuMilli, 1, costs: false)
                + (_costly ? Delta(cluster, node, request, f, f - request.GpuMilli, 1, costs: true) : 0);
            if (delta < bestDelta)
                (bestDelta, bestGpu) = (delta, g);
        }

        return bestGpu;
    }

    // With `costs` false: the change in expected fragmentation when `changed` GPUs go from `before` to `after` free
    // thousandths and the request's CPU and memory are taken. With `costs` true: the cost of the homes it takes.
    private double Delta(ClusterCapacity cluster, int node, PlacementRequest request, int before, int after, int changed, bool costs)
    {
        ref readonly var n = ref cluster.Node(node);
        var c = _weight.Length;
        var cpuAfter = n.FreeCpuMilli - request.CpuMilli;
        var memAfter = n.FreeMemoryMib - request.MemoryMib;
        var taken = request.TotalGpuMilli;
        var totalAfter = n.FreeGpuMilli - (int)taken;
        var delta = costs ? 0 : -_cpuOnlyWeight * taken;
        var row = node * c;
        for (var m = 0; m < c; m++)
        {
            if (costs && _cost[m] == 0)
                continue;
            var q = _milli[m];
            var fitAfter = _fit[row + m];
            var belowAfter = _below[row + m];
            fitAfter += changed * ((after >= q ? 1 : 0) - (before >= q ? 1 : 0));
            belowAfter += changed * ((after < q ? after : 0) - (before < q ? before : 0));
            var termAfter = Term(m, n.ModelId, cpuAfter, memAfter, fitAfter, belowAfter, totalAfter);
            if (costs)
            {
                if (_term[row + m] < n.FreeGpuMilli && termAfter >= totalAfter)
                    delta += _cost[m];
                continue;
            }

            var d = termAfter - _term[row + m];
            if (d != 0)
                delta += _weight[m] * d;
        }

        return delta;
    }

    // The free share (of `free` on the node) that kind m cannot use.
    private int Term(int m, int model, int cpu, int mem, int fit, int below, int free)
    {
        if (fit < _count[m] || model < 0 || ((_mask[m] >> model) & 1) == 0)
            return free;
        // A kind that asks no CPU or memory is limited by its GPUs alone (and the product below stays in range).
        var tasks = (long)int.MaxValue;
        if (_cpu[m] > 0)
            tasks = cpu / _cpu[m];
        if (_memory[m] > 0)
            tasks = Math.Min(tasks, mem / _memory[m]);
        if (tasks <= 0)
            return free;
        var usable = Math.Min(free - below, tasks * _count[m] * PlacementRequest.WholeGpu);
        return free - (int)usable;
    }
}
