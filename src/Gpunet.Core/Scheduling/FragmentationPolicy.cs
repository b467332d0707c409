namespace Gpunet.Core.Scheduling;

/// <summary>What the FGD policies share: the target workload they pack for (given, or learnt from the requests they
/// are asked to place), its kinds, per node and kind a row (GPUs that fit the kind, free share of those that do not,
/// the node's fragmentation term for the kind), and the choice through <see cref="DeltaCache"/>.</summary>
/// <remarks>A row is made again when its node's version moves; every row when the cluster or the kinds change. New
/// weights of the same kinds (a learnt target re-weighs every 256 requests) keep the rows and drop only the cached
/// scores. Within the chosen node a fraction goes to the GPU the policy scores best, whole GPUs are the node's first
/// free ones. Not thread-safe.</remarks>
public abstract class FragmentationPolicy : IMaskedPlacementPolicy, INodeScore
{
    private readonly bool _learn;
    private ClusterCapacity? _cluster;
    private int _targetVersion = -1;
    private int _modelCount;

    private protected FragmentationPolicy(WorkloadDistribution target, bool learn)
    {
        Target = target;
        _learn = learn;
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The workload the policy packs for (given, or learnt so far).</summary>
    public WorkloadDistribution Target { get; }

    private protected TaskKinds Kinds { get; } = new();

    private protected DeltaCache Cache { get; } = new();

    // Per node: its version when its row was made (0: never). Per node and kind (node × kinds + kind): GPUs that fit
    // the kind, free share of those that do not, and the fragmentation term (free share the kind cannot use).
    private protected int[] NodeVersion { get; private set; } = [];

    private protected int[] Fit { get; private set; } = [];

    private protected int[] Below { get; private set; } = [];

    private protected int[] Term { get; private set; } = [];

    /// <inheritdoc />
    public Placement? Choose(ClusterCapacity cluster, PlacementRequest request, Func<int, bool>? nodeFilter = null) =>
        Choose(cluster, request, default, masked: false, nodeFilter);

    /// <inheritdoc />
    Placement? IMaskedPlacementPolicy.Choose(ClusterCapacity cluster, PlacementRequest request, ReadOnlySpan<ulong> nodeMask, Func<int, bool>? nodeFilter) =>
        Choose(cluster, request, nodeMask, masked: true, nodeFilter);

    /// <summary>The node's expected fragmentation now, in GPU thousandths (for tests and reports).</summary>
    public double Fragmentation(ClusterCapacity cluster, int node)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        Sync(cluster);
        Prepare(cluster);
        Refresh(cluster, node);
        var c = Kinds.Length;
        var frag = Kinds.CpuOnlyWeight * cluster.Node(node).FreeGpuMilli;
        for (var m = 0; m < c; m++)
            frag += Kinds.Weight[m] * Term[(node * c) + m];
        return frag;
    }

    /// <inheritdoc />
    bool INodeScore.HasExtra => HasExtra;

    /// <inheritdoc />
    int INodeScore.ExtraVersion => ExtraVersion;

    /// <inheritdoc />
    ulong INodeScore.ExtraMovedSince(int version) => ExtraMovedSince(version);

    /// <inheritdoc />
    double INodeScore.Evaluate(ClusterCapacity cluster, int node, PlacementRequest request, ulong mask) => Evaluate(cluster, node, request, mask);

    /// <inheritdoc />
    double INodeScore.Complete(ClusterCapacity cluster, int node, PlacementRequest request, double cached, out ulong dependsOn) =>
        Complete(cluster, node, request, cached, out dependsOn);

    /// <summary>True when a GPU before <paramref name="g"/> has the same free share: it gives the same result.</summary>
    internal static bool SeenBefore(ReadOnlySpan<int> free, int g)
    {
        for (var j = 0; j < g; j++)
        {
            if (free[j] == free[g])
                return true;
        }

        return false;
    }

    private protected virtual bool HasExtra => false;

    private protected virtual int ExtraVersion => 0;

    private protected virtual ulong ExtraMovedSince(int version) => 0;

    // The node's cached score for the request (a lower bound when HasExtra); +∞ when the request does not fit.
    private protected abstract double Evaluate(ClusterCapacity cluster, int node, PlacementRequest request, ulong mask);

    private protected virtual double Complete(ClusterCapacity cluster, int node, PlacementRequest request, double cached, out ulong dependsOn)
    {
        dependsOn = 0;
        return cached;
    }

    // The score of a fraction on one GPU of the node with `free` thousandths free: the fragmentation it adds and,
    // when `complete`, what else the scorer counts.
    private protected abstract double GpuDelta(ClusterCapacity cluster, int node, PlacementRequest request, int free, bool complete);

