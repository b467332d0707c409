using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Scheduling;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;
using Gpunet.Protocol;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The marketplace: keeps the matcher's index of free capacity in step with the hosts and the store, places
/// queued orders, drives every lease through its states, tells agents what to start and stop, and moves restartable
/// leases off lost hosts.</summary>
/// <remarks>One loop owns all of it (the matcher is not thread-safe): callers post work and await its outcome. The
/// store is the truth: capacity commits are checked against the host's version, lease changes against the lease's
/// version, so several coordinators over one database never give a GPU twice or move one lease two ways.</remarks>
internal sealed partial class Market(
    HostRegistry registry,
    LeaseStore store,
    PlacementStore placements,
    LedgerService ledger,
    HostStakes stakes,
    Compliance.ComplianceService compliance,
    LeaseLogFeed feed,
    UnplacedLeaseRelease unplacedRelease,
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    ILogger<Market> log) : BackgroundService
{
    /// <summary>Leases placed by other coordinators on hosts connected here are looked for this often.</summary>
    private static readonly TimeSpan ScanEvery = TimeSpan.FromSeconds(2);

    private readonly CoordinatorOptions _options = options.Value;
    private readonly Channel<Func<Task>> _work = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly OrderMatcher _matcher = new(new FgdPolicy(MarketPrior(), learn: true));
    private readonly Dictionary<string, HostSlot> _hosts = new(StringComparer.Ordinal);
    private readonly List<HostSlot> _nodes = [];
    private readonly Dictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly List<Queued> _queue = [];
    private readonly Dictionary<string, OrderInfo> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _leaseHosts = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _epoch;
    private DateTimeOffset _lastScan;
    private long _foreignVersionSum;
    private int _registrySeen;
    private long _stakeVersionSeen = -1;

    /// <summary>Wholly free GPUs per host (of the model it offers), as of the market's last change; for GPU search.</summary>
    public IReadOnlyDictionary<string, int> FreeGpus => Volatile.Read(ref _free);

    private IReadOnlyDictionary<string, int> _free = new Dictionary<string, int>();

    /// <summary>Wholly free GPUs per host, with every host registered so far indexed (a host ready a moment ago counts).</summary>
    public Task<IReadOnlyDictionary<string, int>> FreeGpusNowAsync() => RunAsync(async () =>
    {
        await SyncHostsAsync();
        PublishFree();
        return FreeGpus;
    });

    /// <summary>Leases queued and placed, as of the market's last change; for metrics.</summary>
    public (int Queued, int Placed) Counts => (Volatile.Read(ref _queuedCount), Volatile.Read(ref _placedCount));

    private bool _freeChanged;
    private int _queuedCount;
    private int _placedCount;

    /// <summary>Raised on the market's loop when a lease ends, with its end reason (<c>completed</c>, …).</summary>
    public event Action<string>? Ended;

    /// <summary>Publishes <see cref="FreeGpus"/> again (cheap: one pass over the hosts' summaries).</summary>
    private void PublishFree()
    {
        Volatile.Write(ref _queuedCount, _queue.Sum(q => q.LeaseIds.Count));
        Volatile.Write(ref _placedCount, _held.Count);
        if (!_freeChanged)
            return;
        _freeChanged = false;
        var free = new Dictionary<string, int>(_nodes.Count, StringComparer.Ordinal);
        var cluster = _matcher.Cluster;
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


    /// <summary>FGD's starting mix before any order is seen: whole 1-, 2-, 4- and 8-GPU requests and half a GPU, once each,
    /// so that from the first order it keeps whole machines for whole-machine orders; real orders soon outweigh it.</summary>
    private static WorkloadDistribution MarketPrior() => WorkloadDistribution.From(
    [
        new PlacementRequest(0, 0, 1, PlacementRequest.WholeGpu),
        new PlacementRequest(0, 0, 2, PlacementRequest.WholeGpu),
        new PlacementRequest(0, 0, 4, PlacementRequest.WholeGpu),
        new PlacementRequest(0, 0, 8, PlacementRequest.WholeGpu),
        new PlacementRequest(0, 0, 1, PlacementRequest.WholeGpu / 2),
    ]);

    /// <summary>Runs <paramref name="work"/> on the market's loop and returns its result.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        await _ready.Task;
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite(async () =>
        {
            try
            {
                done.TrySetResult(await work());
            }
#pragma warning disable CA1031 // handed to the caller
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.TrySetException(e);
            }
        }))
            throw new InvalidOperationException("the coordinator is stopping");
        return await done.Task;
    }

    private void Post(Func<Task> work) => _work.Writer.TryWrite(work);

    /// <summary>Stores a new order with its pending leases, then tries to place it at once. The order is durable
    /// before this returns, placed or not: a queued order waits with its reason.</summary>
    /// <param name="stored">True when the order is already stored (with its escrow, in the ledger's transaction).</param>
    public Task SubmitAsync(OrderRecord order, OrderRequest request, OrderSpec spec, IReadOnlyList<LeaseRecord> leases, bool stored = false) =>
        RunAsync(async () =>
        {
            if (!stored)
                await store.CreateOrderAsync(order, leases, CancellationToken.None);
            _orders[order.Id] = new OrderInfo(order, request, spec);
            await SyncHostsAsync(); // a host that became ready since the last tick counts
            var queued = new Queued(order.Id, [.. leases.Select(l => l.Id)], order.QueueDeadline, Pinned: request.Host, Exclude: []);
            _queue.Add(queued);
            await TryPlaceAsync(queued);
            return true;
        });

    /// <summary>Cancels a lease (a queued gang order is cancelled whole). Null when there is no such lease for
    /// <paramref name="owner"/> (null: an operator, who may cancel any).</summary>
    public Task<(LeaseRecord? Lease, string? Error)> CancelAsync(string leaseId, string? owner) =>
        EndByAsync(leaseId, owner, LeaseEndReason.Cancelled, "cancelled by the customer");

    /// <summary>Ends a lease whose customer can no longer pay for it (epoch settlement found no funds for its next hold).</summary>
    public Task EndForFundsAsync(string leaseId, string detail) => EndByAsync(leaseId, null, LeaseEndReason.FundsExhausted, detail);

    /// <summary>Ends a lease that a compliance rule now stops (<paramref name="detail"/> names every rule).</summary>
    public Task<(LeaseRecord? Lease, string? Error)> EndForComplianceAsync(string leaseId, string detail) =>
        EndByAsync(leaseId, null, LeaseEndReason.Compliance, detail);

    private Task<(LeaseRecord? Lease, string? Error)> EndByAsync(string leaseId, string? owner, LeaseEndReason reason, string detail) =>
        RunAsync<(LeaseRecord?, string?)>(async () =>
        {
            var lease = await store.LeaseAsync(leaseId, CancellationToken.None);
            if (lease is null || (owner is not null && lease.Owner != owner))
                return (null, null);
            var state = Enum.Parse<LeaseState>(lease.State);
            if (LeaseLifecycle.IsEnded(state))
                return (lease, $"lease {leaseId} already ended ({lease.State.ToLowerInvariant()}, {lease.EndReason})");
            if (state == LeaseState.Pending)
            {
                var queued = _queue.Find(q => q.LeaseIds.Contains(leaseId));
                var ids = queued?.LeaseIds ?? [leaseId];
                if (queued is not null)
                    _queue.Remove(queued);
                foreach (var id in ids)
                {
                    if (await store.LeaseAsync(id, CancellationToken.None) is { } member && member.State == nameof(LeaseState.Pending))
                        await EndAsync(member, reason, $"{detail} while queued", null, stopAgent: false);
                }
            }
            else
            {
                await EndAsync(lease, reason, detail, null, stopAgent: true);
            }

            return (await store.LeaseAsync(leaseId, CancellationToken.None), null);
        });

    /// <summary>An agent (re)connected, telling what it runs and what ended while it was away.</summary>
    public void Connected(HostEntry entry, AgentSession session, IReadOnlyList<LeaseReport> reports) => Post(async () =>
    {
        foreach (var report in reports)
            await ApplyReportAsync(entry, report);

        // Most registrations are of hosts with no lease at all: no query for them (leases other coordinators place
        // here are found by the periodic scan, and held from then on).
        if (reports.Count == 0 && !_held.Values.Any(h => h.Slot.Entry == entry))
            return;

        var known = reports.Select(r => r.LeaseId).ToHashSet(StringComparer.Ordinal);
        foreach (var lease in await store.PlacedOnAsync(entry.Id, CancellationToken.None))
        {
            if (lease.State == nameof(LeaseState.Running) && !known.Contains(lease.Id))
            {
                await EndAsync(lease, LeaseEndReason.WorkloadLost, "the agent restarted and no longer runs the workload", null, stopAgent: false);
            }
            else if (lease.State == nameof(LeaseState.Starting))
            {
                var held = await HoldAsync(lease);
                if (held is not null)
                    await DispatchAsync(held, session);
            }
        }
    });

    /// <summary>An agent says what became of a lease's workload.</summary>
    public void Report(HostEntry entry, LeaseReport report) => Post(() => ApplyReportAsync(entry, report));

    /// <summary>Whether this coordinator holds the lease on a host connected here, and so receives its lines (and
    /// pushes them to followers); a lease served through another coordinator of a shared store is only in the store.</summary>
    public bool ReceivesLinesOf(string leaseId) => _leaseHosts.ContainsKey(leaseId);

    /// <summary>Lines a lease's workload wrote; kept only when the lease is on the reporting host, and pushed to its
    /// followers once stored.</summary>
    public void Logs(string hostId, LeaseLog logs)
    {
        if (!_leaseHosts.TryGetValue(logs.LeaseId, out var owner) || owner != hostId)
        {
            LogForeignLines(log, hostId, logs.LeaseId);
            return;
        }

        var writes = new List<Task>(logs.Lines.Count);
        var records = new List<LeaseLogRecord>(logs.Lines.Count);
        foreach (var line in logs.Lines)
        {
            var text = line.Text.Length <= MaxLineLength ? line.Text : line.Text[..MaxLineLength];
            var record = new LeaseLogRecord
            {
                LeaseId = logs.LeaseId,
                Sequence = line.Sequence,
                Stream = line.Stream == "stderr" ? "stderr" : "stdout",
                Text = text,
                At = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(line.AtUnixMs, 0, 253402300799999)),
            };
            records.Add(record);
            writes.Add(SaveLineAsync(record));
        }

        // The agent sends a lease's last lines before its end: the end is stored only once they are (see ApplyReportAsync).
        // Each batch is published after the one before it (per-lease order), and only once stored, so a follower that
        // reads the store and then takes pushes sees no gap.
        var before = _logWrites.TryGetValue(logs.LeaseId, out var previous) ? previous : Task.CompletedTask;
        _logWrites[logs.LeaseId] = PublishAsync(before, Task.WhenAll(writes), logs.LeaseId, records);
    }

    private async Task PublishAsync(Task before, Task stored, string leaseId, List<LeaseLogRecord> lines)
    {
        await before; // never faults: a line that could not be stored is logged by SaveLineAsync
        await stored;
        feed.Publish(leaseId, lines);
    }

    private readonly ConcurrentDictionary<string, Task> _logWrites = new(StringComparer.Ordinal);

    private const int MaxLineLength = 16 * 1024;

    private async Task SaveLineAsync(LeaseLogRecord line)
    {
        try
        {
            await store.AppendLogsAsync(line);
        }
#pragma warning disable CA1031 // a lost log line is logged, not fatal
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogLinesLost(log, e, line.LeaseId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoadAsync();
        }
        finally
        {
            _ready.TrySetResult();
        }

        using var ticker = new Concurrency.LoopTimer(_options.MarketInterval, time);
        var ticks = Task.Run(async () =>
        {
            try
            {
                while (await ticker.WaitForNextTickAsync(stoppingToken))
                {
                    // One tick waiting at most: a slow store does not pile ticks up behind the work.
                    if (Interlocked.Exchange(ref _tickQueued, 1) == 0)
                        Post(TickAsync);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _work.Writer.TryComplete();
            }
        }, CancellationToken.None);

        // Work already accepted runs to the end: a stop does not cut a placement between its commit and its lease.
        await foreach (var work in _work.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await work();
                PublishFree();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWorkFailed(log, e);
            }
        }

        await ticks;
    }

    /// <summary>At start: hosts and their stored capacity, the queue, the leases that hold capacity.</summary>
    private async Task LoadAsync()
    {
        await SyncHostsAsync();
        foreach (var group in (await store.OpenLeasesAsync(CancellationToken.None)).GroupBy(l => l.OrderId))
        {
            var info = await OrderAsync(group.Key);
            if (info is null)
                continue;
            var pending = group.Where(l => l.State == nameof(LeaseState.Pending)).OrderBy(l => l.Member).Select(l => l.Id).ToList();
            if (pending.Count > 0)
                _queue.Add(new Queued(info.Order.Id, pending, info.Order.QueueDeadline, info.Request.Host, []));
            foreach (var lease in group.Where(l => l.State != nameof(LeaseState.Pending)))
                await HoldAsync(lease);
        }
    }

    private int _tickQueued;

    private async Task TickAsync()
    {
        Volatile.Write(ref _tickQueued, 0);
        if (ledger.StakeVersion != _stakeVersionSeen)
        {
            // Some host's stake changed: orders waiting for a staked host are worth another look.
            _stakeVersionSeen = ledger.StakeVersion;
            _epoch++;
        }

        await SyncHostsAsync();
        var now = time.GetUtcNow();
        foreach (var q in _queue.Where(q => now >= q.Deadline).ToList())
        {
            _queue.Remove(q);
            foreach (var id in q.LeaseIds)
            {
                if (await store.LeaseAsync(id, CancellationToken.None) is { State: nameof(LeaseState.Pending) } lease)
                    await EndAsync(lease, LeaseEndReason.QueueTimeout, $"no capacity before the queue deadline: {lease.StateReason}", null, stopAgent: false);
            }
        }

        foreach (var held in _held.Values.ToList())
        {
            var info = await OrderAsync(held.OrderId);
            if (held.StartedAt is null && now - held.PlacedAt > _options.LeaseStartTimeout)
                await EndHeldAsync(held, LeaseEndReason.StartTimeout, $"the agent did not start the workload within {_options.LeaseStartTimeout.TotalSeconds:0} s");
            else if (info?.Spec.Duration is { } term && now >= (held.StartedAt ?? held.PlacedAt) + term)
                await EndHeldAsync(held, LeaseEndReason.TermEnded, $"its term of {term.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} h ended");
        }

        foreach (var q in _queue.ToList())
            await TryPlaceAsync(q);

        foreach (var held in _held.Values.Where(h => h.StartedAt is null).ToList())
        {
            if (held.Slot.Entry.Session is { } session && held.SentTo != session)
                await DispatchAsync(held, session);
        }

        if (now - _lastScan >= ScanEvery)
        {
            _lastScan = now;
            await ScanForeignPlacementsAsync();
            // Stake placed through another coordinator of a shared store counts here too.
            await ledger.TryRefreshAsync(CancellationToken.None);
        }
    }

    /// <summary>Adds newly registered hosts to the matcher (with their stored capacity), follows availability, and
    /// handles hosts that went offline.</summary>
    private async Task SyncHostsAsync()
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
                    FreeCpuMilli = _matcher.Cluster.FreeCpuMilli(s.Node),
                    FreeMemoryMib = _matcher.Cluster.FreeMemoryMib(s.Node),
                    FreeGpuMilli = HostCapacityRecord.FormatGpus(_matcher.Cluster.GpuFreeMilli(s.Node)),
                })],
                CancellationToken.None);
            foreach (var row in rows)
            {
                var slot = _hosts[row.HostId];
                Apply(slot, row);
                slot.Loaded = true;
            }

            _unloaded.Clear();
        }

        List<HostSlot>? lost = null;
        foreach (var slot in _nodes)
        {
            if (!ReferenceEquals(slot.Record, slot.Entry.Record))
            {
                // Registered again with a new description (price, location).
                slot.Record = slot.Entry.Record;
                _matcher.UpdateOffer(slot.Node, Offer(slot.Record));
            }

            var state = slot.Entry.State;
            var available = slot.Loaded && state == HostState.Ready && slot.Entry.Connected;
            if (available != slot.Available)
            {
                slot.Available = available;
                _matcher.SetAvailable(slot.Node, available);
                if (available)
                    _epoch++;
            }

            if (state == HostState.Offline && slot.LastState != HostState.Offline && slot.Loaded)
                (lost ??= []).Add(slot);
            slot.LastState = state;
        }

        foreach (var slot in lost ?? [])
            await HostLostAsync(slot);
    }

    private readonly List<HostSlot> _unloaded = [];

    // The matcher's compliance hook: a container is not matched until fully staked (issue 4).
    private Func<int, string?>? _unstaked;

    private Func<int, string?> Unstaked => _unstaked ??= node =>
    {
        var slot = _nodes[node];
        var staked = ledger.StakeOf(slot.Entry.Id);
        return staked >= slot.RequiredStake ? null : $"{slot.Entry.Id} is not fully staked ({staked} of {slot.RequiredStake} tokens)";
    };

    // The order's compliance hook: the stake gate, then the customer's rental rules (approved KYC, controlled GPUs for
    // a restricted customer, data residency); an operator's own orders pass the stake gate and their residency.
    private Func<int, string?>? Gate(OrderInfo info)
    {
        var stake = _options.RequireStake ? Unstaked : null;
        if (info.Order.Owner == Auth.GpunetClaims.AdminRole && info.Request.Residency is null)
            return stake;
        var rental = compliance.RentalGateFor(info.Order.Owner, info.Request.Residency);
        return node =>
        {
            if (stake?.Invoke(node) is { } unstaked)
                return unstaked;
            var slot = _nodes[node];
            return rental.Check(slot.Model, slot.Record.Country, slot.Record.Region ?? "",
                info.Request.Residency is null || compliance.LocationConfirmed(slot.Entry.Id));
        };
    }

    private HostSlot NewSlot(HostEntry entry)
    {
        var r = entry.Record;
        // A host offers the GPUs of its first model (hosts of one model are the rule; a mixed host offers its first kind).
        var model = r.Gpus.OrderBy(g => g.Index).FirstOrDefault()?.Model ?? "";
        var gpus = r.Gpus.Where(g => g.Model == model).OrderBy(g => g.Index).Select(g => g.Index).ToArray();
        var spec = new NodeSpec(r.Id, (int)Math.Min(int.MaxValue, (long)r.CpuCores * 1000), (int)Math.Min(int.MaxValue, r.MemoryMb), gpus.Length, model);
        var node = _matcher.AddHost(spec, Offer(r));
        var slot = new HostSlot(entry, node, gpus) { Record = r, RequiredStake = stakes.Required(entry), Model = model };
        _hosts.Add(r.Id, slot);
        _nodes.Add(slot);
        return slot;
    }

    private static HostOffer Offer(HostRecord r) =>
        new(r.Id, r.Country, r.Region, r.Latitude, r.Longitude, r.PriceUsdPerGpuHour);

    /// <summary>Sets a host's free capacity and version to the stored row.</summary>
    private void Apply(HostSlot slot, HostCapacityRecord row)
    {
        var gpus = HostCapacityRecord.ParseGpus(row.FreeGpuMilli);
        if (gpus.Length == slot.GpuIndex.Length)
            _matcher.Cluster.SetFree(slot.Node, row.FreeCpuMilli, row.FreeMemoryMib, gpus);
        slot.StoreVersion = row.Version;
        _epoch++;
        _freeChanged = true;
    }

    private async Task RefreshAsync(HostSlot slot)
    {
        if (await placements.CapacityAsync(slot.Entry.Id, CancellationToken.None) is { } row)
            Apply(slot, row);
    }

    /// <summary>Tries to place a queued order (only when capacity changed since it last failed); after a conflict with
    /// another coordinator the hosts are re-read and it tries again at once, a few times.</summary>
    private async Task TryPlaceAsync(Queued queued)
    {
        for (var attempt = 0; attempt < 3 && await TryPlaceOnceAsync(queued) == Outcome.Conflict; attempt++)
        {
        }
    }

    private enum Outcome
    {
        Placed,
        NotPlaced,
        Conflict,
    }

    private async Task<Outcome> TryPlaceOnceAsync(Queued queued)
    {
        if (queued.TriedAt == _epoch)
            return Outcome.NotPlaced;
        queued.TriedAt = _epoch;
        var info = await OrderAsync(queued.OrderId);
        if (info is null)
        {
            _queue.Remove(queued);
            return Outcome.NotPlaced;
        }

        var spec = info.Spec with { Hosts = queued.LeaseIds.Count };
        Func<int, bool>? exclude = queued.Pinned is null && queued.Exclude.Count == 0
            ? null
            : node => (queued.Pinned is not null && _nodes[node].Entry.Id != queued.Pinned) || queued.Exclude.Contains(_nodes[node].Entry.Id);
        var result = _matcher.Match(spec, Gate(info), exclude);
        if (result is NotMatched nm)
        {
            var reason = queued.Pinned is null ? nm.Reason : $"{nm.Reason} (pinned to {queued.Pinned})";
            if (reason != queued.Reason)
            {
                queued.Reason = reason;
                await SetQueueReasonAsync(queued.LeaseIds, reason);
            }

            return Outcome.NotPlaced;
        }

        var matched = (Matched)result;
        var now = time.GetUtcNow();
        var leases = new List<LeaseRecord>();
        foreach (var id in queued.LeaseIds)
        {
            if (await store.LeaseAsync(id, CancellationToken.None) is { } l)
                leases.Add(l);
        }

        if (leases.Count != matched.Placements.Length || leases.Any(l => l.State != nameof(LeaseState.Pending)))
        {
            // Ended or placed elsewhere meanwhile (another coordinator): give the capacity back, drop the entry.
            foreach (var p in matched.Placements)
                _matcher.Release(p);
            _queue.Remove(queued);
            return Outcome.NotPlaced;
        }

        var commits = new List<(LeaseRecord Lease, Placement Placement, HostSlot Slot, string AllocationId, Task<PlacementResult> Result)>();
        for (var i = 0; i < leases.Count; i++)
        {
            var p = matched.Placements[i];
            var slot = _nodes[p.Node];
            var allocationId = $"{leases[i].Id}.{leases[i].Attempt + 1}";
            var commit = PlacementCommit.After(_matcher.Cluster, p, slot.StoreVersion, allocationId, now);
            slot.StoreVersion++;
            commits.Add((leases[i], p, slot, allocationId, placements.CommitAsync(commit)));
        }

        await Task.WhenAll(commits.Select(c => c.Result));
        if (commits.Any(c => c.Result.Result is PlacementConflict))
        {
            // Another coordinator changed a host first: give back what did commit, re-read the hosts, try again.
            foreach (var c in commits)
            {
                if (c.Result.Result is PlacementConflict)
                    await RefreshAsync(c.Slot);
                else
                    await ReleaseAsync(c.Slot, c.Placement, c.AllocationId);
            }

            LogConflict(log, queued.OrderId);
            return Outcome.Conflict;
        }

        foreach (var c in commits)
        {
            var gpus = c.Placement.Gpus.Select(g => c.Slot.GpuIndex[g]).ToArray();
            var lease = c.Lease;
            lease.State = nameof(LeaseState.Starting);
            lease.HostId = c.Slot.Entry.Id;
            lease.GpuIndices = string.Join(',', gpus);
            lease.GpuMilli = c.Placement.GpuMilliEach;
            lease.GpuModel = _matcher.Cluster.GpuModel(c.Placement.Node);
            lease.PriceUsdPerGpuHour = c.Slot.Record.PriceUsdPerGpuHour;
            lease.AllocationId = c.AllocationId;
            lease.Attempt++;
            lease.PlacedAt = now;
            lease.StartedAt = null;
            lease.StateReason = $"placed on {lease.HostId} GPU {(gpus.Length == 0 ? "none" : string.Join(',', gpus))}";
        }

        if (!await store.SaveAsync(leases, now, CancellationToken.None))
        {
            foreach (var c in commits)
                await ReleaseAsync(c.Slot, c.Placement, c.AllocationId);
            _queue.Remove(queued);
            return Outcome.NotPlaced;
        }

        _queue.Remove(queued);
        _freeChanged = true;
        foreach (var c in commits)
        {
            var held = new Held(c.Lease.Id, c.Lease.OrderId, c.Slot, c.Placement, c.AllocationId, now);
            _held[held.LeaseId] = held;
            _leaseHosts[held.LeaseId] = c.Slot.Entry.Id;
            if (c.Slot.Entry.Session is { } session)
                await DispatchAsync(held, session);
        }

        LogPlaced(log, queued.OrderId, string.Join(", ", commits.Select(c => c.Lease.StateReason)));
        return Outcome.Placed;
    }

    private async Task SetQueueReasonAsync(IReadOnlyList<string> leaseIds, string reason)
    {
        var leases = new List<LeaseRecord>();
        foreach (var id in leaseIds)
        {
            if (await store.LeaseAsync(id, CancellationToken.None) is { State: nameof(LeaseState.Pending) } l)
            {
                l.StateReason = reason;
                leases.Add(l);
            }
        }

        if (leases.Count > 0)
            await store.SaveAsync(leases, time.GetUtcNow(), CancellationToken.None);
    }

    /// <summary>Gives a placement's capacity back, in memory and in the store; after a conflict the host is re-read
    /// and the release applied again, unless another coordinator already released it.</summary>
    private async Task ReleaseAsync(HostSlot slot, Placement placement, string allocationId)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                _matcher.Release(placement);
            }
            catch (InvalidOperationException)
            {
                // The in-memory view is behind the store (another coordinator released on this host): re-read it.
                await RefreshAsync(slot);
                if (await placements.AllocationAsync(allocationId, CancellationToken.None) is null)
                    return;
                _matcher.Release(placement);
            }

            var commit = PlacementCommit.AfterRelease(_matcher.Cluster, placement.Node, slot.StoreVersion, allocationId);
            slot.StoreVersion++;
            if (await placements.CommitAsync(commit) is PlacementCommitted)
            {
                _epoch++;
                _freeChanged = true;
                return;
            }

            await RefreshAsync(slot);
            if (await placements.AllocationAsync(allocationId, CancellationToken.None) is null)
                return;
        }

        LogReleaseFailed(log, allocationId);
    }

    /// <summary>Ends a lease with <paramref name="reason"/>: stored, its capacity released at once, its agent told to stop.</summary>
    private async Task EndAsync(LeaseRecord lease, LeaseEndReason reason, string detail, int? exitCode, bool stopAgent)
    {
        var now = time.GetUtcNow();
        var allocationId = lease.AllocationId;
        var hostId = lease.HostId;
        var unplaced = lease.State == nameof(LeaseState.Pending) && lease.Attempt == 0;
        lease.State = LeaseLifecycle.EndState(reason).ToString();
        lease.EndReason = LeaseLifecycle.Spell(reason);
        lease.StateReason = detail;
        lease.EndedAt = now;
        lease.ExitCode = exitCode;
        if (!await store.SaveAsync([lease], now, CancellationToken.None))
            return; // another coordinator moved it first; it does the rest

        feed.Ended(lease.Id);
        if (unplaced)
            await unplacedRelease.ReleaseAsync(lease.Id, now);

        _queue.ForEach(q => q.LeaseIds.Remove(lease.Id));
        _queue.RemoveAll(q => q.LeaseIds.Count == 0);
        await ReleaseLeaseAsync(lease.Id, allocationId);
        if (stopAgent && hostId is not null && _hosts.TryGetValue(hostId, out var slot) && slot.Entry.Session is { } session)
            await SendAsync(session, new Command { Id = "stop-" + lease.Id, StopLease = new StopLease { LeaseId = lease.Id, Reason = detail } });
        LogEnded(log, lease.Id, lease.State, lease.EndReason, detail);
        Ended?.Invoke(lease.EndReason);
    }

    private async Task EndHeldAsync(Held held, LeaseEndReason reason, string detail)
    {
        if (await store.LeaseAsync(held.LeaseId, CancellationToken.None) is { } lease && LeaseLifecycle.HoldsCapacity(Enum.Parse<LeaseState>(lease.State)))
            await EndAsync(lease, reason, detail, null, stopAgent: true);
        else
            _held.Remove(held.LeaseId); // ended elsewhere
    }

    private async Task ReleaseLeaseAsync(string leaseId, string? allocationId)
    {
        if (allocationId is null)
            return;
        if (_held.Remove(leaseId, out var held))
        {
            await ReleaseAsync(held.Slot, held.Placement, held.AllocationId);
            return;
        }

        if (await placements.AllocationAsync(allocationId, CancellationToken.None) is { } a && _hosts.TryGetValue(a.HostId, out var slot))
            await ReleaseAsync(slot, FromAllocation(slot, a), a.Id);
    }

    /// <summary>The host went offline: its leases move (restart policy <c>on-host-loss</c>) or end with HostLost.</summary>
    private async Task HostLostAsync(HostSlot slot)
    {
        var hostId = slot.Entry.Id;
        // A coordinator does not hear the heartbeats of hosts connected to another one over the same store; the store's
        // last-heard time (written by whoever hears the host) says whether someone still does.
        if (await store.HostLastHeardAsync(hostId, CancellationToken.None) is { } heard && time.GetUtcNow() - heard < _options.OfflineGracePeriod)
        {
            LogHeardElsewhere(log, hostId);
            return;
        }

        var placed = await store.PlacedOnAsync(hostId, CancellationToken.None);
        var serving = placed.Where(l => l.State == nameof(LeaseState.Running)).Select(l => l.Id).ToList();
        if (serving.Count > 0)
        {
            // Downtime while serving a customer is slashed at the next settlement (1/3 of the required stake by
            // default); the customer is not charged for the time, which was not heard.
            await store.AddSlashEventAsync(new SlashEventRecord
            {
                HostId = hostId,
                Operator = slot.Record.Address,
                Kind = "downtime",
                Reason = $"went offline while serving {string.Join(", ", serving)}",
                At = time.GetUtcNow(),
            }, CancellationToken.None);
        }

        foreach (var lease in placed)
        {
            var info = await OrderAsync(lease.OrderId);
            var state = Enum.Parse<LeaseState>(lease.State);
            if (info is null || !LeaseLifecycle.MovesOnHostLoss(info.Spec.Restart, state))
            {
                await EndAsync(lease, LeaseEndReason.HostLost, $"host {hostId} went offline", null, stopAgent: false);
                continue;
            }

            var allocationId = lease.AllocationId;
            lease.State = nameof(LeaseState.Pending);
            lease.StateReason = $"host {hostId} went offline; moving to another host";
            lease.HostId = null;
            lease.GpuIndices = "";
            lease.AllocationId = null;
            lease.StartedAt = null;
            if (!await store.SaveAsync([lease], time.GetUtcNow(), CancellationToken.None))
                continue;
            await ReleaseLeaseAsync(lease.Id, allocationId);
            var exclude = new HashSet<string>(StringComparer.Ordinal) { hostId };
            // A gang member moves alone, away from the hosts its gang still holds.
            foreach (var sibling in await store.OrderLeasesAsync(lease.OrderId, CancellationToken.None))
            {
                if (sibling.HostId is not null)
                    exclude.Add(sibling.HostId);
            }

            var queued = new Queued(lease.OrderId, [lease.Id], DateTimeOffset.MaxValue, info.Request.Host, exclude);
            _queue.Add(queued);
            LogMoving(log, lease.Id, hostId);
            await TryPlaceAsync(queued);
        }
    }

    private async Task ApplyReportAsync(HostEntry entry, LeaseReport report)
    {
        var lease = await store.LeaseAsync(report.LeaseId, CancellationToken.None);
        var session = entry.Session;
        if (lease is null || lease.HostId != entry.Id)
        {
            // Not this host's lease (or a lease moved away while the host was gone): stop it, and forget the report.
            LogForeignReport(log, entry.Id, report.LeaseId);
            if (session is not null)
            {
                await SendAsync(session, report.Phase == LeaseReport.Types.Phase.Running
                    ? new Command { Id = "stop-" + report.LeaseId, StopLease = new StopLease { LeaseId = report.LeaseId, Reason = "the lease is not on this host" } }
                    : new Command { Id = "forget-" + report.LeaseId, ForgetLease = new ForgetLease { LeaseId = report.LeaseId } });
            }

            return;
        }

        var state = Enum.Parse<LeaseState>(lease.State);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(report.AtUnixMs, 0, 253402300799999));
        if (report.Phase == LeaseReport.Types.Phase.Running)
        {
            if (LeaseLifecycle.IsEnded(state) && session is not null)
            {
                await SendAsync(session, new Command { Id = "stop-" + lease.Id, StopLease = new StopLease { LeaseId = lease.Id, Reason = $"the lease ended ({lease.EndReason})" } });
            }
            else if (state == LeaseState.Starting)
            {
                lease.State = nameof(LeaseState.Running);
                lease.StartedAt = at;
                lease.StateReason = $"running on {lease.HostId} GPU {(lease.GpuIndices.Length == 0 ? "none" : lease.GpuIndices)}";
                if (await store.SaveAsync([lease], time.GetUtcNow(), CancellationToken.None) && _held.TryGetValue(lease.Id, out var held))
                    held.StartedAt = at;
            }

            return;
        }

        if (_logWrites.TryRemove(lease.Id, out var lines))
            await lines; // a reader that sees the lease ended then finds every line it wrote

        if (!LeaseLifecycle.IsEnded(state))
        {
            var (reason, detail) = report.Phase switch
            {
                LeaseReport.Types.Phase.Exited => (LeaseLifecycle.ForExit(report.ExitCode), $"exited with code {report.ExitCode}"),
                LeaseReport.Types.Phase.StartFailed => (LeaseEndReason.StartFailed, report.Detail),
                _ when report.Detail.StartsWith("memory limit", StringComparison.Ordinal) => (LeaseEndReason.LimitExceeded, report.Detail),
                _ when report.Detail.StartsWith("time limit", StringComparison.Ordinal) => (LeaseEndReason.TermEnded, report.Detail),
                _ => (LeaseEndReason.WorkloadLost, $"the agent killed it: {report.Detail}"),
            };
            await EndAsync(lease, reason, detail, report.Phase == LeaseReport.Types.Phase.Exited ? report.ExitCode : null, stopAgent: false);
        }

        if (session is not null)
            await SendAsync(session, new Command { Id = "forget-" + lease.Id, ForgetLease = new ForgetLease { LeaseId = lease.Id } });
    }

    /// <summary>Tells the host's agent to start a placed lease (again, if a new stream replaced the one it was sent on).</summary>
    private async Task DispatchAsync(Held held, AgentSession session)
    {
        var info = await OrderAsync(held.OrderId);
        var lease = await store.LeaseAsync(held.LeaseId, CancellationToken.None);
        if (info is null || lease is null || lease.State != nameof(LeaseState.Starting))
            return;
        var r = info.Request;
        var start = new StartLease
        {
            LeaseId = lease.Id,
            GpuMilli = lease.GpuMilli,
            CpuMilli = r.Cpu,
            MemoryMib = r.MemoryMib,
            Runtime = r.Runtime,
            Port = r.Port ?? 0,
            MaxSeconds = info.Spec.Duration is { } d ? (long)Math.Max(1, Math.Ceiling(d.TotalSeconds)) : 0,
        };
        start.GpuIndices.AddRange(ParseIndices(lease.GpuIndices));
        start.Command.AddRange(r.Command);
        foreach (var (k, v) in r.Environment ?? new Dictionary<string, string>())
            start.Environment[k] = v;
        held.SentTo = session;
        await SendAsync(session, new Command { Id = "start-" + lease.Id, StartLease = start });
    }

    private static async Task SendAsync(AgentSession session, Command command)
    {
        try
        {
            await session.SendAsync(new CoordinatorMessage { Command = command });
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The stream ended; the agent's next registration reconciles.
        }
    }

    /// <summary>What other coordinators changed: hosts' capacity (placements and releases), and leases they placed on
    /// hosts connected here, which this coordinator starts.</summary>
    private async Task ScanForeignPlacementsAsync()
    {
        // Versions only grow, so an unchanged sum means no row changed: one scalar query in the usual case, every row's
        // version only when another coordinator changed something (or holds hosts this one does not know).
        var total = await placements.CapacityVersionSumAsync(CancellationToken.None);
        var known = 0L;
        foreach (var slot in _nodes)
        {
            if (slot.Loaded)
                known += slot.StoreVersion;
        }

        if (total != known + _foreignVersionSum)
        {
            var foreign = 0L;
            foreach (var (hostId, version) in await placements.CapacityVersionsAsync(CancellationToken.None))
            {
                if (!_hosts.TryGetValue(hostId, out var slot) || !slot.Loaded)
                    foreign += version;
                else if (version != slot.StoreVersion)
                    await RefreshAsync(slot);
            }

            _foreignVersionSum = foreign;
        }

        // Leases this coordinator holds that another one ended (a cancel through its API): stop their workloads here.
        if (_held.Count > 0)
        {
            foreach (var ended in await store.EndedAmongAsync([.. _held.Keys], CancellationToken.None))
            {
                feed.Ended(ended.Id);
                if (_held.Remove(ended.Id, out var held) && held.Slot.Entry.Session is { } session)
                    await SendAsync(session, new Command { Id = "stop-" + ended.Id, StopLease = new StopLease { LeaseId = ended.Id, Reason = ended.StateReason } });
            }
        }

        foreach (var lease in await store.StartingAsync(CancellationToken.None))
        {
            if (_held.ContainsKey(lease.Id) || lease.HostId is null || !_hosts.TryGetValue(lease.HostId, out var on) || !on.Entry.Connected)
                continue;
            if (await HoldAsync(lease) is { } held && held.Slot.Entry.Session is { } session)
                await DispatchAsync(held, session);
        }
    }

    /// <summary>Tracks a placed lease read from the store (at start, or placed by another coordinator).</summary>
    private async Task<Held?> HoldAsync(LeaseRecord lease)
    {
        if (_held.TryGetValue(lease.Id, out var known))
            return known;
        if (lease.HostId is null || lease.AllocationId is null || !_hosts.TryGetValue(lease.HostId, out var slot))
            return null;
        var allocation = await placements.AllocationAsync(lease.AllocationId, CancellationToken.None);
        if (allocation is null)
            return null;
        var held = new Held(lease.Id, lease.OrderId, slot, FromAllocation(slot, allocation), allocation.Id, lease.PlacedAt ?? allocation.CreatedAt)
        {
            StartedAt = lease.StartedAt,
        };
        _held[lease.Id] = held;
        _leaseHosts[lease.Id] = slot.Entry.Id;
        return held;
    }

    private Placement FromAllocation(HostSlot slot, AllocationRecord a)
    {
        var hostGpus = ParseIndices(a.GpuIndices);
        var nodeGpus = hostGpus.Select(g => Array.IndexOf(slot.GpuIndex, g)).ToImmutableArray();
        var request = new PlacementRequest(a.CpuMilli, a.MemoryMib, nodeGpus.Length, nodeGpus.Length == 0 ? 0 : a.GpuMilliEach,
            [_matcher.Cluster.GpuModel(slot.Node)]);
        return new Placement(slot.Node, request, nodeGpus);
    }

    private static int[] ParseIndices(string list) =>
        list.Length == 0 ? [] : [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    private async Task<OrderInfo?> OrderAsync(string orderId)
    {
        if (_orders.TryGetValue(orderId, out var info))
            return info;
        var order = await store.OrderAsync(orderId, CancellationToken.None);
        if (order is null)
            return null;
        var request = JsonSerializer.Deserialize<OrderRequest>(order.Spec, OrderJson.Options)!;
        info = new OrderInfo(order, request, request.ToSpec(null).Spec);
        _orders[orderId] = info;
        return info;
    }

    private sealed class HostSlot(HostEntry entry, int node, int[] gpuIndex)
    {
        public HostEntry Entry { get; } = entry;
        public int Node { get; } = node;
        /// <summary>The host's GPU index of each of the node's GPUs.</summary>
        public int[] GpuIndex { get; } = gpuIndex;
        public required HostRecord Record { get; set; }
        /// <summary>The catalog model the host offers.</summary>
        public required string Model { get; init; }
        public long StoreVersion { get; set; }
        public bool Loaded { get; set; }
        public bool Available { get; set; }
        public HostState LastState { get; set; }
        /// <summary>The stake its GPUs require before it is matched.</summary>
        public TokenAmount RequiredStake { get; init; }
    }

    private sealed class Held(string leaseId, string orderId, HostSlot slot, Placement placement, string allocationId, DateTimeOffset placedAt)
    {
        public string LeaseId { get; } = leaseId;
        public string OrderId { get; } = orderId;
        public HostSlot Slot { get; } = slot;
        public Placement Placement { get; } = placement;
        public string AllocationId { get; } = allocationId;
        public DateTimeOffset PlacedAt { get; } = placedAt;
        public DateTimeOffset? StartedAt { get; set; }
        /// <summary>The agent stream the start command went out on.</summary>
        public AgentSession? SentTo { get; set; }
    }

    private sealed record Queued(string OrderId, List<string> LeaseIds, DateTimeOffset Deadline, string? Pinned, HashSet<string> Exclude)
    {
        /// <summary>The capacity epoch of the last attempt: nothing changed since, no point trying again.</summary>
        public long TriedAt { get; set; } = -1;
        public string Reason { get; set; } = "";
    }

    private sealed record OrderInfo(OrderRecord Order, OrderRequest Request, OrderSpec Spec);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Order {OrderId} placed: {Where}")]
    private static partial void LogPlaced(ILogger logger, string orderId, string where);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Lease {LeaseId} ended {State} ({Reason}): {Detail}")]
    private static partial void LogEnded(ILogger logger, string leaseId, string state, string? reason, string detail);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Order {OrderId}: a host changed under the placement (another coordinator); retrying")]
    private static partial void LogConflict(ILogger logger, string orderId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Host {HostId} reported lease {LeaseId}, which is not its own")]
    private static partial void LogForeignReport(ILogger logger, string hostId, string leaseId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "Host {HostId} sent lines for lease {LeaseId}, which is not its own; dropped")]
    private static partial void LogForeignLines(ILogger logger, string hostId, string leaseId);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Marketplace work failed")]
    private static partial void LogWorkFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Could not release allocation {AllocationId} after repeated conflicts")]
    private static partial void LogReleaseFailed(ILogger logger, string allocationId);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Lease {LeaseId}: host {HostId} went offline; moving it")]
    private static partial void LogMoving(ILogger logger, string leaseId, string hostId);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Host {HostId} is silent here but heard by another coordinator; its leases stay")]
    private static partial void LogHeardElsewhere(ILogger logger, string hostId);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "Host {HostId} cannot be offered: {Reason}")]
    private static partial void LogNotIndexed(ILogger logger, string hostId, string reason);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Log lines of lease {LeaseId} could not be stored")]
    private static partial void LogLinesLost(ILogger logger, Exception e, string leaseId);
}
