using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gpunet.Core.Scheduling;

/// <summary>The choice half of the FGD policies: per node and request shape, the node's score for the shape until
/// the node's version moves, and the scan for the smallest score that passes the filters.</summary>
/// <remarks>A request shape is everything a node's score and fit depend on (CPU, memory, GPU count and share,
/// acceptable models); eight direct-mapped slots of shapes. The cache is a structure of arrays scanned eight versions
/// and four scores at a time: a decision first brings the stale entries up to date, then looks for the smallest score,
/// asking the filter in node order of each node that would win, as a plain loop does. A scorer whose score has a part
/// that is not cached (<see cref="INodeScore.HasExtra"/>) caches a lower bound and completes it only for the nodes that
/// could win; a completed score is cached too, until the node's version or the scorer's
/// <see cref="INodeScore.ExtraVersion"/> moves in a part the score depended on (then the entry falls back to its lower
/// bound), so a node that loses
/// on its completed score is not completed again on every decision. Ties: lowest node index. Not thread-safe.</remarks>
internal sealed class DeltaCache
{
    private const int Slots = 8;
    private const int MaxShapes = 1 << 16;
    // For each 4-bit pattern, a vector whose lane j is all ones where bit j is set.
    private static readonly Vector256<double>[] LaneMasks =
        [.. Enumerable.Range(0, 16).Select(m => Vector256.Create(-(long)(m & 1), -(long)((m >> 1) & 1), -(long)((m >> 2) & 1), -(long)((m >> 3) & 1)).AsDouble())];
    private readonly Slot[] _cache = [.. Enumerable.Range(0, Slots).Select(_ => new Slot())];
    private readonly Dictionary<ShapeKey, int> _shapes = [];
    private int _nextShape = 1;

    /// <summary>Forgets every cached score (the scorer's weights changed).</summary>
    public void Clear()
    {
        foreach (var c in _cache)
            c.Clear();
        _shapes.Clear();
    }

    /// <summary>The node with the smallest score that passes the mask (when <paramref name="masked"/>) and the
    /// filter, lowest index first; -1 when none fits.</summary>
    public int Choose(ClusterCapacity cluster, PlacementRequest request, ulong mask, ReadOnlySpan<ulong> nodeMask, bool masked, Func<int, bool>? nodeFilter, INodeScore score)
    {
        var shape = ShapeId(request, mask);
        var nodes = cluster.NodeCount;
        var slot = SlotFor(shape, nodes);
        Update(cluster, slot, shape, request, mask, score);
        slot.Rebase(score);
        var deltas = slot.Delta.AsSpan(0, nodes);
        var extra = new Completion(cluster, request, score.HasExtra ? score : null, slot.Completed, slot.Depends);
        return masked ? BestMasked(deltas, nodeMask, nodeFilter, extra) : Best(deltas, nodeFilter, extra);
    }