    // Brings the node's row up to date with its version.
    private protected abstract void Refresh(ClusterCapacity cluster, int node);

    // Per decision, after the rows' arrays are in line with the cluster and the kinds.
    private protected virtual void Prepare(ClusterCapacity cluster)
    {
    }

    // Every row was just marked never made (new cluster or new kinds).
    private protected virtual void RowsCleared(ClusterCapacity cluster)
    {
    }

    // The per-node arrays now hold `rows` nodes.
    private protected virtual void RowsGrown(int rows)
    {
    }

    // A fraction's best GPU on the node (smallest GpuDelta, one GPU of each free share, then lowest index; -1: none)
    // and its score.
    private protected double BestGpu(ClusterCapacity cluster, int node, PlacementRequest request, bool complete, out int gpu)
    {
        var free = cluster.GpuFreeMilli(node);
        var best = double.PositiveInfinity;
        gpu = -1;
        for (var g = 0; g < free.Length; g++)
        {
            if (free[g] < request.GpuMilli || SeenBefore(free, g))
                continue;
            var delta = GpuDelta(cluster, node, request, free[g], complete);
            if (delta < best)
                (best, gpu) = (delta, g);
        }

        return best;
    }

    // GPUs that fit each kind and the free share of those that do not, into the row at `row`.
    private protected void CountFits(ReadOnlySpan<int> free, int row)
    {
        var milli = Kinds.Milli;
        for (var m = 0; m < milli.Length; m++)
        {
            var q = milli[m];
            int fit = 0, below = 0;
            foreach (var f in free)
            {
                if (f >= q)
                    fit++;
                else
                    below += f;
            }

            (Fit[row + m], Below[row + m]) = (fit, below);
        }
    }

    private Placement? Choose(ClusterCapacity cluster, PlacementRequest request, ReadOnlySpan<ulong> nodeMask, bool masked, Func<int, bool>? nodeFilter)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(request);
        if (_learn)
            Target.Observe(request);
        Sync(cluster);
        Prepare(cluster);
        var mask = cluster.ModelMask(request.AcceptableModels);
        var bestNode = Cache.Choose(cluster, request, mask, nodeMask, masked, nodeFilter, this);
        if (bestNode < 0)
            return null;
        if (!request.IsFractional)
            return new Placement(bestNode, request, cluster.FirstWholeGpus(bestNode, request));
        Refresh(cluster, bestNode);
        BestGpu(cluster, bestNode, request, complete: true, out var gpu);
        return new Placement(bestNode, request, [gpu]);
    }

    // Follows the cluster (new nodes get rows never made) and the target: new kinds or a new cluster make every row
    // again, new weights drop the cached scores only.
    private void Sync(ClusterCapacity cluster)
    {
        if (ReferenceEquals(cluster, _cluster) && Target.Version == _targetVersion && cluster.ModelCount == _modelCount)
        {
            if (cluster.NodeCount > NodeVersion.Length)
                Grow(cluster.NodeCount);
            return;
        }

        var fresh = !ReferenceEquals(cluster, _cluster);
        (_cluster, _targetVersion, _modelCount) = (cluster, Target.Version, cluster.ModelCount);
        // The kinds' model masks are in the cluster's interned models: a new model can mean new masks, new kinds.
        if (Kinds.Load(Target, cluster) || fresh)
        {
            var rows = Math.Max(NodeVersion.Length, cluster.NodeCount);
            if (NodeVersion.Length < rows)
                NodeVersion = new int[rows];
            if (Fit.Length < rows * Kinds.Length)
                (Fit, Below, Term) = (new int[rows * Kinds.Length], new int[rows * Kinds.Length], new int[rows * Kinds.Length]);
            RowsGrown(rows);
            Array.Clear(NodeVersion);
            RowsCleared(cluster);
        }
        else if (cluster.NodeCount > NodeVersion.Length)
        {
            Grow(cluster.NodeCount);
        }

        Cache.Clear();
    }

    // The same cluster has gained nodes: keep every row and cached score, add rows never made. Room doubles, as the
    // cluster's does, so that hosts added one by one between decisions cost linear time.
    private void Grow(int nodes)
    {
        var rows = Math.Max(nodes, NodeVersion.Length * 2);
        var size = rows * Kinds.Length;
        if (Fit.Length < size)
        {
            var (fit, below, term) = (Fit, Below, Term);
            Array.Resize(ref fit, size);
            Array.Resize(ref below, size);
            Array.Resize(ref term, size);
            (Fit, Below, Term) = (fit, below, term);
        }

        var version = NodeVersion;
        Array.Resize(ref version, rows);
        NodeVersion = version;
        RowsGrown(rows);
    }
}
