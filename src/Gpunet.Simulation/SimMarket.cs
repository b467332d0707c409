using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;

namespace Gpunet.Simulation;

/// <summary>The coordinator's market: takes orders (holding their cost in escrow), places queued leases on Ready hosts'
/// free GPUs, follows what agents report, moves restartable leases off lost hosts, and ends leases with a reason.</summary>
internal sealed class SimMarket(SimCoordinator c, Scheduler clock, SimRandom random, ChaosOptions options, Truth truth)
{
    private readonly HashSet<string> _placing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _closedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _movedOnStreamLoss = new(StringComparer.Ordinal);

    private SimStore Store => c.Store;

    /// <summary>What the order holds: its cost for six times its duration (each move runs it again), and a minute.</summary>
    public static TokenAmount HoldFor(OrderRequest r) =>
        LeaseCharge.For(r.UsdPerGpuHour, r.Gpus, 1000, (r.DurationMs * 6 / 1000) + 60, TokenRate.Default);

    /// <summary>Forgets what lived in memory (a crash).</summary>
    public void Forget()
    {
        _placing.Clear();
        _closedAt.Clear();
        _movedOnStreamLoss.Clear();
    }

    /// <summary>Takes an order, or answers a retry of one: <paramref name="answer"/> gets true (accepted) or false
    /// (refused: not enough available tokens); not called when the write did not commit (the customer retries).</summary>
    public void PlaceOrder(OrderRequest r, Action<bool> answer)
    {
        if (Store.Leases.ContainsKey(r.LeaseId))
        {
            answer(true);
            return;
        }

        var customer = Store.Customers[r.Customer];
        var hold = HoldFor(r);
        if (Store.Ledger.Balance(customer) < hold)
        {
            answer(false);
            return;
        }

        c.Write(() =>
        {
            if (Store.Leases.ContainsKey(r.LeaseId) || Store.Ledger.Balance(customer) < hold)
                return;
            var key = AccountKey.LeaseEscrow(r.LeaseId);
            var escrow = Store.Ledger.Book.TryGetAccountId(key, out var id) ? id : Store.Ledger.Open(key);
            Store.Ledger.Move(TransferIds.For(TransferIds.Hold, 0, r.Number), customer, escrow, hold, TransferIds.Hold, clock.Now);
            var lease = new StoredLease(r.LeaseId, r.Number, r.Customer, escrow)
            {
                Gpus = r.Gpus,
                DurationMs = r.DurationMs,
                Restartable = r.Restartable,
                UsdPerGpuHour = r.UsdPerGpuHour,
                QueueDeadlineMs = clock.Now + options.QueueTimeoutMs,
            };
            Store.Leases.Add(lease.Id, lease);
            Store.Open.Add(lease);
        }, () => answer(Store.Leases.ContainsKey(r.LeaseId)));
    }

    /// <summary>The customer cancels: the lease ends and its host is told to stop it.</summary>
    public void Cancel(string leaseId)
    {
        if (!Store.Leases.TryGetValue(leaseId, out var lease))
            return;
        string? host = null;
        var attempt = 0;
        c.Write(() =>
        {
            if (LeaseLifecycle.IsEnded(lease.State))
                return;
            (host, attempt) = (lease.HostId, lease.Attempt);
            End(lease, LeaseEndReason.Cancelled, "cancelled by its customer");
        }, () =>
        {
            if (host is not null)
                c.Send(host, new StopCommand(leaseId, attempt));
        });
    }

    /// <summary>One placement round: each queued lease, oldest first, on the first Ready host (from a random one) with
    /// enough free GPUs. The commit checks again that the lease still waits and the GPUs are still free.</summary>
    public void Place()
    {
        var hosts = Store.Hosts;
        var first = random.Index(hosts.Count);
        foreach (var lease in Store.Open)
        {
            if (lease.State != LeaseState.Pending || _placing.Contains(lease.Id))
                continue;
            for (var i = 0; i < hosts.Count; i++)
            {
                var host = hosts[(first + i) % hosts.Count];
                if (host.State != HostState.Ready || FreeGpus(host, lease.Gpus) is not { } gpus)
                    continue;
                Commit(lease, host, gpus);
                break;
            }
        }
    }

