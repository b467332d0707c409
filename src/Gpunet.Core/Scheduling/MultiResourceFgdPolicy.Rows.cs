namespace Gpunet.Core.Scheduling;

/// <summary>The per-decision state of <see cref="MultiResourceFgdPolicy"/>: every node's row, the homes of each kind,
/// their costs, and which resource binds.</summary>
public sealed partial class MultiResourceFgdPolicy
{
    /// <summary>Nodes on which tasks of the target's kinds can run now, by kind (for tests).</summary>
    internal ReadOnlySpan<int> Homes => _homes;

    // Every row is to be made again (new cluster or kinds): count the homes from scratch, every row now.
    private protected override void RowsCleared(ClusterCapacity cluster)
    {
        var k = Kinds.Length;
        (_homes, _cost, _costMoved) = (new int[k], new double[k], new int[k]);
        _costVersion++;
        Array.Fill(_costMoved, _costVersion);
        for (var node = 0; node < cluster.NodeCount; node++)
            Refresh(cluster, node);
        _cursor = cluster.Changes;
    }

    private protected override void RowsGrown(int rows) => Array.Resize(ref _rowFree, rows);

    // Brings the rows of the nodes changed since the last decision up to date (so the homes are exact), then works
    // out which resource binds and what each kind's homes cost now.
    private protected override void Prepare(ClusterCapacity cluster)
    {
        _changed.Clear();
        if (cluster.TryChangedSince(_cursor, _changed))
        {
            foreach (var node in _changed)
                Refresh(cluster, node);
        }
        else
        {
            for (var node = 0; node < cluster.NodeCount; node++)
                Refresh(cluster, node);
        }

        _cursor = cluster.Changes;
        var (cpu, memory, usedCpu, usedMemory) = cluster.HostResources;
        var hostBound = Math.Max(Share(usedCpu, cpu), Share(usedMemory, memory)) > cluster.AllocatedGpuShare + HostBoundLead;
        if (hostBound != _hostBound)
        {
            // Every cached score carries best-fit's weight: a new weight makes them all stale.
            (_hostBound, _bestFitWeight) = (hostBound, hostBound ? HostBoundBestFit : GpuBoundBestFit);
            Cache.Clear();
        }

        var (count, milli, weight) = (Kinds.Count, Kinds.Milli, Kinds.Weight);
        var meanGpu = 0.0;
        for (var m = 0; m < weight.Length; m++)
            meanGpu += weight[m] * count[m] * milli[m];
        var toCome = meanGpu > 0 ? (cluster.TotalGpuMilli - cluster.AllocatedGpuMilli) / meanGpu : 0;
        _costly = false;
        var version = _costVersion + 1;
        for (var m = 0; m < weight.Length; m++)
        {
            var cost = HomeScarcity.Cost(weight[m], (long)count[m] * milli[m], _homes[m], toCome);
            if (cost != _cost[m])
                (_cost[m], _costMoved[m], _costVersion) = (cost, version, version);
            _costly |= cost > 0;
        }
    }

    private static double Share(long used, long total) => total == 0 ? 0 : (double)used / total;

    private protected override void Refresh(ClusterCapacity cluster, int node)
    {
        ref readonly var n = ref cluster.Node(node);
        if (NodeVersion[node] == n.Version)
            return;
        var c = Kinds.Length;
        var row = node * c;
        var term = Term;
        if (NodeVersion[node] != 0)
        {
            for (var m = 0; m < c; m++)
                _homes[m] -= term[row + m] < _rowFree[node] ? 1 : 0;
        }

        (NodeVersion[node], _rowFree[node]) = (n.Version, n.FreeGpuMilli);
        CountFits(cluster.GpuFreeMilli(node), row);
        for (var m = 0; m < c; m++)
        {
            term[row + m] = TermOf(m, n.ModelId, n.FreeCpuMilli, n.FreeMemoryMib, Fit[row + m], Below[row + m], n.FreeGpuMilli);
            _homes[m] += term[row + m] < n.FreeGpuMilli ? 1 : 0;
        }
    }
}
