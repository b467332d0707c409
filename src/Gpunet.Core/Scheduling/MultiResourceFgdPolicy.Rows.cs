namespace Gpunet.Core.Scheduling;

/// <summary>The per-decision state of <see cref="MultiResourceFgdPolicy"/>: the target's kinds, every node's row,
/// the homes of each kind, their costs, and which resource binds.</summary>
public sealed partial class MultiResourceFgdPolicy
{
    /// <summary>The node's expected fragmentation now, in GPU thousandths (for tests and reports).</summary>
    public double Fragmentation(ClusterCapacity cluster, int node)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        Sync(cluster);
        Prepare(cluster);
        var c = _weight.Length;
        var frag = _cpuOnlyWeight * cluster.Node(node).FreeGpuMilli;
        for (var m = 0; m < c; m++)
            frag += _weight[m] * _term[(node * c) + m];
        return frag;
    }

    /// <summary>Nodes on which tasks of the target's kinds can run now, by kind (for tests).</summary>
    internal ReadOnlySpan<int> Homes => _homes;

    // Rebuilds the kinds and every row when the cluster, the target's weights or the cluster's models changed.
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
        _modelCount = cluster.ModelCount;
        var classes = _target.Classes;
        var k = classes.Length;
        (_count, _milli, _cpu, _memory, _mask, _weight) = (new int[k], new int[k], new int[k], new int[k], new ulong[k], new double[k]);
        (_homes, _cost) = (new int[k], new double[k]);
        _costVersion++;
        for (var m = 0; m < k; m++)
        {
            var t = classes[m];
            (_count[m], _milli[m], _cpu[m], _memory[m], _weight[m]) = (t.GpuCount, t.GpuMilli, t.CpuMilli, t.MemoryMib, t.Weight);
            _mask[m] = cluster.ModelMask(t.Models);
        }

        _cpuOnlyWeight = _target.CpuOnlyWeight;
        var rows = Math.Max(_nodeVersion.Length, cluster.NodeCount);
        if (_nodeVersion.Length < rows)
            (_nodeVersion, _rowFree) = (new int[rows], new int[rows]);
        if (_fit.Length < rows * k)
            (_fit, _below, _term) = (new int[rows * k], new int[rows * k], new int[rows * k]);
        // Version 0 marks a row never made: Refresh then counts its homes without taking old ones away.
        Array.Clear(_nodeVersion);
        for (var node = 0; node < cluster.NodeCount; node++)
            Refresh(cluster, node);
        _cursor = cluster.Changes;
        _cache.Clear();
    }

    // The same cluster has gained nodes: keep every row, add empty ones. Room doubles, as the cluster's does.
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
        Array.Resize(ref _rowFree, rows);
    }

    // Brings the rows of the nodes changed since the last decision up to date (so the homes are exact), then works
    // out which resource binds and what each kind's homes cost now.
    private void Prepare(ClusterCapacity cluster)
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
        var hostBound = Math.Max(Share(usedCpu, cpu), Share(usedMemory, memory)) > cluster.AllocatedGpuShare;
        if (hostBound != _hostBound)
        {
            // Every cached score carries best-fit's weight: a new weight makes them all stale.
            (_hostBound, _bestFitWeight) = (hostBound, hostBound ? HostBoundBestFit : GpuBoundBestFit);
            _cache.Clear();
        }

        var meanGpu = 0.0;
        for (var m = 0; m < _weight.Length; m++)
            meanGpu += _weight[m] * _count[m] * _milli[m];
        var toCome = meanGpu > 0 ? (cluster.TotalGpuMilli - cluster.AllocatedGpuMilli) / meanGpu : 0;
        _costly = false;
        var moved = false;
        for (var m = 0; m < _weight.Length; m++)
        {
            var cost = HomeScarcity.Cost(_weight[m], (long)_count[m] * _milli[m], _homes[m], toCome);
            moved |= cost != _cost[m];
            _cost[m] = cost;
            _costly |= cost > 0;
        }

        if (moved)
            _costVersion++;
    }

    private static double Share(long used, long total) => total == 0 ? 0 : (double)used / total;

    private void Refresh(ClusterCapacity cluster, int node)
    {
        ref readonly var n = ref cluster.Node(node);
        if (_nodeVersion[node] == n.Version)
            return;
        var c = _weight.Length;
        var row = node * c;
        if (_nodeVersion[node] != 0)
        {
            for (var m = 0; m < c; m++)
                _homes[m] -= _term[row + m] < _rowFree[node] ? 1 : 0;
        }

        (_nodeVersion[node], _rowFree[node]) = (n.Version, n.FreeGpuMilli);
        var free = cluster.GpuFreeMilli(node);
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
            _term[row + m] = Term(m, n.ModelId, n.FreeCpuMilli, n.FreeMemoryMib, fit, below, n.FreeGpuMilli);
            _homes[m] += _term[row + m] < n.FreeGpuMilli ? 1 : 0;
        }
    }
}