    /// <summary>An agent's new stream: stop what it runs that is no longer its own, start again what it should run and
    /// did not hear, and deal with leases it lost (it restarted).</summary>
    public void Hello(string hostId, Hello hello)
    {
        _closedAt.Remove(hostId);
        _movedOnStreamLoss.Remove(hostId);
        var running = hello.Running.ToHashSet();
        foreach (var (leaseId, attempt) in running)
        {
            if (!Store.Leases.TryGetValue(leaseId, out var l) || l.HostId != hostId || l.Attempt != attempt || LeaseLifecycle.IsEnded(l.State))
                c.Send(hostId, new StopCommand(leaseId, attempt));
        }

        foreach (var lease in Store.PlacedOn(hostId).ToList())
        {
            if (running.Contains((lease.Id, lease.Attempt)))
                continue;
            if (lease.State == LeaseState.Starting)
            {
                // The agent may have started this attempt before it restarted (its lines stored, its start report lost
                // with it): a start sent again is a new attempt, so the new run's lines and usage are its own.
                var attemptUnheard = lease.Attempt;
                c.Write(() =>
                {
                    if (!LeaseLifecycle.CanStartAgain(lease.State) || lease.HostId != hostId || lease.Attempt != attemptUnheard)
                        return;
                    lease.Attempt++;
                    truth.Counters.StartsRenewed++;
                }, () =>
                {
                    if (lease.State == LeaseState.Starting && lease.HostId == hostId && lease.Attempt == attemptUnheard + 1)
                        c.Send(hostId, Command(lease));
                });
                continue;
            }

            var attemptLost = lease.Attempt;
            c.Write(() =>
            {
                if (lease.State == LeaseState.Running && lease.HostId == hostId && lease.Attempt == attemptLost)
                    Lost(lease, LeaseEndReason.WorkloadLost, $"host {hostId}'s agent restarted without it");
            });
        }
    }

    public void Started(string hostId, StartedMessage m)
    {
        if (!Store.Leases.TryGetValue(m.Lease, out var lease) || lease.HostId != hostId || lease.Attempt != m.Attempt || LeaseLifecycle.IsEnded(lease.State))
        {
            c.Acknowledge(hostId, m.Key);
            c.Send(hostId, new StopCommand(m.Lease, m.Attempt));
            return;
        }

        if (lease.State == LeaseState.Running)
        {
            c.Acknowledge(hostId, m.Key);
            return;
        }

        c.Write(() =>
        {
            if (lease.State != LeaseState.Starting || lease.HostId != hostId || lease.Attempt != m.Attempt)
                return;
            SimStore.Move(lease, LeaseState.Running);
            lease.StartedMs = m.StartedAgentMs;
            lease.Ran = true;
        }, () => c.Acknowledge(hostId, m.Key));
    }

    public void Ended(string hostId, EndedMessage m)
    {
        if (!Store.Leases.TryGetValue(m.Lease, out var lease) || lease.HostId != hostId || lease.Attempt != m.Attempt || LeaseLifecycle.IsEnded(lease.State))
        {
            c.Acknowledge(hostId, m.Key);
            return;
        }

        c.Write(() =>
        {
            if (lease.HostId == hostId && lease.Attempt == m.Attempt && !LeaseLifecycle.IsEnded(lease.State))
                End(lease, m.Reason, $"host {hostId}'s agent reported it");
        }, () => c.Acknowledge(hostId, m.Key));
    }

    public void StreamClosed(string hostId) => _closedAt[hostId] = clock.Now;

    /// <summary>The host went Offline (in the transition's write): downtime while serving is recorded for slashing, and its
    /// leases move (restartable) or end host-lost.</summary>
    public void HostLost(StoredHost host)
    {
        var placed = Store.PlacedOn(host.Id).ToList();
        var serving = placed.Where(l => l.State == LeaseState.Running).Select(l => l.Id).ToList();
        if (_movedOnStreamLoss.Remove(host.Id, out var movedEarlier))
            serving.AddRange(movedEarlier);
        if (serving.Count > 0)
        {
            if (!truth.HostAtFault(host.Id, clock.Now - options.OfflineGraceMs - (2 * options.HeartbeatMs), clock.Now))
                throw new SimulationInvariantException("honest-host-not-slashed", $"host {host.Id} is slashed for downtime at {clock.Now} with no fault of its own in the grace before");
            var slash = new SlashRecord(host.Id, clock.Now, $"went offline while serving {string.Join(", ", serving)}");
            Store.Slashes.Add(slash);
            Store.UnsettledSlashes.Add(slash);
            truth.Counters.Slashes++;
        }

        foreach (var lease in placed)
        {
            // Told on the stream if it is still open (a frozen agent's is): a thawed agent must not run it a second time.
            c.Send(host.Id, new StopCommand(lease.Id, lease.Attempt));
            Lost(lease, LeaseEndReason.HostLost, $"host {host.Id} went offline");
        }
    }