    // The node with the smallest score that passes the filter, lowest index first; -1 when none. Infeasible nodes hold
    // +∞ and never pass; the filter is asked, in node order, only of a node that would win. Four scores at a time: a
    // block none of whose scores beats the best is skipped whole (a cached score is a lower bound of the full one).
    private static int Best(Span<double> deltas, Func<int, bool>? nodeFilter, Completion extra)
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
                    Consider(deltas, j, nodeFilter, extra, ref bestNode, ref bestDelta);
            }
        }

        for (; i < deltas.Length; i++)
            Consider(deltas, i, nodeFilter, extra, ref bestNode, ref bestDelta);

        return bestNode;
    }

    // As Best, among the nodes whose bit is set: 64 nodes skipped per zero word, and within a word four scores at a
    // time, those outside the mask read as +∞.
    private static int BestMasked(Span<double> deltas, ReadOnlySpan<ulong> mask, Func<int, bool>? nodeFilter, Completion extra)
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
                        if (((lanes >> j) & 1) != 0)
                            Consider(deltas, start + b + j, nodeFilter, extra, ref bestNode, ref bestDelta);
                    }
                }

                continue;
            }

            for (; w != 0; w &= w - 1)
            {
                var node = start + BitOperations.TrailingZeroCount(w);
                if (node >= deltas.Length)
                    break;
                Consider(deltas, node, nodeFilter, extra, ref bestNode, ref bestDelta);
            }
        }

        return bestNode;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Consider(Span<double> deltas, int node, Func<int, bool>? nodeFilter, Completion extra, ref int bestNode, ref double bestDelta)
    {
        var d = deltas[node];
        if (d >= bestDelta)
            return;
        if (extra.Score is not null && !extra.Completed[node])
        {
            // The full score is kept in place of the bound: it holds while the node and the extra's weights do.
            (deltas[node], extra.Completed[node]) = (d = extra.Score.Complete(extra.Cluster, node, extra.Request, d, out var depends), true);
            extra.Depends[node] = depends;
            if (d >= bestDelta)
                return;
        }

        if (nodeFilter is null || nodeFilter(node))
            (bestDelta, bestNode) = (d, node);
    }

    // Brings the shape's cached scores up to date: a node's entry is stale when its version moved or another shape
    // sharing the slot wrote it. Eight entries at a time: a block whose versions and shapes all hold is skipped whole.
    private static void Update(ClusterCapacity cluster, Slot slot, int shape, PlacementRequest request, ulong mask, INodeScore score)
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
                        Update(cluster, slot, j, versions[j], shape, request, mask, score);
                }
            }
        }

        for (; i < nodes; i++)
            Update(cluster, slot, i, versions[i], shape, request, mask, score);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(ClusterCapacity cluster, Slot slot, int node, int version, int shape, PlacementRequest request, ulong mask, INodeScore score)
    {
        if (slot.Version[node] == version && slot.Shape[node] == shape)
            return;
        slot.Delta[node] = slot.Bound[node] = score.Evaluate(cluster, node, request, mask);
        (slot.Version[node], slot.Shape[node], slot.Completed[node]) = (version, shape, false);
    }

    // Interns the request's shape (everything a node's score and fit depend on) to a small id, never 0.
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
                foreach (var c in _cache)
                    c.Clear();
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
            slot.Resize(Math.Max(nodes, slot.Version.Length * 2));
        }

        return slot;
    }

    private readonly record struct ShapeKey(int Cpu, int Memory, int Count, int Milli, ulong Mask);

    // What completes a cached lower bound into a node's full score for the request being decided, and which entries
    // already hold their full score; no scorer: the cached score is the full one.
    private readonly record struct Completion(ClusterCapacity Cluster, PlacementRequest Request, INodeScore? Score, bool[] Completed, ulong[] Depends);

    // One direct-mapped slot of the cache, per node: the node's version when its score was computed, the shape
    // it was computed for, the score's cached lower bound, and what the scan reads: the full score once completed
    // (with the parts of the extra it depends on) and still valid under the scorer's extra version `_extraVersion`,
    // else the bound. Version 0 and shape 0 never occur: empty
    // entries are stale.
    private sealed class Slot
    {
        public int[] Version { get; private set; } = [];
        public int[] Shape { get; private set; } = [];
        public double[] Bound { get; private set; } = [];
        public double[] Delta { get; private set; } = [];
        public bool[] Completed { get; private set; } = [];
        public ulong[] Depends { get; private set; } = [];
        private int _extraVersion;

        public void Resize(int size)
        {
            var (version, shape, bound, delta, completed, depends) = (Version, Shape, Bound, Delta, Completed, Depends);
            Array.Resize(ref version, size);
            Array.Resize(ref shape, size);
            Array.Resize(ref bound, size);
            Array.Resize(ref delta, size);
            Array.Resize(ref completed, size);
            Array.Resize(ref depends, size);
            (Version, Shape, Bound, Delta, Completed, Depends) = (version, shape, bound, delta, completed, depends);
        }

        // The extra's weights moved: a completed score that depended on a part that moved is stale, and its bound
        // still holds.
        public void Rebase(INodeScore score)
        {
            var extraVersion = score.ExtraVersion;
            if (extraVersion == _extraVersion)
                return;
            var moved = score.ExtraMovedSince(_extraVersion);
            _extraVersion = extraVersion;
            if (moved == 0)
                return;
            for (var i = 0; i < Completed.Length; i++)
            {
                if (Completed[i] && (Depends[i] & moved) != 0)
                    (Delta[i], Completed[i]) = (Bound[i], false);
            }
        }

        public void Clear()
        {
            Array.Clear(Version);
            Array.Clear(Shape);
            Array.Clear(Completed);
        }
    }
}
