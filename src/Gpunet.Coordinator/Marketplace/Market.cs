using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Scheduling;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;
using Gpunet.Protocol;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The marketplace: one loop that owns the matcher and drives its parts — the capacity index kept in step
/// with the hosts (<see cref="CapacityIndex"/>), the order queue (<see cref="OrderQueue"/>), placement commits
/// (<see cref="OrderPlacement"/>), lease state changes (<see cref="LeaseDriver"/>, <see cref="LeaseCloser"/>), agents'
/// reports and commands (<see cref="AgentReports"/>, <see cref="AgentCommands"/>), failover (<see cref="HostFailover"/>), time-outs (<see cref="MarketDeadlines"/>),
/// other coordinators' changes (<see cref="ForeignChangeScan"/>) and log intake (<see cref="LogIntake"/>).</summary>
/// <remarks>Callers post work and await its outcome. The store is the truth: capacity commits are checked against the
/// host's version, lease changes against the lease's version, so several coordinators over one database never give a
/// GPU twice or move one lease two ways. The loop never awaits the network (commands wait in each agent session's
/// queue), and each piece of work has <see cref="WorkTimeout"/> for its store calls, so no stalled call stops every
/// placement.</remarks>
internal sealed partial class Market : BackgroundService
{
    /// <summary>How long one piece of work may wait on the store before it is given up (and logged).</summary>
    public static readonly TimeSpan WorkTimeout = MarketWork.Timeout;

    private readonly LeaseStore _store;
    private readonly LedgerService _ledger;
    private readonly MarketOptions _options;
    private readonly TimeProvider _time;
    private readonly MarketWork _loop;
    private readonly CapacityIndex _index;
    private readonly OrderQueue _queue = new();
    private readonly ReportInbox _inbox;
    private readonly Submissions _submissions;
    private readonly OrderBook _orders;
    private readonly LogIntake _logs;
    private readonly HeldLeases _held;
    private readonly LeaseCloser _closer;
    private readonly OrderPlacement _placement;
    private readonly HostFailover _failover;
    private readonly StreamLossWatch _streams;
    private readonly ForeignChangeScan _scan;
    private readonly AgentReports _reports;
    private readonly AgentCommands _commands;
    private readonly StrayCapacity _stray;
    private readonly MarketDeadlines _deadlines;
    private readonly HostChangeFeed _hostChanges;
    private DateTimeOffset _lastScan;
    private DateTimeOffset _lastReconcile;
    private long _hostChangesSeen;
    private long _stakeVersionSeen = -1;
    private int _tickQueued;
    private int _queuedCount;
    private int _placedCount;

    public Market(
        HostRegistry registry,
        HostStore hostStore,
        HostChangeFeed hostChanges,
        LeaseStore store,
        PlacementStore placements,
        LedgerService ledger,
        HostStakes stakes,
        Compliance.ComplianceService compliance,
        LeaseLogFeed feed,
        UnplacedLeaseRelease unplacedRelease,
        HostTrackRecords trackRecords,
        IEnumerable<IPlacementRule> placementRules,
        IOptions<MarketOptions> options,
        IOptions<HostsOptions> hosts,
        IOptions<LedgerOptions> ledgerOptions,
        TimeProvider time,
        ILogger<Market> log,
        Leadership.ILeadership leadership)
    {
        _store = store;
        _ledger = ledger;
        _options = options.Value;
        _time = time;
        _loop = new MarketWork(time, log);
        _index = new CapacityIndex(registry, placements, stakes, trackRecords, hosts.Value.HeardElsewhereWithin,
            _options.ForeignChangeScanInterval, time, log);
        _hostChanges = hostChanges;
        _orders = new OrderBook(store);
        _logs = new LogIntake(store, feed, time, log);
        _held = new HeldLeases(placements, _index, _logs);
        var driver = new LeaseDriver(store, time, log);
        var commands = _commands = new AgentCommands(_orders, store);
        var relay = new LeaseRelay(hostStore, time);
        _closer = new LeaseCloser(driver, store, feed, unplacedRelease, _queue, _orders, _held, _index, _logs, relay, log);
        _placement = new OrderPlacement(_index, _queue, _orders, new PlacementGate(ledgerOptions.Value.RequireStake, compliance, ledger, _index, [.. placementRules], time), driver, _held, commands,
            relay, placements, store, time, log);
        _failover = new HostFailover(store, _orders, _queue, _held, driver, _closer, _placement, hosts, time, log);
        _streams = new StreamLossWatch(_options.StreamLossFailoverAfter);
        _scan = new ForeignChangeScan(placements, store, _index, _held, _closer, commands, log);
        _reports = new AgentReports(store, driver, _closer, _held, commands, _logs, _orders, log);
        _inbox = new ReportInbox(_reports, _failover, log);
        _submissions = new Submissions(store, _orders, _queue, _placement, SyncHostsAsync);
        _stray = new StrayCapacity(placements, store, _index, time, log);
        _deadlines = new MarketDeadlines(store, _queue, _orders, _held, _closer, _options, leadership, log);
    }

