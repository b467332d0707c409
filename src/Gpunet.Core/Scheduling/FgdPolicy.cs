namespace Gpunet.Core.Scheduling;

/// <summary><c>fgd</c>: Fragmentation Gradient Descent (Weng et al., "Beware of Fragmentation: Scheduling
/// GPU-Sharing Workloads with Fragmentation Gradient Descent", USENIX ATC '23). Places each request on the
/// node and GPUs whose expected fragmentation, measured against the target workload, grows least.</summary>
/// <remarks>
/// A node's fragmentation for one task kind is the free GPU share that kind cannot use: all of the node's free
/// share when the task cannot run there at all (wrong model, too little CPU or memory, too few GPUs with enough
/// free share), otherwise the free share of each GPU too small for the task. The expected fragmentation weighs
/// the kinds by popularity; CPU-only tasks can use no GPU, so for them all free share counts (as in the paper's
/// simulator, hkust-adsl/kubernetes-scheduler-simulator, <c>NodeGpuShareFragAmountScore</c>). Within a node a
/// fraction goes to the GPU with the smallest increase; whole GPUs are the node's first free ones.
/// This is the paper's GPU-only measure, kept for comparison; the default, <see cref="MultiResourceFgdPolicy"/>, also
/// weighs CPU and memory. Two departures from the simulator, both on the safe side of the hard filters: memory counts alongside CPU when
/// deciding whether a task can run, and a task kind is a GPU shape with its acceptable models, carrying the mean CPU
/// and memory of its requests. Ties: lowest node index, then lowest GPU index. Per node and kind the policy caches how many GPUs fit the
/// kind and the free share below it, so one candidate costs one pass over the kinds; <see cref="DeltaCache"/> keeps per node
/// and request shape the node's best delta until the node's version moves, so a repeated shape re-evaluates only the
/// nodes that changed. A decision allocates only its result. Not thread-safe.
/// </remarks>
public sealed class FgdPolicy : IMaskedPlacementPolicy, INodeScore
{
    /// <summary>The policy's name.</summary>
    public const string PolicyName = "fgd";

    private readonly WorkloadDistribution _target;
    private readonly bool _learn;
    private ClusterCapacity? _cluster;
    private int _targetVersion = -1;
    private int _modelCount;
    // The target's task kinds as a structure of arrays: GPU count, share per GPU, CPU, memory, model mask, weight.
    private int[] _count = [];
    private int[] _milli = [];
    private int[] _cpu = [];
    private int[] _memory = [];
    private ulong[] _mask = [];
    private double[] _weight = [];
    private double _cpuOnlyWeight;
    // Per node (row) and kind: GPUs that fit the kind, free share of those that do not, and the node's
    // fragmentation term for the kind now; refreshed when the node's version moves.
    private int[] _nodeVersion = [];
    private int[] _fit = [];
    private int[] _below = [];
    private int[] _term = [];
    private readonly DeltaCache _cache = new();

    /// <summary>An FGD policy against <paramref name="target"/>; null: learn the mix from the requests seen.</summary>
    public FgdPolicy(WorkloadDistribution? target = null)
        : this(target, learn: target is null)
    {
    }

    /// <summary>An FGD policy starting from <paramref name="prior"/> that, with <paramref name="learn"/>, adds every
    /// request it is asked to place, so the mix it packs for moves from the prior to the demand it sees.</summary>
    public FgdPolicy(WorkloadDistribution? prior, bool learn)
    {
        _learn = learn;
        _target = prior ?? new WorkloadDistribution();
    }

