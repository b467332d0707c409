using System.Collections.Immutable;
using System.Globalization;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Scheduling;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;
using Gpunet.Core.Sla;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The matcher's index of free capacity, kept in step with the hosts (registered through any coordinator, ready,
/// heard) and with their capacity rows in the store; releases capacity in both.</summary>
/// <remarks>Not thread-safe (nor is the matcher): the market's loop owns it. <see cref="FreeGpus"/> is published for
/// other threads.</remarks>
/// <param name="heardWithin">How recently a host whose agent is connected to another coordinator must have been heard (by
/// any coordinator) to be matched here (<see cref="Hosts.HostsOptions.HeardElsewhereWithin"/>).</param>
/// <param name="retryRefusedAfter">How long after the store refused a release for good it is first tried again.</param>
internal sealed partial class CapacityIndex(
    HostRegistry registry, PlacementStore placements, HostStakes stakes, HostTrackRecords trackRecords, TimeSpan heardWithin,
    TimeSpan retryRefusedAfter, TimeProvider time, ILogger log)
{
    private readonly Dictionary<string, HostSlot> _hosts = new(StringComparer.Ordinal);
    private readonly List<HostSlot> _nodes = [];
    private readonly List<HostSlot> _unloaded = [];
    private int _registrySeen;
    private long _standingsSeen = -1;
    private bool _freeChanged;
    private IReadOnlyDictionary<string, int> _free = new Dictionary<string, int>();
    private readonly UnreleasedAllocations _unreleased = new(retryRefusedAfter);

    /// <summary>The matcher over every indexed host.</summary>
    public OrderMatcher Matcher { get; } = new(new MultiResourceFgdPolicy(MarketPrior()));

    /// <summary>Grows whenever capacity or availability changed: an order that failed at this epoch need not be tried again.</summary>
    public long Epoch { get; private set; }

    /// <summary>Every indexed host, by node.</summary>
    public IReadOnlyList<HostSlot> Slots => _nodes;

    /// <summary>Wholly free GPUs per host (of the model it offers), as of the last <see cref="PublishFree"/>.</summary>
    public IReadOnlyDictionary<string, int> FreeGpus => Volatile.Read(ref _free);

    public bool TryGet(string hostId, out HostSlot slot) => _hosts.TryGetValue(hostId, out slot!);

    /// <summary>Capacity or availability changed: queued orders are worth another look.</summary>
    public void Changed()
    {
        Epoch++;
        _freeChanged = true;
    }

    /// <summary>Something else an order may depend on changed (a host's stake): queued orders are worth another look.</summary>
    public void NewEpoch() => Epoch++;

    /// <summary>A placement took capacity: the free GPUs are published again.</summary>
    public void Taken() => _freeChanged = true;

    /// <summary>Adds newly registered hosts (with their stored capacity) and follows availability; returns the hosts that
    /// went offline since the last look.</summary>
    public async Task<List<HostSlot>> SyncAsync(CancellationToken ct)
    {
        // Hosts are never removed: those the registry added since the last look are the new ones.
        foreach (var entry in registry.AddedSince(_registrySeen))
        {
            _registrySeen++;
            try
            {
                _unloaded.Add(NewSlot(entry));
            }
            catch (ArgumentException e)
            {
                // A description the matcher cannot index (it was checked at registration, so this is a bug): skip the
                // host rather than stop indexing every host after it.
                LogNotIndexed(log, entry.Id, e.Message);
            }
        }

        if (_unloaded.Count > 0)
        {
            // Until its capacity row is read (or created), a host is not matched; a failed read is retried next tick.
            var rows = await placements.EnsureCapacityAsync(
                [.. _unloaded.Select(s => new HostCapacityRecord
                {
                    HostId = s.Entry.Id,
                    FreeCpuMilli = Matcher.Cluster.FreeCpuMilli(s.Node),
                    FreeMemoryMib = Matcher.Cluster.FreeMemoryMib(s.Node),
                    FreeGpuMilli = HostCapacityRecord.FormatGpus(Matcher.Cluster.GpuFreeMilli(s.Node)),
                })],
                ct);
            foreach (var row in rows)
            {
                var slot = _hosts[row.HostId];
                Apply(slot, row);
                slot.Loaded = true;
            }

            _unloaded.Clear();
        }

        // Read before the standings, so that one published while this pass runs is taken at the next.
        var standings = trackRecords.Version;
        var restanding = standings != _standingsSeen;
        _standingsSeen = standings;
        List<HostSlot> lost = [];
        var now = time.GetUtcNow();
        foreach (var slot in _nodes)
        {
            // Registered again with a new description (price, location), or a new reputation or measured place.
            if (restanding || !ReferenceEquals(slot.Record, slot.Entry.Record))
            {
                slot.Record = slot.Entry.Record;
                var offer = Offer(slot.Record);
                if (offer != slot.Offer)
                {
                    Matcher.UpdateOffer(slot.Node, offer);
                    slot.Offer = offer;
                    // A queued order may fit now (a nearer place, a better reputation).
                    Epoch++;
                }

                var roundTrip = SessionLatencyRule.Median(trackRecords.Of(slot.Entry.Id).RoundTripsMs);
                if (roundTrip != slot.RoundTripMs)
                {
                    slot.RoundTripMs = roundTrip;
                    // A queued session may be within its tier's round-trip bound now.
                    Epoch++;
                }
            }

            var state = slot.Entry.State;
            // A host connected to another coordinator is as available as one connected here while it is heard (the store
            // says by whom): its commands go through the coordinator holding its stream (LeaseRelay).
            var available = slot.Loaded && state == HostState.Ready
                && (slot.Entry.Connected || (slot.Entry.LastHeardAt is { } heard && now - heard < heardWithin));
            if (available != slot.Available)
            {
                slot.Available = available;
                Matcher.SetAvailable(slot.Node, available);
                if (available)
                    Epoch++;
            }

            if (state == HostState.Offline && slot.LastState != HostState.Offline && slot.Loaded)
                lost.Add(slot);
            slot.LastState = state;
        }

        return lost;
    }

    /// <summary>Sets a host's free capacity and version to the stored row.</summary>
    public void Apply(HostSlot slot, HostCapacityRecord row)
    {
        var gpus = HostCapacityRecord.ParseGpus(row.FreeGpuMilli);
        if (gpus.Length == slot.GpuIndex.Length)
            Matcher.Cluster.SetFree(slot.Node, row.FreeCpuMilli, row.FreeMemoryMib, gpus);
        slot.StoreVersion = row.Version;
        Changed();
    }

    /// <summary>Reads a host's capacity row again (another coordinator changed it).</summary>
    public async Task RefreshAsync(HostSlot slot, CancellationToken ct)
    {
        if (await placements.CapacityAsync(slot.Entry.Id, ct) is { } row)
            Apply(slot, row);
    }

    /// <summary>Takes back a placement the matcher made that never reached the store (its batch stopped before the
    /// commit): the host's capacity and version as they were.</summary>
    public void Undo(HostSlot slot, Placement placement)
    {
        Matcher.Release(placement);
        slot.StoreVersion--;
        Changed();
    }

    /// <summary>Gives placements' capacity back, in memory and in the store, in one store transaction; one that meets a
    /// conflict is given back again alone (see <see cref="ReleaseAsync(HostSlot, Placement, string)"/>).</summary>
    public async Task ReleaseAsync(IReadOnlyList<(HostSlot Slot, Placement Placement, string AllocationId)> releases)
    {
        if (releases.Count == 1)
        {
            await ReleaseAsync(releases[0].Slot, releases[0].Placement, releases[0].AllocationId);
            return;
        }

        var commits = new List<(HostSlot Slot, Placement Placement, string AllocationId, PlacementCommit Commit)>(releases.Count);
        var alone = new List<(HostSlot Slot, Placement Placement, string AllocationId)>();
        foreach (var r in releases)
        {
            try
            {
                Matcher.Release(r.Placement);
            }
            catch (InvalidOperationException)
            {
                alone.Add(r);
                continue;
            }

            var commit = PlacementCommit.AfterRelease(Matcher.Cluster, r.Placement.Node, r.Slot.StoreVersion, r.AllocationId);
            r.Slot.StoreVersion++;
            commits.Add((r.Slot, r.Placement, r.AllocationId, commit));
        }

        var results = await placements.CommitNowAsync([.. commits.Select(c => c.Commit)]);
        for (var i = 0; i < commits.Count; i++)
        {
            var c = commits[i];
            if (Committed(results[i], c.AllocationId))
            {
                Changed();
                continue;
            }

            // A conflict, or a write the store refused: re-read the host (its in-memory release is undone by that) and
            // give it back again unless released elsewhere.
            await RefreshAsync(c.Slot, CancellationToken.None);
            if (await placements.AllocationAsync(c.AllocationId, CancellationToken.None) is not null)
                alone.Add((c.Slot, c.Placement, c.AllocationId));
        }

        foreach (var (slot, placement, allocationId) in alone)
            await ReleaseAsync(slot, placement, allocationId);
    }

    /// <summary>Gives a placement's capacity back, in memory and in the store; after a conflict the host is re-read
    /// and the release applied again, unless another coordinator already released it.</summary>
    /// <remarks>Not cancelled: a release stopped halfway would leave the store holding capacity nobody uses. One the
    /// store still refuses after five tries is tried again later (<see cref="RetryUnreleasedAsync"/>).</remarks>
    public async Task ReleaseAsync(HostSlot slot, Placement placement, string allocationId)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                Matcher.Release(placement);
            }
            catch (InvalidOperationException)
            {
                // The in-memory view is behind the store (another coordinator released on this host): re-read it.
                await RefreshAsync(slot, CancellationToken.None);
                if (await placements.AllocationAsync(allocationId, CancellationToken.None) is null)
                {
                    _unreleased.Forget(allocationId);
                    return;
                }

                Matcher.Release(placement);
            }

            var commit = PlacementCommit.AfterRelease(Matcher.Cluster, placement.Node, slot.StoreVersion, allocationId);
            slot.StoreVersion++;
            if (Committed((await placements.CommitNowAsync([commit]))[0], allocationId))
            {
                _unreleased.Forget(allocationId);
                Changed();
                return;
            }

            await RefreshAsync(slot, CancellationToken.None);
            if (await placements.AllocationAsync(allocationId, CancellationToken.None) is null)
            {
                _unreleased.Forget(allocationId);
                return;
            }
        }

        LogReleaseFailed(log, allocationId);
        _unreleased.Refused(allocationId, time.GetUtcNow());
    }

    /// <summary>Gives back again the allocations whose release the store refused, each when its wait is over; called by
    /// the market's loop.</summary>
    public async Task RetryUnreleasedAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var id in _unreleased.Due(now))
        {
            if (await placements.AllocationAsync(id, ct) is not { } a)
                _unreleased.Forget(id); // given back elsewhere
            else if (!TryGet(a.HostId, out var slot))
                _unreleased.Refused(id, now); // its host is not offered now: try again later
            else
                await ReleaseAsync(slot, FromAllocation(slot, a), id);
        }
    }

    /// <summary>Whether a release committed; a write the store refused is logged and counts as not (the caller re-reads
    /// the host, so memory keeps what the store holds, and the lease's end goes on).</summary>
    private bool Committed(Task<PlacementResult> result, string allocationId)
    {
        if (result.IsFaulted)
        {
            LogReleaseRefused(log, result.Exception.GetBaseException(), allocationId);
            return false;
        }

        return result.Result is PlacementCommitted;
    }

    /// <summary>The matcher's placement of a stored allocation.</summary>
    public Placement FromAllocation(HostSlot slot, AllocationRecord a)
    {
        var hostGpus = ParseIndices(a.GpuIndices);
        var nodeGpus = hostGpus.Select(g => Array.IndexOf(slot.GpuIndex, g)).ToImmutableArray();
        var request = new PlacementRequest(a.CpuMilli, a.MemoryMib, nodeGpus.Length, nodeGpus.Length == 0 ? 0 : a.GpuMilliEach,
            [Matcher.Cluster.GpuModel(slot.Node)]);
        return new Placement(slot.Node, request, nodeGpus);
    }

    /// <summary>Publishes <see cref="FreeGpus"/> again if capacity changed (cheap: one pass over the hosts' summaries).</summary>
    public void PublishFree()
    {
        if (!_freeChanged)
            return;
        _freeChanged = false;
        var free = new Dictionary<string, int>(_nodes.Count, StringComparer.Ordinal);
        var cluster = Matcher.Cluster;
        foreach (var slot in _nodes)
        {
            var n = 0;
            foreach (var g in cluster.GpuFreeMilli(slot.Node))
            {
                if (g == PlacementRequest.WholeGpu)
                    n++;
            }

            free[slot.Entry.Id] = n;
        }

        Volatile.Write(ref _free, free);
    }

    /// <summary>A comma-separated list of GPU indices, as leases and allocations store them.</summary>
    public static int[] ParseIndices(string list) =>
        list.Length == 0 ? [] : [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    private HostSlot NewSlot(HostEntry entry)
    {
        var r = entry.Record;
        // A host offers the GPUs of its first model (hosts of one model are the rule; a mixed host offers its first kind).
        var model = r.Gpus.OrderBy(g => g.Index).FirstOrDefault()?.Model ?? "";
        var gpus = r.Gpus.Where(g => g.Model == model).OrderBy(g => g.Index).Select(g => g.Index).ToArray();
        var spec = new NodeSpec(r.Id, (int)Math.Min(int.MaxValue, (long)r.CpuCores * 1000), (int)Math.Min(int.MaxValue, r.MemoryMb), gpus.Length, model);
        var offer = Offer(r);
        var node = Matcher.AddHost(spec, offer);
        var slot = new HostSlot(entry, node, gpus) { Record = r, Offer = offer, RequiredStake = stakes.Required(entry), Model = model };
        _hosts.Add(r.Id, slot);
        _nodes.Add(slot);
        return slot;
    }

    /// <summary>The host's offer: its declared country and price, its reputation, and its place as measured where round
    /// trips contradict the declared one (latency is ranked and bounded from where the host is, not where it says).</summary>
    private HostOffer Offer(HostRecord r)
    {
        var standing = trackRecords.Of(r.Id);
        var at = standing.MeasuredAt;
        return new(r.Id, r.Country, r.Region, at?.Latitude ?? r.Latitude, at?.Longitude ?? r.Longitude, r.PriceUsdPerGpuHour, standing.Reputation);
    }

    /// <summary>FGD's starting mix before any order is seen: whole 1-, 2-, 4- and 8-GPU requests and half a GPU, once each,
    /// so that from the first order it keeps whole machines for whole-machine orders; real orders soon outweigh it.</summary>
    private static WorkloadDistribution MarketPrior() => WorkloadDistribution.From(halfLife: MultiResourceFgdPolicy.DefaultHalfLife, byCpu: true, requests:
    [
        new PlacementRequest(0, 0, 1, PlacementRequest.WholeGpu),
        new PlacementRequest(0, 0, 2, PlacementRequest.WholeGpu),
        new PlacementRequest(0, 0, 4, PlacementRequest.WholeGpu),
        new PlacementRequest(0, 0, 8, PlacementRequest.WholeGpu),
        new PlacementRequest(0, 0, 1, PlacementRequest.WholeGpu / 2),
    ]);

    [LoggerMessage(EventId = 4044, Level = LogLevel.Error, Message = "The store refused the release of allocation {AllocationId}; the host is read again")]
    private static partial void LogReleaseRefused(ILogger logger, Exception e, string allocationId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Could not release allocation {AllocationId} after repeated conflicts or refusals; tried again later")]
    private static partial void LogReleaseFailed(ILogger logger, string allocationId);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "Host {HostId} cannot be offered: {Reason}")]
    private static partial void LogNotIndexed(ILogger logger, string hostId, string reason);
}
