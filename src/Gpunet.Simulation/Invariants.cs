using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;

namespace Gpunet.Simulation;

/// <summary>What must hold after every step: the ledger balanced with the supply constant, no GPU given twice (by the
/// store, or run twice by an agent), every accepted order queued, placed or ended with a reason; and, as each report is
/// stored, no time billed twice or billed unheard, and heard time lost only to a coordinator restart.</summary>
/// <remarks>Each step re-checks what a step can change (the accounts it touched, the open leases, the agents' GPUs);
/// <see cref="Final"/> audits everything.</remarks>
internal sealed class Invariants(SimStore store, Truth truth, IReadOnlyList<SimAgent> agents)
{
    private readonly Dictionary<AccountId, long> _balances = [];
    private readonly Dictionary<string, ulong> _gpus = new(StringComparer.Ordinal);
    private long _sum;

    /// <summary>Checks a usage row before it is stored.</summary>
    public static void CheckUsage(UsageRow row, StoredLease lease, Truth truth, ChaosOptions options, long maxGapMs, long nowMs)
    {
        foreach (var other in lease.Usage)
        {
            if (other.FromMs < row.ToMs && row.FromMs < other.ToMs)
            {
                throw new SimulationInvariantException("billed-once",
                    $"lease {lease.Id}: [{row.FromMs}, {row.ToMs}) of attempt {row.Attempt} overlaps [{other.FromMs}, {other.ToMs}) of attempt {other.Attempt}, already billed");
            }
        }

        if (row.BilledMs > row.TruthHeardMs)
        {
            throw new SimulationInvariantException("no-unheard-billing",
                $"lease {lease.Id}: {row.BilledMs} ms billed over [{row.FromMs}, {row.ToMs}), in which host {row.Host} was heard {row.TruthHeardMs} ms");
        }

        var lost = row.TruthHeardMs - row.BilledMs;
        if (lost == 0)
            return;

        // Heard time goes unbilled only around a coordinator restart: the heard time it had not stored yet (one store
        // interval, to the second either side, and a heard gap), and the outage itself. A restart after the period
        // (before the report came in) may lose it whole: only the host's latest heard period is stored.
        var margin = options.PersistHeardMs + 2_000 + maxGapMs;
        if (truth.CoordinatorDown(row.ToMs, nowMs))
            return;
        var allowed = truth.Outages.Where(o => o.From <= row.ToMs && o.To >= row.FromMs - margin).Sum(o => Math.Min(o.To, nowMs) - o.From + margin);
        if (lost > allowed)
        {
            throw new SimulationInvariantException("heard-time-billed",
                $"lease {lease.Id}: host {row.Host} was heard {row.TruthHeardMs} ms of [{row.FromMs}, {row.ToMs}) and {row.BilledMs} ms were billed; restarts allow {allowed} ms unbilled");
        }
    }

    /// <summary>Reads every balance once, before the first step.</summary>
    public void Start()
    {
        foreach (var a in store.Ledger.Book.Accounts)
        {
            _balances[a.Id] = a.Balance.BaseUnits;
            _sum += a.Balance.BaseUnits;
        }

        store.Ledger.ClearTouched();
    }

    public void AfterStep()
    {
        CheckLedger();
        CheckLeases();
        CheckAgents();
    }

    /// <summary>The whole-run audit: the ledger replayed from genesis, and every accepted order accounted for.</summary>
    public void Final()
    {
        var audit = LedgerAudit.Verify(store.Ledger.Book);
        if (!audit.Balanced)
            throw new SimulationInvariantException("ledger-balanced", string.Join("; ", audit.Problems));
        foreach (var order in truth.AcceptedOrders)
        {
            if (!store.Leases.TryGetValue(order, out var lease))
                throw new SimulationInvariantException("order-accounted", $"order {order} was accepted and the store does not have it");
            CheckLease(lease);
        }

        CheckLines();
        foreach (var (epoch, times) in truth.Settlements)
        {
            if (times != 1)
                throw new SimulationInvariantException("epoch-settled-once", $"epoch {epoch} settled {times} times");
        }
    }