    /// <summary>Each monitor round: streams closed too long move their restartable leases; queued leases past their
    /// deadline expire; placed leases that never started fail.</summary>
    public void Watch()
    {
        foreach (var (hostId, closedAt) in _closedAt.ToList())
        {
            if (c.Connected(hostId) || clock.Now - closedAt < options.StreamLossFailoverMs)
                continue;
            _closedAt.Remove(hostId);
            if (c.Heard(hostId).LastHeardMs >= clock.Now - options.StreamLossFailoverMs)
                continue;
            c.Write(() =>
            {
                foreach (var lease in Store.PlacedOn(hostId).Where(l => l.Restartable).ToList())
                {
                    if (lease.State == LeaseState.Running)
                        (_movedOnStreamLoss.TryGetValue(hostId, out var moved) ? moved : _movedOnStreamLoss[hostId] = []).Add(lease.Id);
                    MoveOff(lease);
                }
            });
        }

        foreach (var lease in Store.Open.ToList())
        {
            if (lease.State == LeaseState.Pending && lease.QueueDeadlineMs <= clock.Now)
            {
                c.Write(() =>
                {
                    if (lease.State == LeaseState.Pending)
                        End(lease, LeaseEndReason.QueueTimeout, "no host could take it in time");
                });
            }
            else if (lease.State == LeaseState.Starting && clock.Now - lease.PlacedMs >= options.StartTimeoutMs)
            {
                var (host, attempt) = (lease.HostId!, lease.Attempt);
                c.Write(() =>
                {
                    if (lease.State == LeaseState.Starting && lease.Attempt == attempt)
                        End(lease, LeaseEndReason.StartTimeout, $"host {host} did not start it in time");
                }, () => c.Send(host, new StopCommand(lease.Id, attempt)));
            }
        }
    }

    /// <summary>Ends the lease; a lease that never ran gets its hold back at once.</summary>
    public void End(StoredLease lease, LeaseEndReason reason, string detail)
    {
        SimStore.End(lease, reason, detail, clock.Now);
        truth.Counters.LeasesEnded++;
        if (!lease.Ran)
            SimSettlement.CloseEscrow(Store, lease, clock.Now);
    }

    private void Lost(StoredLease lease, LeaseEndReason reason, string detail)
    {
        if (LeaseLifecycle.MovesOnHostLoss(lease.Restartable ? RestartPolicy.OnHostLoss : RestartPolicy.Never, lease.State))
            MoveOff(lease);
        else
            End(lease, reason, detail);
    }

    // Back to the queue with no deadline: it is placed again as its next attempt.
    private void MoveOff(StoredLease lease)
    {
        SimStore.Move(lease, LeaseState.Pending);
        lease.HostId = null;
        lease.GpuIndices = [];
        lease.StartedMs = null;
        lease.QueueDeadlineMs = null;
        truth.Counters.LeasesMoved++;
    }

    private void Commit(StoredLease lease, StoredHost host, int[] gpus)
    {
        _placing.Add(lease.Id);
        var placed = false;
        c.Write(() =>
        {
            if (lease.State != LeaseState.Pending || host.State != HostState.Ready
                || Store.PlacedOn(host.Id).Any(l => l.GpuIndices.Intersect(gpus).Any()))
                return;
            lease.Attempt++;
            lease.HostId = host.Id;
            lease.GpuIndices = gpus;
            SimStore.Move(lease, LeaseState.Starting);
            lease.PlacedMs = clock.Now;
            lease.QueueDeadlineMs = null;
            truth.Counters.Placements++;
            placed = true;
        }, () =>
        {
            _placing.Remove(lease.Id);
            if (placed)
                c.Send(host.Id, Command(lease));
        }, () => _placing.Remove(lease.Id));
    }

    private int[]? FreeGpus(StoredHost host, int count)
    {
        var used = 0UL;
        foreach (var l in Store.PlacedOn(host.Id))
        {
            foreach (var g in l.GpuIndices)
                used |= 1UL << g;
        }

        var free = new List<int>(count);
        for (var g = 0; g < host.Gpus && free.Count < count; g++)
        {
            if ((used & (1UL << g)) == 0)
                free.Add(g);
        }

        return free.Count == count ? [.. free] : null;
    }

    private static StartCommand Command(StoredLease lease) => new(lease.Id, lease.Attempt, lease.GpuIndices, lease.DurationMs);
}