    /// <summary>The hosts serving a lease this coordinator holds (for quality-of-service checks).</summary>
    public Task<HashSet<string>> ServingHostsAsync() =>
        _loop.RunAsync(MarketWorkKind.Query, _ => Task.FromResult(_held.Snapshot().Select(h => h.Slot.Entry.Id).ToHashSet(StringComparer.Ordinal)));

    /// <summary>Wholly free GPUs per host (of the model it offers), as of the market's last change; for GPU search.</summary>
    public IReadOnlyDictionary<string, int> FreeGpus => _index.FreeGpus;

    /// <summary>Wholly free GPUs per host, with every host registered so far indexed (a host ready a moment ago counts).</summary>
    public Task<IReadOnlyDictionary<string, int>> FreeGpusNowAsync() => _loop.RunAsync(MarketWorkKind.Query, async ct =>
    {
        await SyncHostsAsync(ct);
        _index.PublishFree();
        return FreeGpus;
    });

    /// <summary>Leases queued and placed, as of the market's last change; for metrics.</summary>
    public (int Queued, int Placed) Counts => (Volatile.Read(ref _queuedCount), Volatile.Read(ref _placedCount));

    /// <summary>Ticks of the market loop run to the end (expiry, failover, placement, the scan of other coordinators'
    /// changes); flat while the loop is stalled.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    private long _ticks;

    /// <summary>Raised on the market's loop when a lease this coordinator ended ends, with its id and end reason
    /// (<c>completed</c>, …).</summary>
    public event Action<string, string>? Ended
    {
        add => _closer.Ended += value;
        remove => _closer.Ended -= value;
    }

    /// <summary>What the market keeps per lease and per order now (tests check that it does not grow).</summary>
    internal Task<MarketFootprint> FootprintAsync() => RunAsync(_ => Task.FromResult(
        new MarketFootprint(_held.Count, _orders.Count, _queue.Count, _logs.ReceivingCount, _logs.WritingCount)));

    /// <summary>Runs <paramref name="work"/> on the market's loop and returns its result.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> work) => RunAsync(_ => work());

