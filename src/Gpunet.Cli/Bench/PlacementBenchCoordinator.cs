using System.Diagnostics;
using Gpunet.Coordinator.Scheduling;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;

namespace Gpunet.Cli.Bench;

/// <summary>One coordinator of <c>gpunet bench placement --coordinators N</c>: its own matcher and its own placement
/// writer (its own transactions) on the shared store, placing on its share of the hosts (those whose agents stream to
/// it: host i belongs to coordinator i mod N).</summary>
/// <remarks>
/// <para>Each coordinator places on its own hosts here, so that commits can be pipelined as the one-coordinator run
/// pipelines them (versions chained per host) and the run measures how the shared store and the machine carry N
/// coordinators' placements. Chained commits are safe only while no other writer changes the host: where coordinators
/// raced for one host, a commit chained after a refused one could meet the version the other wrote. A refused commit
/// (another writer on the store) is counted; none is expected.</para>
/// <para>One loop per instance; commit outcomes come back on other threads and only count.</para>
/// </remarks>
internal sealed class PlacementBenchCoordinator
{
    private const int MaxInFlight = 4096;
    private readonly OrderMatcher _matcher;
    private readonly PlacementStore _store;
    private readonly long[] _versions;
    private readonly string _allocationPrefix;
    private int _committed;
    private int _conflicts;

    public PlacementBenchCoordinator(OrderMatcher matcher, PlacementStore store, IReadOnlyList<NodeSpec> hosts, Func<int, HostOffer> offerOf,
        int index, int count, string allocationPrefix)
    {
        _matcher = matcher;
        _store = store;
        _allocationPrefix = allocationPrefix;
        for (var i = index; i < hosts.Count; i += count)
            matcher.SetAvailable(matcher.AddHost(hosts[i], offerOf(i)), true);
        _versions = new long[matcher.Cluster.NodeCount];
    }

    /// <summary>Placements whose commit succeeded.</summary>
    public int Committed => Volatile.Read(ref _committed);

    /// <summary>Commits refused because another writer had changed the host.</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>Decides and commits orders until <paramref name="targetShare"/> of this coordinator's GPUs are given or
    /// nothing fits; <paramref name="decisions"/> gets each decision's stopwatch ticks.</summary>
    public async Task RunAsync(Func<long, OrderSpec> orderOf, double targetShare, DateTimeOffset at, List<long> decisions, CancellationToken ct)
    {
        using var inFlight = new SemaphoreSlim(MaxInFlight);
        var pending = new List<Task>();
        for (long i = 0; _matcher.Cluster.AllocatedGpuShare < targetShare; i++)
        {
            ct.ThrowIfCancellationRequested();
            var t0 = Stopwatch.GetTimestamp();
            if (_matcher.Match(orderOf(i)) is not Matched { Placements: [var p] })
                break;
            decisions.Add(Stopwatch.GetTimestamp() - t0);
            var commit = PlacementCommit.After(_matcher.Cluster, p, _versions[p.Node]++, $"{_allocationPrefix}{i:x8}", at);
            await inFlight.WaitAsync(ct);
            pending.Add(_store.CommitAsync(commit).ContinueWith(r =>
            {
                inFlight.Release();
                if (r.Result is PlacementCommitted)
                    Interlocked.Increment(ref _committed);
                else
                    Interlocked.Increment(ref _conflicts);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
        }

        await Task.WhenAll(pending);
    }
}
