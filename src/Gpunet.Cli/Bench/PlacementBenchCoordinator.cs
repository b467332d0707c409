using System.Collections.Concurrent;
using System.Diagnostics;
using Gpunet.Coordinator.Scheduling;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;

namespace Gpunet.Cli.Bench;

/// <summary>One coordinator of <c>gpunet bench placement --coordinators N</c>: its own matcher over every host and its
/// own placement writer (its own transactions) on the shared store, as each coordinator of a network has.</summary>
/// <remarks>
/// <para>Coordinators learn each other's placements only from the store: a commit against a host another one changed
/// conflicts; the host's row is read again and the order decided anew (what the marketplace does: <c>OrderPlacement</c>).</para>
/// <para>A host has at most one commit of this coordinator in flight, and is out of its matcher meanwhile. Chained
/// commits on one host (version v, then v + 1 decided before v came back) are safe with one writer, but with two a
/// commit after a conflict could meet the version the other coordinator wrote and overwrite its placement.</para>
/// <para>Each coordinator adds the hosts to its matcher starting at its own place in the list, so that where the
/// policy's scores tie (identical free hosts) the matchers break the tie towards different hosts and rarely race for
/// one. Nothing is partitioned: every coordinator may place on every host.</para>
/// <para>One loop per instance; commit outcomes come back on other threads through <see cref="_returned"/> only.</para>
/// </remarks>
internal sealed class PlacementBenchCoordinator : IDisposable
{
    private readonly OrderMatcher _matcher;
    private readonly PlacementStore _store;
    private readonly IReadOnlyList<NodeSpec> _hosts;
    private readonly int[] _hostOfNode;
    private readonly long[] _versions;
    private readonly ConcurrentQueue<(int Node, OrderSpec? Retry)> _returned = new();
    private readonly SemaphoreSlim _returnedSignal = new(0);
    private readonly string _allocationPrefix;
    private int _inFlight;
    private long _decided;
    private int _committed;
    private int _conflicts;

    public PlacementBenchCoordinator(OrderMatcher matcher, PlacementStore store, IReadOnlyList<NodeSpec> hosts, Func<int, HostOffer> offerOf,
        int index, int count, string allocationPrefix)
    {
        _matcher = matcher;
        _store = store;
        _hosts = hosts;
        _allocationPrefix = allocationPrefix;
        _hostOfNode = new int[hosts.Count];
        _versions = new long[hosts.Count];
        var start = (int)((long)hosts.Count * index / count);
        for (var j = 0; j < hosts.Count; j++)
        {
            var i = (start + j) % hosts.Count;
            var node = matcher.AddHost(hosts[i], offerOf(i));
            matcher.SetAvailable(node, true);
            _hostOfNode[node] = i;
        }
    }

    /// <summary>Placements whose commit succeeded.</summary>
    public int Committed => Volatile.Read(ref _committed);

    /// <summary>Commits refused because another coordinator had changed the host first.</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>This coordinator's view of the share of GPUs given.</summary>
    public double AllocatedShare => _matcher.Cluster.AllocatedGpuShare;

    /// <summary>Decides and commits orders until this coordinator sees <paramref name="targetShare"/> of the GPUs given,
    /// or nothing fits and nothing is in flight; <paramref name="decisions"/> gets each decision's stopwatch ticks.</summary>
    public async Task RunAsync(Func<long, OrderSpec> orderOf, double targetShare, DateTimeOffset at, List<long> decisions, CancellationToken ct)
    {
        var retry = new Queue<OrderSpec>();
        long next = 0;
        while (_matcher.Cluster.AllocatedGpuShare < targetShare)
        {
            ct.ThrowIfCancellationRequested();
            await TakeReturnedAsync(retry, ct);
            var order = retry.Count > 0 ? retry.Dequeue() : orderOf(next++);
            var t0 = Stopwatch.GetTimestamp();
            if (_matcher.Match(order) is not Matched { Placements: [var p] })
            {
                // Nothing fits in this view: done, unless hosts with commits in flight come back with room.
                retry.Enqueue(order);
                if (Volatile.Read(ref _inFlight) == 0)
                    break;
                while (_returned.IsEmpty && Volatile.Read(ref _inFlight) > 0)
                    await _returnedSignal.WaitAsync(ct);
                continue;
            }

            decisions.Add(Stopwatch.GetTimestamp() - t0);
            var node = p.Node;
            _matcher.SetAvailable(node, false);
            var commit = PlacementCommit.After(_matcher.Cluster, p, _versions[node], $"{_allocationPrefix}{_decided++:x8}", at);
            Interlocked.Increment(ref _inFlight);
            _ = _store.CommitAsync(commit).ContinueWith(r =>
            {
                if (r.Result is PlacementCommitted)
                {
                    Interlocked.Increment(ref _committed);
                    _returned.Enqueue((node, null));
                }
                else
                {
                    Interlocked.Increment(ref _conflicts);
                    _returned.Enqueue((node, order));
                }

                Interlocked.Decrement(ref _inFlight);
                _returnedSignal.Release();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        while (Volatile.Read(ref _inFlight) > 0)
            await _returnedSignal.WaitAsync(ct);
        await TakeReturnedAsync(retry, ct);
    }

    // Hosts whose commit came back return to the matcher: at the next version after a commit, or as the store has them
    // after a conflict (what the other coordinators placed), their order to be decided again.
    private async Task TakeReturnedAsync(Queue<OrderSpec> retry, CancellationToken ct)
    {
        while (_returned.TryDequeue(out var back))
        {
            if (back.Retry is null)
            {
                _versions[back.Node]++;
            }
            else
            {
                retry.Enqueue(back.Retry);
                if (await _store.CapacityAsync(_hosts[_hostOfNode[back.Node]].Name, ct) is { } row)
                {
                    _matcher.Cluster.SetFree(back.Node, row.FreeCpuMilli, row.FreeMemoryMib, HostCapacityRecord.ParseGpus(row.FreeGpuMilli));
                    _versions[back.Node] = row.Version;
                }
            }

            _matcher.SetAvailable(back.Node, true);
        }
    }

    public void Dispose() => _returnedSignal.Dispose();
}
