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
/// nodes that changed (<see cref="FragmentationPolicy"/>: what both FGD policies share). A decision allocates only its
/// result. Not thread-safe.
/// </remarks>
public sealed class FgdPolicy : FragmentationPolicy
{
    /// <summary>The policy's name.</summary>
    public const string PolicyName = "fgd";

    /// <summary>An FGD policy against <paramref name="target"/>; null: learn the mix from the requests seen.</summary>
    public FgdPolicy(WorkloadDistribution? target = null)
        : this(target, learn: target is null)
    {
    }

    /// <summary>An FGD policy starting from <paramref name="prior"/> that, with <paramref name="learn"/>, adds every
    /// request it is asked to place, so the mix it packs for moves from the prior to the demand it sees.</summary>
    public FgdPolicy(WorkloadDistribution? prior, bool learn)
        : base(prior ?? new WorkloadDistribution(), learn)
    {
    }

    /// <inheritdoc />
    public override string Name => PolicyName;

    // The node's smallest delta for the request; +∞ when the request does not fit there.
    private protected override double Evaluate(ClusterCapacity cluster, int node, PlacementRequest request, ulong mask)
    {
        if (!cluster.Fits(node, request, mask))
            return double.PositiveInfinity;
        Refresh(cluster, node);
        if (!request.IsFractional)
            return Delta(cluster, node, request, PlacementRequest.WholeGpu, 0, request.GpuCount);
        return BestGpu(cluster, node, request, complete: false, out _);
    }

    // A fraction goes to the GPU whose fragmentation grows least.
    private protected override double GpuDelta(ClusterCapacity cluster, int node, PlacementRequest request, int free, bool complete) =>
        Delta(cluster, node, request, free, free - request.GpuMilli, 1);

    // Change in expected fragmentation when `changed` GPUs go from `before` to `after` free thousandths and the
    // request's CPU and memory are taken. Summed per kind from integer differences, so equal nodes tie exactly.
    private double Delta(ClusterCapacity cluster, int node, PlacementRequest request, int before, int after, int changed)
    {
        ref readonly var n = ref cluster.Node(node);
        var (kinds, fit, below, term) = (Kinds, Fit, Below, Term);
        var (milli, weight) = (kinds.Milli, kinds.Weight);
        var c = weight.Length;
        var cpuAfter = n.FreeCpuMilli - request.CpuMilli;
        var memAfter = n.FreeMemoryMib - request.MemoryMib;
        var taken = request.TotalGpuMilli;
        var totalAfter = n.FreeGpuMilli - (int)taken;
        var model = n.ModelId;
        var delta = -kinds.CpuOnlyWeight * taken;
        var row = node * c;
        for (var m = 0; m < c; m++)
        {
            var q = milli[m];
            var fitAfter = fit[row + m] + (changed * ((after >= q ? 1 : 0) - (before >= q ? 1 : 0)));
            var belowAfter = below[row + m] + (changed * ((after < q ? after : 0) - (before < q ? before : 0)));
            var termAfter = Usable(m, model, cpuAfter, memAfter, fitAfter) ? belowAfter : totalAfter;
            var d = termAfter - term[row + m];
            if (d != 0)
                delta += weight[m] * d;
        }

        return delta;
    }

    private bool Usable(int m, int model, int cpu, int mem, int fit) =>
        fit >= Kinds.Count[m] && cpu >= Kinds.Cpu[m] && mem >= Kinds.Memory[m] && model >= 0 && ((Kinds.Mask[m] >> model) & 1) != 0;

    private protected override void Refresh(ClusterCapacity cluster, int node)
    {
        ref readonly var n = ref cluster.Node(node);
        if (NodeVersion[node] == n.Version)
            return;
        NodeVersion[node] = n.Version;
        var c = Kinds.Length;
        var row = node * c;
        CountFits(cluster.GpuFreeMilli(node), row);
        for (var m = 0; m < c; m++)
            Term[row + m] = Usable(m, n.ModelId, n.FreeCpuMilli, n.FreeMemoryMib, Fit[row + m]) ? Below[row + m] : n.FreeGpuMilli;
    }
}
