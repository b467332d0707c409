using System.Collections.Immutable;

namespace Gpunet.Core.Scheduling;

/// <summary>The free capacity of every node, as an array of structs plus one flat array of per-GPU free shares.</summary>
/// <remarks>Pure and in-memory. GPU shares in thousandths (1000 = a whole free GPU). Models are interned to small
/// ids so that the filter tests a bit mask; a cluster holds at most 64 distinct GPU models.
/// Not thread-safe.</remarks>
public sealed class ClusterCapacity
{
    private const int MaxModels = 64;

    private readonly NodeCapacity[] _nodes;
    private readonly int[] _gpuFree;
    private readonly string[] _names;
    private readonly List<string> _models = [];
    private readonly Dictionary<string, int> _modelIds = new(StringComparer.Ordinal);

    public ClusterCapacity(IReadOnlyList<NodeSpec> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _nodes = new NodeCapacity[nodes.Count];
        _names = new string[nodes.Count];
        var gpus = 0;
        foreach (var n in nodes)
        {
            n.Validate();
            gpus += n.GpuCount;
        }

        _gpuFree = new int[gpus];
        var offset = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            _names[i] = n.Name;
            var modelId = -1;
            if (n.GpuCount > 0 && !_modelIds.TryGetValue(n.GpuModel, out modelId))
            {
                if (_models.Count == MaxModels)
                    throw new ArgumentException($"a cluster holds at most {MaxModels} GPU models", nameof(nodes));
                modelId = _models.Count;
                _models.Add(n.GpuModel);
                _modelIds.Add(n.GpuModel, modelId);
            }

            _nodes[i] = new NodeCapacity
            {
                FreeCpuMilli = n.CpuMilli,
                FreeMemoryMib = n.MemoryMib,
                TotalCpuMilli = n.CpuMilli,
                TotalMemoryMib = n.MemoryMib,
                GpuOffset = offset,
                GpuCount = n.GpuCount,
                ModelId = modelId,
            };
            _gpuFree.AsSpan(offset, n.GpuCount).Fill(PlacementRequest.WholeGpu);
            offset += n.GpuCount;
            Summarise(i);
            TotalGpuMilli += (long)n.GpuCount * PlacementRequest.WholeGpu;
        }
    }

    /// <summary>Number of nodes; nodes are addressed by index 0..NodeCount-1.</summary>
    public int NodeCount => _nodes.Length;

    /// <summary>GPU thousandths in the whole cluster.</summary>
    public long TotalGpuMilli { get; }

    /// <summary>GPU thousandths now allocated.</summary>
    public long AllocatedGpuMilli { get; private set; }

    /// <summary>Share of the cluster's GPU thousandths now allocated, 0 to 1.</summary>
    public double AllocatedGpuShare => TotalGpuMilli == 0 ? 0 : (double)AllocatedGpuMilli / TotalGpuMilli;

    /// <summary>The node's name.</summary>
    public string Name(int node) => _names[node];

    /// <summary>Free CPU on the node, in millicores.</summary>
    public int FreeCpuMilli(int node) => _nodes[node].FreeCpuMilli;

    /// <summary>Free memory on the node, in MiB.</summary>
    public int FreeMemoryMib(int node) => _nodes[node].FreeMemoryMib;

    /// <summary>The node's GPU model; empty for a node without GPUs.</summary>
    public string GpuModel(int node) => _nodes[node].ModelId < 0 ? "" : _models[_nodes[node].ModelId];

    /// <summary>Free thousandths of each of the node's GPUs, by GPU index.</summary>
    public ReadOnlySpan<int> GpuFreeMilli(int node) => _gpuFree.AsSpan(_nodes[node].GpuOffset, _nodes[node].GpuCount);

    internal ref readonly NodeCapacity Node(int node) => ref _nodes[node];

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
        ref readonly var n = ref _nodes[node];
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
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, NodeCount);
        var r = placement.Request;
        ref var n = ref _nodes[node];
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
        AllocatedGpuMilli += r.TotalGpuMilli;
        Summarise(node);
    }

    /// <summary>Gives the placement's resources back, exactly; throws, changing nothing, when that would exceed
    /// the node's capacity (a placement released twice).</summary>
    public void Release(Placement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        var node = placement.Node;
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, NodeCount);
        var r = placement.Request;
        ref var n = ref _nodes[node];
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
        AllocatedGpuMilli -= r.TotalGpuMilli;
        Summarise(node);
    }

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
    }
}
