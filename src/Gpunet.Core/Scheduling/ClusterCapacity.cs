using System.Collections.Immutable;

namespace Gpunet.Core.Scheduling;

/// <summary>The free capacity of every node, as an array of structs plus one flat array of per-GPU free shares.</summary>
/// <remarks>Pure and in-memory. GPU shares in thousandths (1000 = a whole free GPU). Models are interned to small
/// ids so that the filter tests a bit mask; a cluster holds at most 64 distinct GPU models. Nodes come at
/// construction or later with <see cref="AddNode"/> and are never removed; their names are unique.
/// Not thread-safe.</remarks>
public sealed class ClusterCapacity
{
    private const int MaxModels = 64;

    // The last JournalSize nodes whose free capacity changed, oldest overwritten; a power of two.
    private const int JournalSize = 4096;

    private NodeCapacity[] _nodes;
    // Every node's Version again, contiguous, for scans that only ask what changed.
    private int[] _versions;
    private int[] _gpuFree;
    private string[] _names;
    private int _nodeCount;
    private int _gpuCount;
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly List<string> _models = [];
    private readonly Dictionary<string, int> _modelIds = new(StringComparer.Ordinal);
    private readonly int[] _journal = new int[JournalSize];
    private long _totalCpu;
    private long _freeCpu;
    private long _totalMemory;
    private long _freeMemory;

    /// <summary>A cluster of <paramref name="nodes"/>, all free, indexed in list order.</summary>
    /// <exception cref="ArgumentException">A node is invalid, two share a name, or there are over 64 GPU models.</exception>
    public ClusterCapacity(IReadOnlyList<NodeSpec> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var gpus = 0;
        foreach (var n in nodes)
        {
            ArgumentNullException.ThrowIfNull(n, nameof(nodes));
            n.Validate();
            gpus += n.GpuCount;
        }

        _nodes = new NodeCapacity[nodes.Count];
        _versions = new int[nodes.Count];
        _names = new string[nodes.Count];
        _gpuFree = new int[gpus];
        foreach (var n in nodes)
            AddNode(n);
    }

    /// <summary>An empty cluster; nodes come with <see cref="AddNode"/>.</summary>
    public ClusterCapacity()
        : this([])
    {
    }

    /// <summary>Number of nodes; nodes are addressed by index 0..NodeCount-1.</summary>
    public int NodeCount => _nodeCount;

    /// <summary>Number of distinct GPU models interned so far; grows when a node brings a new model.</summary>
    internal int ModelCount => _models.Count;

    /// <summary>GPU thousandths in the whole cluster.</summary>
    public long TotalGpuMilli { get; private set; }

    /// <summary>GPU thousandths now allocated.</summary>
    public long AllocatedGpuMilli { get; private set; }

    /// <summary>CPU millicores and memory MiB of the whole cluster, and how much of each is now allocated.</summary>
    internal (long CpuMilli, long MemoryMib, long AllocatedCpuMilli, long AllocatedMemoryMib) HostResources =>
        (_totalCpu, _totalMemory, _totalCpu - _freeCpu, _totalMemory - _freeMemory);

    /// <summary>Share of the cluster's GPU thousandths now allocated, 0 to 1.</summary>
    public double AllocatedGpuShare => TotalGpuMilli == 0 ? 0 : (double)AllocatedGpuMilli / TotalGpuMilli;

    /// <summary>The node's name.</summary>
    public string Name(int node)
    {
        At(node);
        return _names[node];
    }

    /// <summary>Free CPU on the node, in millicores.</summary>
    public int FreeCpuMilli(int node) => At(node).FreeCpuMilli;

    /// <summary>Free memory on the node, in MiB.</summary>
    public int FreeMemoryMib(int node) => At(node).FreeMemoryMib;

    /// <summary>The node's GPU model; empty for a node without GPUs.</summary>
    public string GpuModel(int node) => At(node).ModelId is var id && id < 0 ? "" : _models[id];

    /// <summary>Free thousandths of each of the node's GPUs, by GPU index.</summary>
    public ReadOnlySpan<int> GpuFreeMilli(int node)
    {
        ref readonly var n = ref At(node);
        return _gpuFree.AsSpan(n.GpuOffset, n.GpuCount);
    }