    /// <summary>Runs <paramref name="work"/> on the market's loop, with a token that ends after <see cref="WorkTimeout"/>.</summary>
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work) => _loop.RunAsync(MarketWorkKind.Query, work);

    /// <summary>How busy the market's loop has been, by kind of work.</summary>
    public MarketLoad Load => _loop.Load;

    /// <summary>Stores a new order with its pending leases, then tries to place it at once. The order is durable
    /// before this returns, placed or not: a queued order waits with its reason.</summary>
    /// <param name="stored">True when the order is already stored (with its escrow, in the ledger's transaction).</param>
    /// <remarks>Orders submitted while the market is busy are placed together (<see cref="OrderPlacement"/>), in the
    /// order they came.</remarks>
    public async Task SubmitAsync(OrderRecord order, OrderRequest request, OrderSpec spec, IReadOnlyList<LeaseRecord> leases, bool stored = false)
    {
        await _loop.Loaded;
        var (first, placed) = _submissions.Add(new OrderInfo(order, request, spec), leases, stored);
        if (first)
            _ = _loop.Post(MarketWorkKind.Submit, _submissions.PlaceAsync);
        await placed;
    }

    /// <summary>Cancels a lease (a queued gang order is cancelled whole). Null when there is no such lease for
    /// <paramref name="owner"/> (null: an operator, who may cancel any).</summary>
    public Task<(LeaseRecord? Lease, string? Error)> CancelAsync(string leaseId, string? owner) =>
        EndByAsync(leaseId, owner, LeaseEndReason.Cancelled, "cancelled by the customer");

    /// <summary>Ends a lease whose customer can no longer pay for it (epoch settlement found no funds for its next hold).</summary>
    public Task EndForFundsAsync(string leaseId, string detail) => EndByAsync(leaseId, null, LeaseEndReason.FundsExhausted, detail);

    /// <summary>Ends a lease that a compliance rule now stops (<paramref name="detail"/> names every rule); with a
    /// <paramref name="fence"/>, as the network's leader (the compliance sweep).</summary>
    public Task<(LeaseRecord? Lease, string? Error)> EndForComplianceAsync(string leaseId, string detail, Leadership.LeaderFence? fence = null) =>
        EndByAsync(leaseId, null, LeaseEndReason.Compliance, detail, fence);

    // Ends a lease as a customer's or the network's decision. Another coordinator may move it between the read and the
    // end (its agent's RUNNING taken there, its placement there): the end is then tried again on what is stored now, so
    // that the decision is never lost; the lease as it is at the end, or why it could not be ended.
    private Task<(LeaseRecord? Lease, string? Error)> EndByAsync(string leaseId, string? owner, LeaseEndReason reason, string detail, Leadership.LeaderFence? fence = null) =>
        _loop.RunAsync<(LeaseRecord?, string?)>(MarketWorkKind.Cancel, async ct =>
        {
            for (var attempt = 1; ; attempt++)
            {
                var lease = await _store.LeaseAsync(leaseId, ct);
                if (lease is null || (owner is not null && lease.Owner != owner))
                    return (null, null);
                var state = Enum.Parse<LeaseState>(lease.State);
                if (LeaseLifecycle.IsEnded(state))
                {
                    return attempt == 1 ? (lease, $"lease {leaseId} already ended ({lease.State.ToLowerInvariant()}, {lease.EndReason})")
                        : (lease, null); // ended meanwhile, by this decision or another coordinator's
                }

                if (state == LeaseState.Pending)
                {
                    var queued = _queue.Holding(leaseId);
                    var ids = queued?.LeaseIds ?? [leaseId];
                    if (queued is not null)
                        _queue.Remove(queued);
                    foreach (var id in ids)
                    {
                        if (await _store.LeaseAsync(id, ct) is { } member && member.State == nameof(LeaseState.Pending))
                            await _closer.EndAsync(member, reason, $"{detail} while queued", null, stopAgent: false, fence, ct);
                    }
                }
                else
                {
                    await _closer.EndAsync(lease, reason, detail, null, stopAgent: true, fence, ct);
                }

                if (attempt == LeaseCloser.MaxEndAttempts)
                {
                    var now = await _store.LeaseAsync(leaseId, ct);
                    return now is not null && !LeaseLifecycle.IsEnded(Enum.Parse<LeaseState>(now.State))
                        ? (now, $"lease {leaseId} kept changing on another coordinator and is not ended yet ({now.State.ToLowerInvariant()}); ask again")
                        : (now, null);
                }
            }
        });

    /// <summary>An agent (re)connected, telling what it runs and what ended while it was away.</summary>
    public void Connected(HostEntry entry, AgentSession session, IReadOnlyList<LeaseReport> reports) =>
        Tell(new ReportInbox.Item(entry, null, session, reports));

    /// <summary>An agent says what became of a lease's workload.</summary>
    /// <returns>Completes once the report is applied (or failed, logged): a usage report the agent sent after it waits
    /// for this, or a RUNNING report still waiting for this loop would have it refused as "not started".</returns>
    public Task ReportAsync(HostEntry entry, LeaseReport report) => Tell(new ReportInbox.Item(entry, report, null, null));

    // What agents say waits in the inbox; the first item in an empty inbox posts the work that takes it all.
    private Task Tell(ReportInbox.Item item)
    {
        if (_inbox.Add(item))
            _ = _loop.Post(MarketWorkKind.Reports, _inbox.ApplyAsync);
        return item.Applied.Task;
    }

    /// <summary>Whether this coordinator holds the lease on a host connected here, and so receives its lines (and
    /// pushes them to followers); a lease served through another coordinator of a shared store is only in the store.</summary>
    public bool ReceivesLinesOf(string leaseId) => _logs.Receives(leaseId);

    /// <summary>Lines a lease's workload wrote; kept only when the lease is on the reporting host, and pushed to its
    /// followers once stored.</summary>
    public void Logs(string hostId, LeaseLog logs, Action<LogAck> acknowledge) => _logs.Take(hostId, logs, acknowledge);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoadAsync(stoppingToken);
        }
        finally
        {
            _loop.Ready();
        }

        using var ticker = new Concurrency.LoopTimer(_options.MarketInterval, _time);
        var ticks = Task.Run(async () =>
        {
            try
            {
                while (await ticker.WaitForNextTickAsync(stoppingToken))
                {
                    // One tick waiting at most: a slow store does not pile ticks up behind the work.
                    if (Interlocked.Exchange(ref _tickQueued, 1) == 0)
                        _ = _loop.Post(MarketWorkKind.Tick, TickAsync);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _loop.Complete();
            }
        }, CancellationToken.None);

        await _loop.RunQueuedAsync(() =>
        {
            _index.PublishFree();
            Volatile.Write(ref _queuedCount, _queue.LeaseCount);
            Volatile.Write(ref _placedCount, _held.Count);
        });

        await ticks;
    }

    /// <summary>At start: hosts and their stored capacity, the queue, the leases that hold capacity, and capacity that
    /// a placement cut short left taken by no lease given back.</summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        await SyncHostsAsync(ct);
        var open = await _store.OpenLeasesAsync(ct);
        foreach (var group in open.GroupBy(l => l.OrderId))
        {
            var info = await _orders.GetAsync(group.Key, ct);
            if (info is null)
                continue;
            var pending = group.Where(l => l.State == nameof(LeaseState.Pending)).OrderBy(l => l.Member).ToList();
            var unplaced = pending.Where(l => l.Attempt == 0).Select(l => l.Id).ToList();
            if (unplaced.Count > 0)
                _queue.Add(new QueuedOrder(info.Order.Id, unplaced, info.Order.QueueDeadline, info.Request.Host, []));
            // A lease moving after its host was lost waits with no deadline, alone, away from its gang's hosts: as
            // HostFailover queued it (the order's queue deadline was for its first placement).
            var gangHosts = group.Where(l => l.HostId is not null).Select(l => l.HostId!).ToHashSet(StringComparer.Ordinal);
            foreach (var moving in pending.Where(l => l.Attempt > 0))
                _queue.Add(new QueuedOrder(info.Order.Id, [moving.Id], DateTimeOffset.MaxValue, info.Request.Host, gangHosts));
            foreach (var lease in group.Where(l => l.State != nameof(LeaseState.Pending)))
                await _held.HoldAsync(lease, ct);
        }

        await _stray.ReleaseAsync(open, ct);
        _lastReconcile = _time.GetUtcNow();
    }

    private async Task TickAsync(CancellationToken ct)
    {
        Volatile.Write(ref _tickQueued, 0);
        if (_ledger.StakeVersion != _stakeVersionSeen)
        {
            // Some host's stake changed: orders waiting for a staked host are worth another look.
            _stakeVersionSeen = _ledger.StakeVersion;
            _index.NewEpoch();
        }

        await SyncHostsAsync(ct);
        var now = _time.GetUtcNow();
        // A host whose agent's stream closed and stayed closed is dead as far as this coordinator can tell: its
        // restartable leases move now, not after the whole offline grace.
        foreach (var slot in _streams.Lost(_held.Snapshot().Select(h => h.Slot), now))
            await _failover.StreamLostAsync(slot, _streams.Window, ct);
        // Another coordinator's host change (a lease it placed on a host connected here, or ended) is looked at now.
        var hostChanges = _hostChanges.Version;
        var scan = now - _lastScan >= _options.ForeignChangeScanInterval || hostChanges != _hostChangesSeen;
        await _deadlines.EndDueAsync(now, sweepStore: scan, ct);

        await _placement.TryPlaceAsync(_queue.Snapshot(), ct);

        foreach (var held in _held.Snapshot().Where(h => h.StartedAt is null))
        {
            if (held.Slot.Entry.Session is { } session && held.SentTo != session)
                await _commands.DispatchAsync(held, session, ct);
        }

        _logs.Sweep();
        if (scan)
        {
            _lastScan = now;
            _hostChangesSeen = hostChanges;
            var reconcile = now - _lastReconcile >= _options.CapacityReconcileInterval;
            await _scan.ScanAsync(reconcile, ct);
            if (reconcile)
                _lastReconcile = now;
            await _index.RetryUnreleasedAsync(ct);
            // Stake placed through another coordinator of a shared store counts here too.
            await _ledger.TryRefreshAsync(ct);
        }

        Interlocked.Increment(ref _ticks);
    }

    /// <summary>Brings the capacity index in step with the hosts; hosts that went offline are failed over.</summary>
    private async Task SyncHostsAsync(CancellationToken ct)
    {
        foreach (var slot in await _index.SyncAsync(ct))
            await _failover.HostLostAsync(slot, ct);
    }
}