    // Every line an attempt wrote is stored once, still waits in its agent's outbox, or was dropped on purpose (its attempt
    // was over, or it came too late); only an agent's death loses lines otherwise, and nothing is stored that was not written.
    private void CheckLines()
    {
        var waiting = agents.SelectMany(a => a.WaitingLines).GroupBy(b => (b.Lease, b.Attempt))
            .ToDictionary(g => g.Key, g => g.Select(b => (b.FirstSequence, b.LastSequence)).ToList());
        var dropped = truth.LinesDropped.GroupBy(b => (b.Lease, b.Attempt))
            .ToDictionary(g => g.Key, g => g.Select(b => (b.First, b.Last)).ToList());
        foreach (var (key, written) in truth.Lines)
        {
            var stored = store.Lines.GetValueOrDefault(key) ?? [];
            if (stored.Count > 0 && stored.Max(r => r.Last) > written)
                throw new SimulationInvariantException("lines-kept-once", $"lease {key.Lease} attempt {key.Attempt}: a line past the {written} its workload wrote is stored");
            if (truth.LinesLost.Contains(key))
                continue;
            var accounted = Covered([.. stored, .. waiting.GetValueOrDefault(key) ?? [], .. dropped.GetValueOrDefault(key) ?? []]);
            if (accounted != written)
            {
                throw new SimulationInvariantException("lines-kept-once",
                    $"lease {key.Lease} attempt {key.Attempt}: its workload wrote {written} lines and {accounted} are stored, waiting or dropped for a reason");
            }
        }
    }

    // Lines in the union of the ranges.
    private static long Covered(List<(long First, long Last)> ranges)
    {
        long total = 0, end = 0;
        foreach (var (first, last) in ranges.OrderBy(r => r.First))
        {
            if (last <= end)
                continue;
            total += last - Math.Max(first - 1, end);
            end = last;
        }

        return total;
    }

    private void CheckLedger()
    {
        var ledger = store.Ledger;
        if (ledger.Touched.Count == 0)
            return;
        foreach (var id in ledger.Touched)
        {
            var account = ledger.Book.Account(id);
            var balance = account.Balance.BaseUnits;
            if (account.DebitsPending != 0 || account.CreditsPending != 0)
                throw new SimulationInvariantException("ledger-balanced", $"account {account.Key} has pending transfers, which the run never makes");
            _sum += balance - _balances.GetValueOrDefault(id);
            _balances[id] = balance;
        }

        ledger.ClearTouched();
        if (_sum != ledger.Book.GenesisTotal.BaseUnits)
            throw new SimulationInvariantException("supply-constant", $"the balances sum to {_sum} base units; genesis created {ledger.Book.GenesisTotal.BaseUnits}");
    }

    private void CheckLeases()
    {
        _gpus.Clear();
        foreach (var lease in store.Open)
        {
            CheckLease(lease);
            if (!LeaseLifecycle.HoldsCapacity(lease.State))
                continue;
            var used = _gpus.GetValueOrDefault(lease.HostId!);
            foreach (var g in lease.GpuIndices)
            {
                var bit = 1UL << g;
                if ((used & bit) != 0)
                    throw new SimulationInvariantException("gpu-given-once", $"GPU {g} of host {lease.HostId} is given to lease {lease.Id} and to another lease");
                used |= bit;
            }

            _gpus[lease.HostId!] = used;
        }
    }

    private static void CheckLease(StoredLease lease)
    {
        var fine = lease.State switch
        {
            LeaseState.Pending => lease.HostId is null,
            LeaseState.Starting or LeaseState.Running => lease.HostId is not null && lease.GpuIndices.Length == lease.Gpus && lease.Attempt > 0,
            _ => !string.IsNullOrEmpty(lease.EndReason) && lease.EndedMs is not null,
        };
        if (!fine)
        {
            throw new SimulationInvariantException("order-accounted",
                $"lease {lease.Id} is {lease.State} on host {lease.HostId ?? "none"} with {lease.GpuIndices.Length} of {lease.Gpus} GPUs and reason '{lease.EndReason}'");
        }
    }

    private void CheckAgents()
    {
        foreach (var agent in agents)
        {
            var used = 0UL;
            foreach (var w in agent.Workloads)
            {
                foreach (var g in w.Gpus)
                {
                    if ((used & (1UL << g)) != 0)
                        throw new SimulationInvariantException("gpu-given-once", $"host {agent.HostId} runs two workloads on GPU {g}");
                    used |= 1UL << g;
                }
            }
        }
    }
}