    internal ref readonly NodeCapacity Node(int node) => ref At(node);

    /// <summary>Every node's <see cref="Version(int)"/>, by node index.</summary>
    internal ReadOnlySpan<int> Versions => _versions.AsSpan(0, _nodeCount);

    /// <summary>How many times a node's free capacity has changed in all (allocate, release, set, add): a cursor
    /// for <see cref="TryChangedSince"/>.</summary>
    internal long Changes { get; private set; }

    /// <summary>The nodes changed since the cursor <paramref name="since"/> (a past <see cref="Changes"/>), oldest
    /// first, a node once per change; false when the journal no longer reaches back that far.</summary>
    internal bool TryChangedSince(long since, List<int> changed)
    {
        if (since < 0 || since > Changes || Changes - since > JournalSize)
            return false;
        for (var c = since; c < Changes; c++)
            changed.Add(_journal[(int)(c & (JournalSize - 1))]);
        return true;
    }

    /// <summary>Bit mask of the cluster's model ids among <paramref name="models"/>; all bits when the list is empty.</summary>
    public ulong ModelMask(IReadOnlyList<string> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0)
            return ulong.MaxValue;
        var mask = 0UL;
        foreach (var m in models)
        {
            if (_modelIds.TryGetValue(m, out var id))
                mask |= 1UL << id;
        }

