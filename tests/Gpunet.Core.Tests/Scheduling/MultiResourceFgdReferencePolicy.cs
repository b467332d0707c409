using System.Collections.Immutable;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

/// <summary>The plain form of <see cref="MultiResourceFgdPolicy"/>, the oracle of its differential test: every
/// decision works out the kinds, every node's homes, the binding resource and each node's and GPU's score from the
/// cluster as it is, with no cache and no journal.</summary>
internal sealed class MultiResourceFgdReferencePolicy(WorkloadDistribution? target, bool learn) : IPlacementPolicy
{
    private const double GpuBoundBestFit = 10;
    private const double HostBoundBestFit = 10_000;
    private readonly WorkloadDistribution _target = target ?? new WorkloadDistribution(MultiResourceFgdPolicy.DefaultHalfLife, byCpu: true);
    private TaskClass[] _kinds = [];
    private ulong[] _masks = [];
    private double[] _cost = [];
    private double _cpuOnly;
    private double _bestFit;

    public string Name => "fgd-mr-reference";

    public Placement? Choose(ClusterCapacity cluster, PlacementRequest request, Func<int, bool>? nodeFilter = null)
    {
        if (learn)
            _target.Observe(request);
        _kinds = _target.Classes.ToArray();
        _cpuOnly = _target.CpuOnlyWeight;
        _masks = [.. _kinds.Select(k => cluster.ModelMask(k.Models))];
        Costs(cluster);
        var mask = cluster.ModelMask(request.AcceptableModels);
        var (bestNode, bestScore, bestGpus) = (-1, double.MaxValue, ImmutableArray<int>.Empty);
        for (var node = 0; node < cluster.NodeCount; node++)
        {
            if (!cluster.Fits(node, request, mask))
                continue;
            var bestFit = _bestFit * BestFitPolicy.Score(cluster, node, request);
            var costly = _cost.Any(c => c > 0);
            double score;
            ImmutableArray<int> gpus;
            if (!request.IsFractional)
            {
                gpus = cluster.FirstWholeGpus(node, request);
                var after = cluster.GpuFreeMilli(node).ToArray();
                foreach (var g in gpus)
                    after[g] = 0;
                score = Delta(cluster, node, request, after, costs: false) + bestFit;
                if (costly)
                    score += Delta(cluster, node, request, after, costs: true);
            }
            else
            {
                var (gpu, best) = (-1, double.PositiveInfinity);
                var free = cluster.GpuFreeMilli(node).ToArray();
                for (var g = 0; g < free.Length; g++)
                {
                    if (free[g] < request.GpuMilli)
                        continue;
                    var after = free.ToArray();
                    after[g] -= request.GpuMilli;
                    var d = Delta(cluster, node, request, after, costs: false) + (costly ? Delta(cluster, node, request, after, costs: true) : 0);
                    if (d < best)
                        (best, gpu) = (d, g);
                }

                score = best + bestFit;
                gpus = [gpu];
            }

            if (score < bestScore && (nodeFilter is null || nodeFilter(node)))
                (bestNode, bestScore, bestGpus) = (node, score, gpus);
        }

        return bestNode < 0 ? null : new Placement(bestNode, request, bestGpus);
    }

    private void Costs(ClusterCapacity cluster)
    {
        var (cpu, memory, usedCpu, usedMemory) = cluster.HostResources;
        var hostBound = Math.Max(Share(usedCpu, cpu), Share(usedMemory, memory)) > cluster.AllocatedGpuShare + MultiResourceFgdPolicy.HostBoundLead;
        _bestFit = hostBound ? HostBoundBestFit : GpuBoundBestFit;
        var meanGpu = 0.0;
        foreach (var k in _kinds)
            meanGpu += k.Weight * k.GpuCount * k.GpuMilli;
        var toCome = meanGpu > 0 ? (cluster.TotalGpuMilli - cluster.AllocatedGpuMilli) / meanGpu : 0;
        _cost = new double[_kinds.Length];
        for (var m = 0; m < _kinds.Length; m++)
        {
            var homes = Enumerable.Range(0, cluster.NodeCount).Count(n =>
                Term(cluster, n, m, cluster.GpuFreeMilli(n), cluster.FreeCpuMilli(n), cluster.FreeMemoryMib(n)) < cluster.GpuFreeMilli(n).ToArray().Sum());
            _cost[m] = HomeScarcity.Cost(_kinds[m].Weight, (long)_kinds[m].GpuCount * _kinds[m].GpuMilli, homes, toCome);
        }
    }

    private static double Share(long used, long total) => total == 0 ? 0 : (double)used / total;

    // Change in expected fragmentation from the node now to the node with `after` free shares and the request's CPU
    // and memory taken; with `costs`, the cost of the homes that go instead.
    private double Delta(ClusterCapacity cluster, int node, PlacementRequest request, int[] after, bool costs)
    {
        var before = cluster.GpuFreeMilli(node).ToArray();
        var (cpu, mem) = (cluster.FreeCpuMilli(node), cluster.FreeMemoryMib(node));
        var delta = costs ? 0 : -_cpuOnly * request.TotalGpuMilli;
        for (var m = 0; m < _kinds.Length; m++)
        {
            if (costs && _cost[m] == 0)
                continue;
            var termBefore = Term(cluster, node, m, before, cpu, mem);
            var termAfter = Term(cluster, node, m, after, cpu - request.CpuMilli, mem - request.MemoryMib);
            if (costs)
            {
                if (termBefore < before.Sum() && termAfter >= after.Sum())
                    delta += _cost[m];
                continue;
            }

            if (termAfter != termBefore)
                delta += _kinds[m].Weight * (termAfter - termBefore);
        }

        return delta;
    }

    // Free share on the node that kind m cannot use: all of it unless the model is right and enough GPUs fit; else the
    // share of the GPUs too small for it, plus what the tasks its CPU and memory can hold leave unused.
    private int Term(ClusterCapacity cluster, int node, int m, ReadOnlySpan<int> free, int cpu, int mem)
    {
        var k = _kinds[m];
        int total = 0, fit = 0, below = 0;
        foreach (var f in free)
        {
            total += f;
            if (f >= k.GpuMilli)
                fit++;
            else
                below += f;
        }

        var model = cluster.GpuModel(node);
        if (fit < k.GpuCount || model.Length == 0 || (_masks[m] & cluster.ModelMask([model])) == 0)
            return total;
        var tasks = (long)int.MaxValue;
        if (k.CpuMilli > 0)
            tasks = cpu / k.CpuMilli;
        if (k.MemoryMib > 0)
            tasks = Math.Min(tasks, mem / k.MemoryMib);
        return tasks <= 0 ? total : total - (int)Math.Min(total - below, tasks * k.GpuCount * PlacementRequest.WholeGpu);
    }
}
