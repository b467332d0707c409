using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

/// <summary>The first, uncached FGD policy, kept word for word as the oracle of <see cref="FgdPolicy"/>: every
/// candidate node is evaluated on every decision (with the per-node, per-kind summaries only).</summary>
/// <remarks><c>FgdDifferentialTests</c> checks that the fast policy chooses exactly the same node and GPUs.</remarks>
internal sealed class FgdReferencePolicy : IPlacementPolicy
{
    /// <summary>The policy's name.</summary>
    public const string PolicyName = "fgd-reference";

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

    /// <summary>An FGD policy against <paramref name="target"/>; null: learn the mix from the requests seen.</summary>
    public FgdReferencePolicy(WorkloadDistribution? target = null)
    {
        _learn = target is null;
        _target = target ?? new WorkloadDistribution();
    }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public Placement? Choose(ClusterCapacity cluster, PlacementRequest request, Func<int, bool>? nodeFilter = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(request);
        if (_learn)
            _target.Observe(request);
        Sync(cluster);
        var mask = cluster.ModelMask(request.AcceptableModels);
        var bestNode = -1;
        var bestGpu = -1;
        var bestDelta = double.MaxValue;
        for (var i = 0; i < cluster.NodeCount; i++)
        {
            if (!cluster.Fits(i, request, mask) || (nodeFilter is not null && !nodeFilter(i)))
                continue;
            Refresh(cluster, i);
            if (request.IsFractional)
            {
                var free = cluster.GpuFreeMilli(i);
                for (var g = 0; g < free.Length; g++)
                {
                    var f = free[g];
                    if (f < request.GpuMilli || SeenBefore(free, g))
                        continue;
                    var delta = Delta(cluster, i, request, f, f - request.GpuMilli, 1);
                    if (delta < bestDelta)
                        (bestDelta, bestNode, bestGpu) = (delta, i, g);
                }
            }
            else
            {
                var delta = Delta(cluster, i, request, PlacementRequest.WholeGpu, 0, request.GpuCount);
                if (delta < bestDelta)
                    (bestDelta, bestNode) = (delta, i);
            }
        }

        if (bestNode < 0)
            return null;
        return request.IsFractional
            ? new Placement(bestNode, request, [bestGpu])
            : new Placement(bestNode, request, cluster.FirstWholeGpus(bestNode, request));
    }

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

    private static bool SeenBefore(ReadOnlySpan<int> free, int g)
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
        // A cluster that gained nodes or models counts as a new one: everything is recomputed.
        if (ReferenceEquals(cluster, _cluster) && _target.Version == _targetVersion
            && cluster.NodeCount == _nodeVersion.Length && cluster.ModelCount == _modelCount)
            return;
        _modelCount = cluster.ModelCount;
        _cluster = cluster;
        _targetVersion = _target.Version;
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
        var size = cluster.NodeCount * classes.Length;
        if (_fit.Length < size)
        {
            _fit = new int[size];
            _below = new int[size];
            _term = new int[size];
        }

        if (_nodeVersion.Length != cluster.NodeCount)
            _nodeVersion = new int[cluster.NodeCount];
        // Versions start at 1 once a node is summarised: 0 marks every row stale.
        Array.Clear(_nodeVersion);
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