        return mask;
    }

    /// <summary>The hard filters: enough free CPU and memory, and enough GPUs of an acceptable model with enough
    /// free share. <paramref name="modelMask"/> comes from <see cref="ModelMask"/>.</summary>
    public bool Fits(int node, PlacementRequest request, ulong modelMask)
    {
        ref readonly var n = ref At(node);
        if (n.FreeCpuMilli < request.CpuMilli || n.FreeMemoryMib < request.MemoryMib)
            return false;
        if (request.GpuCount == 0)
            return true;
        if (n.ModelId < 0 || (modelMask & (1UL << n.ModelId)) == 0)
            return false;
        return request.GpuMilli == PlacementRequest.WholeGpu
            ? n.FullFreeGpus >= request.GpuCount
            : n.MaxFreeMilli >= request.GpuMilli;
    }

    /// <summary>The first <c>request.GpuCount</c> wholly free GPUs of a node that fits a whole-GPU request
    /// (or none for a CPU-only request).</summary>
    public ImmutableArray<int> FirstWholeGpus(int node, PlacementRequest request)
    {
        if (request.GpuCount == 0)
            return [];
        var free = GpuFreeMilli(node);
        var builder = ImmutableArray.CreateBuilder<int>(request.GpuCount);
        for (var g = 0; g < free.Length && builder.Count < request.GpuCount; g++)
        {
            if (free[g] == PlacementRequest.WholeGpu)
                builder.Add(g);
        }

        if (builder.Count != request.GpuCount)
            throw new InvalidOperationException($"node {node} has fewer than {request.GpuCount} free GPUs");
        return builder.MoveToImmutable();
    }

    /// <summary>Takes the placement's resources; throws, changing nothing, when they are not free.</summary>
    public void Allocate(Placement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        var node = placement.Node;
        var r = placement.Request;
        ref var n = ref At(node);
        if (n.FreeCpuMilli < r.CpuMilli || n.FreeMemoryMib < r.MemoryMib)
            throw new InvalidOperationException($"node {node} lacks the CPU or memory");
        CheckGpus(placement, n.GpuCount);
        if (r.GpuCount > 0 && (n.ModelId < 0 || (ModelMask(r.AcceptableModels) & (1UL << n.ModelId)) == 0))
            throw new InvalidOperationException($"node {node}'s GPU model is not acceptable");
        var free = _gpuFree.AsSpan(n.GpuOffset, n.GpuCount);
        foreach (var g in placement.Gpus)
        {
            if (free[g] < r.GpuMilli)
                throw new InvalidOperationException($"GPU {g} of node {node} has only {free[g]} thousandths free");
        }

        foreach (var g in placement.Gpus)
            free[g] -= r.GpuMilli;
        n.FreeCpuMilli -= r.CpuMilli;
        n.FreeMemoryMib -= r.MemoryMib;
        (_freeCpu, _freeMemory) = (_freeCpu - r.CpuMilli, _freeMemory - r.MemoryMib);
        AllocatedGpuMilli += r.TotalGpuMilli;
        Summarise(node);
    }

    /// <summary>Gives the placement's resources back, exactly; throws, changing nothing, when that would exceed
    /// the node's capacity (a placement released twice).</summary>
    public void Release(Placement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        var node = placement.Node;
        var r = placement.Request;
        ref var n = ref At(node);
        if (n.FreeCpuMilli + r.CpuMilli > n.TotalCpuMilli || n.FreeMemoryMib + r.MemoryMib > n.TotalMemoryMib)
            throw new InvalidOperationException($"releasing on node {node} would exceed its CPU or memory");
        CheckGpus(placement, n.GpuCount);
        var free = _gpuFree.AsSpan(n.GpuOffset, n.GpuCount);
        foreach (var g in placement.Gpus)
        {
            if (free[g] + r.GpuMilli > PlacementRequest.WholeGpu)
                throw new InvalidOperationException($"releasing GPU {g} of node {node} would exceed a whole GPU");
        }

        foreach (var g in placement.Gpus)
            free[g] += r.GpuMilli;
        n.FreeCpuMilli += r.CpuMilli;
        n.FreeMemoryMib += r.MemoryMib;
        (_freeCpu, _freeMemory) = (_freeCpu + r.CpuMilli, _freeMemory + r.MemoryMib);
        AllocatedGpuMilli -= r.TotalGpuMilli;
        Summarise(node);
    }

    /// <summary>Adds a node, all free, and returns its index (the <see cref="NodeCount"/> before the call).</summary>
    /// <remarks>Storage grows by doubling, so adding n nodes one by one costs O(n) in all.</remarks>
    /// <exception cref="ArgumentException">The node is invalid, its name is taken, or it brings a 65th GPU model;
    /// the cluster is then unchanged.</exception>
    public int AddNode(NodeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        if (_byName.ContainsKey(spec.Name))
            throw new ArgumentException($"a node named '{spec.Name}' is already in the cluster", nameof(spec));
        var modelId = -1;
        if (spec.GpuCount > 0 && !_modelIds.TryGetValue(spec.GpuModel, out modelId))
        {
            if (_models.Count == MaxModels)
                throw new ArgumentException($"a cluster holds at most {MaxModels} GPU models", nameof(spec));
            modelId = _models.Count;
            _models.Add(spec.GpuModel);
            _modelIds.Add(spec.GpuModel, modelId);
        }

        var node = _nodeCount;
        if (node == _nodes.Length)
        {
            var size = Math.Max(4, node * 2);
            Array.Resize(ref _nodes, size);
            Array.Resize(ref _versions, size);
            Array.Resize(ref _names, size);
        }

        var offset = _gpuCount;
        if (offset + spec.GpuCount > _gpuFree.Length)
            Array.Resize(ref _gpuFree, Math.Max(offset + spec.GpuCount, _gpuFree.Length * 2));
        _names[node] = spec.Name;
        _byName.Add(spec.Name, node);
        _nodes[node] = new NodeCapacity
        {
            FreeCpuMilli = spec.CpuMilli,
            FreeMemoryMib = spec.MemoryMib,
            TotalCpuMilli = spec.CpuMilli,
            TotalMemoryMib = spec.MemoryMib,
            GpuOffset = offset,
            GpuCount = spec.GpuCount,
            ModelId = modelId,
        };
        _gpuFree.AsSpan(offset, spec.GpuCount).Fill(PlacementRequest.WholeGpu);
        _gpuCount += spec.GpuCount;
        _nodeCount++;
        TotalGpuMilli += (long)spec.GpuCount * PlacementRequest.WholeGpu;
        (_totalCpu, _freeCpu, _totalMemory, _freeMemory) = (_totalCpu + spec.CpuMilli, _freeCpu + spec.CpuMilli, _totalMemory + spec.MemoryMib, _freeMemory + spec.MemoryMib);
        Summarise(node);
        return node;
    }

    /// <summary>The index of the node named <paramref name="name"/>.</summary>
    public bool TryGetNode(string name, out int node)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out node);
    }

    /// <summary>Overwrites the node's free capacity, e.g. with what the store holds after another coordinator
    /// changed the node. CPU in millicores, memory in MiB, one free share per GPU in thousandths.</summary>
    /// <exception cref="ArgumentException">A figure is negative or above the node's total, or
    /// <paramref name="gpuFreeMilli"/> does not have one entry per GPU of the node; the cluster is then unchanged.</exception>
    public void SetFree(int node, int freeCpuMilli, int freeMemoryMib, ReadOnlySpan<int> gpuFreeMilli)
    {
        ref var n = ref At(node);
        if (freeCpuMilli < 0 || freeCpuMilli > n.TotalCpuMilli)
            throw new ArgumentException($"node {node}: free CPU {freeCpuMilli} is outside 0..{n.TotalCpuMilli}", nameof(freeCpuMilli));
        if (freeMemoryMib < 0 || freeMemoryMib > n.TotalMemoryMib)
            throw new ArgumentException($"node {node}: free memory {freeMemoryMib} is outside 0..{n.TotalMemoryMib}", nameof(freeMemoryMib));
        if (gpuFreeMilli.Length != n.GpuCount)
            throw new ArgumentException($"node {node} has {n.GpuCount} GPUs, not {gpuFreeMilli.Length}", nameof(gpuFreeMilli));
        foreach (var f in gpuFreeMilli)
        {
            if (f is < 0 or > PlacementRequest.WholeGpu)
                throw new ArgumentException($"node {node}: a GPU's free share {f} is outside 0..{PlacementRequest.WholeGpu}", nameof(gpuFreeMilli));
        }

        AllocatedGpuMilli += n.FreeGpuMilli;
        gpuFreeMilli.CopyTo(_gpuFree.AsSpan(n.GpuOffset, n.GpuCount));
        (_freeCpu, _freeMemory) = (_freeCpu + freeCpuMilli - n.FreeCpuMilli, _freeMemory + freeMemoryMib - n.FreeMemoryMib);
        n.FreeCpuMilli = freeCpuMilli;
        n.FreeMemoryMib = freeMemoryMib;
        Summarise(node);
        AllocatedGpuMilli -= n.FreeGpuMilli;
    }

    /// <summary>A number that changes whenever the node's free capacity changes (allocate, release, set).</summary>
    public int Version(int node) => At(node).Version;

    private static void CheckGpus(Placement placement, int gpuCount)
    {
        var gpus = placement.Gpus;
        if (gpus.Length != placement.Request.GpuCount)
            throw new InvalidOperationException($"the placement names {gpus.Length} GPUs for a request of {placement.Request.GpuCount}");
        for (var i = 0; i < gpus.Length; i++)
        {
            if (gpus[i] < 0 || gpus[i] >= gpuCount)
                throw new InvalidOperationException($"GPU {gpus[i]} is not on node {placement.Node}");
            for (var j = 0; j < i; j++)
            {
                if (gpus[j] == gpus[i])
                    throw new InvalidOperationException($"GPU {gpus[i]} named twice");
            }
        }
    }

    // The node's entry; throws for an index outside 0..NodeCount-1 (the arrays have spare room past it).
    private ref NodeCapacity At(int node)
    {
        if ((uint)node >= (uint)_nodeCount)
            throw new ArgumentOutOfRangeException(nameof(node), node, $"the cluster has {_nodeCount} nodes");
        return ref _nodes[node];
    }

    private void Summarise(int node)
    {
        ref var n = ref _nodes[node];
        int full = 0, max = 0, sum = 0;
        foreach (var f in _gpuFree.AsSpan(n.GpuOffset, n.GpuCount))
        {
            if (f == PlacementRequest.WholeGpu)
                full++;
            max = Math.Max(max, f);
            sum += f;
        }

        n.FullFreeGpus = full;
        n.MaxFreeMilli = max;
        n.FreeGpuMilli = sum;
        n.Version++;
        _versions[node] = n.Version;
        _journal[(int)(Changes & (JournalSize - 1))] = node;
        Changes++;
    }
}
