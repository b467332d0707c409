using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
/// Two departures from the simulator, both on the safe side of the hard filters: memory counts alongside CPU when
/// deciding whether a task can run, and a task kind is a GPU shape with its acceptable models, carrying the mean CPU
/// and memory of its requests. Ties: lowest node index, then lowest GPU index. Per node and kind the policy caches how many GPUs fit the
/// kind and the free share below it, so one candidate costs one pass over the kinds; and per node and request shape
/// (CPU, memory, GPU count and share, acceptable models; eight direct-mapped slots) the node's best delta until the
/// node's version moves, so a repeated shape re-evaluates only the nodes that changed. The cache is a structure of
/// arrays scanned eight versions and four deltas at a time: a decision first brings the stale entries up to date, then
/// looks for the smallest delta, asking the filter in node order of each node that would win, as a plain loop does.
/// A decision allocates only its result. Not thread-safe.
/// </remarks>
public sealed class FgdPolicy : IMaskedPlacementPolicy
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
    // Per request shape (direct-mapped into Slots arrays, one entry per node): the node's version when its delta
    // for the shape was computed, the shape, and that delta. Version 0 and shape 0 never occur: empty entries are stale.
    private const int Slots = 8;
    // For each 4-bit pattern, a vector whose lane j is all ones where bit j is set.
    private static readonly Vector256<double>[] LaneMasks =
        [.. Enumerable.Range(0, 16).Select(m => Vector256.Create(-(long)(m & 1), -(long)((m >> 1) & 1), -(long)((m >> 2) & 1), -(long)((m >> 3) & 1)).AsDouble())];
    private const int MaxShapes = 1 << 16;
    private readonly Slot[] _cache = [.. Enumerable.Range(0, Slots).Select(_ => new Slot())];
    private readonly Dictionary<ShapeKey, int> _shapes = [];
    private int _nextShape = 1;

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
        var shape = ShapeId(request, mask);
        var nodes = cluster.NodeCount;
        var slot = SlotFor(shape, nodes);
        Update(cluster, slot, shape, request, mask);
        var deltas = slot.Delta.AsSpan(0, nodes);
        var bestNode = masked ? BestMasked(deltas, nodeMask, nodeFilter) : Best(deltas, nodeFilter);
        if (bestNode < 0)
            return null;
        return request.IsFractional
            ? new Placement(bestNode, request, [BestGpu(cluster, bestNode, request)])
            : new Placement(bestNode, request, cluster.FirstWholeGpus(bestNode, request));
    }

    // The node with the smallest delta that passes the filter, lowest index first; -1 when none. Infeasible nodes hold
    // +∞ and never pass; the filter is asked, in node order, only of a node that would win. Four deltas at a time: a
    // block none of whose deltas beats the best is skipped whole.
    private static int Best(ReadOnlySpan<double> deltas, Func<int, bool>? nodeFilter)
    {
        var (bestNode, bestDelta) = (-1, double.MaxValue);
        ref var d0 = ref MemoryMarshal.GetReference(deltas);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<double>.Count <= deltas.Length; i += Vector256<double>.Count)
            {
                if (!Vector256.LessThanAny(Vector256.LoadUnsafe(ref d0, (nuint)i), Vector256.Create(bestDelta)))
                    continue;
                for (var j = i; j < i + Vector256<double>.Count; j++)
                {
                    if (deltas[j] < bestDelta && (nodeFilter is null || nodeFilter(j)))
                        (bestDelta, bestNode) = (deltas[j], j);
                }
            }
        }

        for (; i < deltas.Length; i++)
        {
            if (deltas[i] < bestDelta && (nodeFilter is null || nodeFilter(i)))
                (bestDelta, bestNode) = (deltas[i], i);
        }

        return bestNode;
    }

    // As Best, among the nodes whose bit is set: 64 nodes skipped per zero word, and within a word four deltas at a
    // time, those outside the mask read as +∞.
    private static int BestMasked(ReadOnlySpan<double> deltas, ReadOnlySpan<ulong> mask, Func<int, bool>? nodeFilter)
    {
        var (bestNode, bestDelta) = (-1, double.MaxValue);
        ref var d0 = ref MemoryMarshal.GetReference(deltas);
        var words = Math.Min(mask.Length, (deltas.Length + 63) >> 6);
        var infinity = Vector256.Create(double.PositiveInfinity);
        for (var k = 0; k < words; k++)
        {
            var w = mask[k];
            var start = k << 6;
            if (w == 0)
                continue;
            if (Vector256.IsHardwareAccelerated && start + 64 <= deltas.Length)
            {
                for (var b = 0; b < 64; b += 4)
                {
                    var lanes = (int)((w >> b) & 15);
                    if (lanes == 0)
                        continue;
                    var block = Vector256.ConditionalSelect(LaneMasks[lanes], Vector256.LoadUnsafe(ref d0, (nuint)(start + b)), infinity);
                    if (!Vector256.LessThanAny(block, Vector256.Create(bestDelta)))
                        continue;
                    for (var j = 0; j < 4; j++)
                    {
                        var node = start + b + j;
                        if (((lanes >> j) & 1) != 0 && deltas[node] < bestDelta && (nodeFilter is null || nodeFilter(node)))
                            (bestDelta, bestNode) = (deltas[node], node);
                    }
                }

                continue;
            }

            for (; w != 0; w &= w - 1)
            {
                var node = start + BitOperations.TrailingZeroCount(w);
                if (node >= deltas.Length)
                    break;
                if (deltas[node] < bestDelta && (nodeFilter is null || nodeFilter(node)))
                    (bestDelta, bestNode) = (deltas[node], node);
            }
        }

        return bestNode;
    }

    // Brings the shape's cached deltas up to date: a node's entry is stale when its version moved or another shape
    // sharing the slot wrote it. Eight entries at a time: a block whose versions and shapes all hold is skipped whole.
    private void Update(ClusterCapacity cluster, Slot slot, int shape, PlacementRequest request, ulong mask)
    {
        var versions = cluster.Versions;
        var nodes = versions.Length;
        var cached = slot.Version.AsSpan(0, nodes);
        var shapes = slot.Shape.AsSpan(0, nodes);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var v0 = ref MemoryMarshal.GetReference(versions);
            ref var c0 = ref MemoryMarshal.GetReference(cached);
            ref var s0 = ref MemoryMarshal.GetReference(shapes);
            var shapeVector = Vector256.Create(shape);
            for (; i + Vector256<int>.Count <= nodes; i += Vector256<int>.Count)
            {
                var same = Vector256.Equals(Vector256.LoadUnsafe(ref v0, (nuint)i), Vector256.LoadUnsafe(ref c0, (nuint)i))
                    & Vector256.Equals(Vector256.LoadUnsafe(ref s0, (nuint)i), shapeVector);
                if (same != Vector256<int>.AllBitsSet)
                {
                    for (var j = i; j < i + Vector256<int>.Count; j++)
                        Update(cluster, slot, j, versions[j], shape, request, mask);
                }
            }
        }

        for (; i < nodes; i++)
            Update(cluster, slot, i, versions[i], shape, request, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Update(ClusterCapacity cluster, Slot slot, int node, int version, int shape, PlacementRequest request, ulong mask)
    {
        if (slot.Version[node] == version && slot.Shape[node] == shape)
            return;
        slot.Delta[node] = Evaluate(cluster, node, request, mask);
        (slot.Version[node], slot.Shape[node]) = (version, shape);
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
        ClearCache();
        _shapes.Clear();
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

    // Interns the request's shape (everything a node's delta and fit depend on) to a small id, never 0.
    private int ShapeId(PlacementRequest request, ulong mask)
    {
        var key = new ShapeKey(request.CpuMilli, request.MemoryMib, request.GpuCount, request.GpuMilli, mask);
        if (_shapes.TryGetValue(key, out var id))
            return id;
        if (_shapes.Count >= MaxShapes || _nextShape == int.MaxValue)
        {
            // Forget the shapes seen; ids are never reused, so the old entries simply stop matching.
            _shapes.Clear();
            if (_nextShape == int.MaxValue)
            {
                ClearCache();
                _nextShape = 1;
            }
        }

        id = _nextShape++;
        _shapes.Add(key, id);
        return id;
    }

    private Slot SlotFor(int shape, int nodes)
    {
        var slot = _cache[shape & (Slots - 1)];
        if (slot.Version.Length < nodes)
        {
            // New nodes get empty (stale) entries; the others keep theirs, valid while their versions hold.
            var size = Math.Max(nodes, slot.Version.Length * 2);
            slot.Resize(size);
        }

        return slot;
    }

    private void ClearCache()
    {
        foreach (var c in _cache)
            c.Clear();
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

    private readonly record struct ShapeKey(int Cpu, int Memory, int Count, int Milli, ulong Mask);

    // One direct-mapped slot of the delta cache, per node: the node's version when its delta was computed, the shape
    // it was computed for, and the delta.
    private sealed class Slot
    {
        public int[] Version { get; private set; } = [];
        public int[] Shape { get; private set; } = [];
        public double[] Delta { get; private set; } = [];

        public void Resize(int size)
        {
            var (version, shape, delta) = (Version, Shape, Delta);
            Array.Resize(ref version, size);
            Array.Resize(ref shape, size);
            Array.Resize(ref delta, size);
            (Version, Shape, Delta) = (version, shape, delta);
        }

        public void Clear()
        {
            Array.Clear(Version);
            Array.Clear(Shape);
        }
    }
}