    /// <inheritdoc />
    public string Name => PolicyName;

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
        var mask = cluster.ModelMask(request.AcceptableModels);
        var bestNode = _cache.Choose(cluster, request, mask, nodeMask, masked, nodeFilter, this);
        if (bestNode < 0)
            return null;
        return request.IsFractional
            ? new Placement(bestNode, request, [BestGpu(cluster, bestNode, request)])
            : new Placement(bestNode, request, cluster.FirstWholeGpus(bestNode, request));
    }

    /// <inheritdoc />
    bool INodeScore.HasExtra => false;

    /// <inheritdoc />
    int INodeScore.ExtraVersion => 0;

    /// <inheritdoc />
    double INodeScore.Evaluate(ClusterCapacity cluster, int node, PlacementRequest request, ulong mask) => Evaluate(cluster, node, request, mask);

    /// <inheritdoc />
    double INodeScore.Complete(ClusterCapacity cluster, int node, PlacementRequest request, double cached) => cached;

    /// <summary>The node's expected fragmentation now, in GPU thousandths (for tests and reports).</summary>
    public double Fragmentation(ClusterCapacity cluster, int node)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        Sync(cluster);
        Refresh(cluster, node);
        var c = _weight.Length;
        var frag = _cpuOnlyWeight * cluster.Node(node).FreeGpuMilli;
        for (var m = 0; m < c; m++)
            frag += _weight[m] * _term[(node * c) + m];

        return frag;
    }

    // Change in expected fragmentation when `changed` GPUs go from `before` to `after` free thousandths and the
    // request's CPU and memory are taken. Summed per kind from integer differences, so equal nodes tie exactly.
    private double Delta(ClusterCapacity cluster, int node, PlacementRequest request, int before, int after, int changed)
    {
        ref readonly var n = ref cluster.Node(node);
        var c = _weight.Length;
        var cpuAfter = n.FreeCpuMilli - request.CpuMilli;
        var memAfter = n.FreeMemoryMib - request.MemoryMib;
        var taken = request.TotalGpuMilli;
        var totalAfter = n.FreeGpuMilli - (int)taken;
        var model = n.ModelId;
        var delta = -_cpuOnlyWeight * taken;
        var row = node * c;
        for (var m = 0; m < c; m++)
        {
            var q = _milli[m];
            var fitAfter = _fit[row + m];
            var belowAfter = _below[row + m];
            if (changed > 0)
            {
                fitAfter += changed * ((after >= q ? 1 : 0) - (before >= q ? 1 : 0));
                belowAfter += changed * ((after < q ? after : 0) - (before < q ? before : 0));
            }

            var termAfter = Usable(m, model, cpuAfter, memAfter, fitAfter) ? belowAfter : totalAfter;
            var d = termAfter - _term[row + m];
            if (d != 0)
                delta += _weight[m] * d;
        }

        return delta;
    }

    private bool Usable(int m, int model, int cpu, int mem, int fit) =>
        fit >= _count[m] && cpu >= _cpu[m] && mem >= _memory[m] && model >= 0 && ((_mask[m] >> model) & 1) != 0;

    /// <summary>True when a GPU before <paramref name="g"/> has the same free share: it gives the same result.</summary>
    internal static bool SeenBefore(ReadOnlySpan<int> free, int g)
    {
        // GPUs with the same free share give the same result: evaluate the first of them only.
        for (var j = 0; j < g; j++)
        {
            if (free[j] == free[g])
                return true;
        }

        return false;
    }

    private void Sync(ClusterCapacity cluster)
    {
        if (ReferenceEquals(cluster, _cluster) && _target.Version == _targetVersion && cluster.ModelCount == _modelCount)
        {
            if (cluster.NodeCount > _nodeVersion.Length)
                Grow(cluster.NodeCount);
            return;
        }

        _cluster = cluster;
        _targetVersion = _target.Version;
        // The kinds' model masks depend on the cluster's interned models: a new model means new masks.
        _modelCount = cluster.ModelCount;
        var classes = _target.Classes;
        _count = new int[classes.Length];
        _milli = new int[classes.Length];
        _cpu = new int[classes.Length];
        _memory = new int[classes.Length];
        _mask = new ulong[classes.Length];
        _weight = new double[classes.Length];
        for (var m = 0; m < classes.Length; m++)
        {
            var k = classes[m];
            (_count[m], _milli[m], _cpu[m], _memory[m], _weight[m]) = (k.GpuCount, k.GpuMilli, k.CpuMilli, k.MemoryMib, k.Weight);
            _mask[m] = cluster.ModelMask(k.Models);
        }

        _cpuOnlyWeight = _target.CpuOnlyWeight;
        if (_nodeVersion.Length < cluster.NodeCount)
            _nodeVersion = new int[cluster.NodeCount];
        // Rows for every node the version array covers (it may have grown ahead of the cluster), at the new kind count.
        var size = _nodeVersion.Length * classes.Length;
        if (_fit.Length < size)
        {
            _fit = new int[size];
            _below = new int[size];
            _term = new int[size];
        }

        // Versions start at 1 once a node is summarised: 0 marks every row stale.
        Array.Clear(_nodeVersion);
        _cache.Clear();
    }

    // The same cluster has gained nodes: keep every row and cached delta, and add stale ones for the new nodes.
    // Room doubles, as the cluster's does, so that hosts added one by one between decisions cost linear time.
    private void Grow(int nodes)
    {
        var rows = Math.Max(nodes, _nodeVersion.Length * 2);
        var size = rows * _weight.Length;
        if (_fit.Length < size)
        {
            Array.Resize(ref _fit, size);
            Array.Resize(ref _below, size);
            Array.Resize(ref _term, size);
        }

        Array.Resize(ref _nodeVersion, rows);
    }

    // The node's smallest delta for the request; +∞ when the request does not fit there.
    private double Evaluate(ClusterCapacity cluster, int node, PlacementRequest request, ulong mask)
    {
        if (!cluster.Fits(node, request, mask))
            return double.PositiveInfinity;
        Refresh(cluster, node);
        if (!request.IsFractional)
            return Delta(cluster, node, request, PlacementRequest.WholeGpu, 0, request.GpuCount);
        var best = double.PositiveInfinity;
        var free = cluster.GpuFreeMilli(node);
        for (var g = 0; g < free.Length; g++)
        {
            var f = free[g];
            if (f < request.GpuMilli || SeenBefore(free, g))
                continue;
            best = Math.Min(best, Delta(cluster, node, request, f, f - request.GpuMilli, 1));
        }

        return best;
    }

    // The GPU a fraction takes on the chosen node: smallest delta, then lowest index.
    private int BestGpu(ClusterCapacity cluster, int node, PlacementRequest request)
    {
        Refresh(cluster, node);
        var free = cluster.GpuFreeMilli(node);
        var bestGpu = -1;
        var bestDelta = double.MaxValue;
        for (var g = 0; g < free.Length; g++)
        {
            var f = free[g];
            if (f < request.GpuMilli || SeenBefore(free, g))
                continue;
            var delta = Delta(cluster, node, request, f, f - request.GpuMilli, 1);
            if (delta < bestDelta)
                (bestDelta, bestGpu) = (delta, g);
        }

        return bestGpu;
    }

    private void Refresh(ClusterCapacity cluster, int node)
    {
        ref readonly var n = ref cluster.Node(node);
        if (_nodeVersion[node] == n.Version)
            return;
        _nodeVersion[node] = n.Version;
        var free = cluster.GpuFreeMilli(node);
        var c = _weight.Length;
        var row = node * c;
        for (var m = 0; m < c; m++)
        {
            var q = _milli[m];
            int fit = 0, below = 0;
            foreach (var f in free)
            {
                if (f >= q)
                    fit++;
                else
                    below += f;
            }

            _fit[row + m] = fit;
            _below[row + m] = below;
            _term[row + m] = Usable(m, n.ModelId, n.FreeCpuMilli, n.FreeMemoryMib, fit) ? below : n.FreeGpuMilli;
        }
    }
}
