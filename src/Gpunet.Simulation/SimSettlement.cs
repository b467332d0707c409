using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Simulation;

/// <summary>Epoch settlement, one epoch per write, in order, each once: every lease's usage received in the epoch is
/// charged from its escrow by whole seconds (<see cref="MeteredSeconds"/> carries the rest), split between the host and
/// the treasury; recorded downtime is slashed; escrows of leases whose last usage is in are closed.</summary>
internal sealed class SimSettlement(SimCoordinator c, Scheduler clock, ChaosOptions options, Truth truth)
{
    /// <summary>The protocol's share of each charge (MISSION.md: 20 %).</summary>
    public const decimal ProtocolShare = 0.20m;

    /// <summary>What one downtime slash takes: a third of the 1,000-token stake.</summary>
    public static readonly TokenAmount SlashAmount = TokenAmount.FromBaseUnits(1000 * TokenAmount.BaseUnitsPerToken / 3);

    private bool _settling;

    private SimStore Store => c.Store;

    /// <summary>Forgets what lived in memory (a crash).</summary>
    public void Forget() => _settling = false;

    /// <summary>Returns what is left in the lease's escrow to its customer, once.</summary>
    public static void CloseEscrow(SimStore store, StoredLease lease, long nowMs)
    {
        if (lease.EscrowClosed)
            return;
        var left = store.Ledger.Balance(lease.Escrow);
        store.Ledger.Move(TransferIds.For(TransferIds.Release, 0, lease.Number), lease.Escrow, store.Customers[lease.Customer], left, TransferIds.Release, nowMs);
        lease.EscrowClosed = true;
        store.Open.Remove(lease);
    }

    public void Tick()
    {
        var next = Store.LastSettledEpoch + 1;
        if (_settling || clock.Now < ((next + 1) * options.EpochMs) + options.UsageLatenessMs)
            return;
        _settling = true;
        c.Write(() => Settle(next), () => _settling = false, () => _settling = false);
    }

    private void Settle(long epoch)
    {
        if (Store.SettledEpochs.Contains(epoch))
            return;
        var ledger = Store.Ledger;
        if (Store.UsageByEpoch.Remove(epoch, out var rows))
        {
            foreach (var perHost in rows.GroupBy(r => (r.Lease, r.Host)))
                Charge(Store.Leases[perHost.Key.Lease], Store.HostsById[perHost.Key.Host], epoch, perHost.Sum(r => r.BilledMs));
        }

        for (var i = 0; i < Store.UnsettledSlashes.Count; i++)
        {
            var host = Store.HostsById[Store.UnsettledSlashes[i].Host];
            var amount = TokenAmount.FromBaseUnits(Math.Min(SlashAmount.BaseUnits, ledger.Balance(host.Stake).BaseUnits));
            ledger.Move(TransferIds.For(TransferIds.Slash, epoch, i), host.Stake, ledger.Slashed, amount, TransferIds.Slash, clock.Now);
        }

        Store.UnsettledSlashes.Clear();
        foreach (var lease in Store.Open.ToList())
        {
            if (lease is { Ran: true, EndedMs: { } ended } && (ended + options.UsageLatenessMs) / options.EpochMs <= epoch)
                CloseEscrow(Store, lease, clock.Now);
        }

        Store.SettledEpochs.Add(epoch);
        Store.LastSettledEpoch = epoch;
        var times = truth.Settlements[epoch] = truth.Settlements.GetValueOrDefault(epoch) + 1;
        if (times != 1)
            throw new SimulationInvariantException("epoch-settled-once", $"epoch {epoch} settled {times} times");
        truth.Counters.EpochsSettled++;
    }

    private void Charge(StoredLease lease, StoredHost host, long epoch, long billedMs)
    {
        var metered = MeteredSeconds.Of(billedMs, lease.CarriedMs);
        var charge = LeaseCharge.For(lease.UsdPerGpuHour, lease.Gpus, 1000, metered.Seconds, TokenRate.Default);
        var subject = (lease.Number << 16) | (long)host.Index;
        var left = Store.Ledger.Balance(lease.Escrow);
        if (charge > left)
        {
            // The lease ran longer than its hold covers (it moved many times): a further hold from the customer, as the
            // coordinator takes the next hold when the first runs low.
            var customer = Store.Customers[lease.Customer];
            Store.Ledger.Move(TransferIds.For(TransferIds.Hold, epoch, subject), customer, lease.Escrow, charge - left, TransferIds.Hold, clock.Now);
            left = Store.Ledger.Balance(lease.Escrow);
        }

        if (charge > left)
            throw new SimulationInvariantException("escrow-covers-usage", $"lease {lease.Id} owes {charge} for epoch {epoch} and its escrow holds {left}");
        var (hostShare, protocol) = FeeSplit.Split(charge, ProtocolShare);
        Store.Ledger.Move(TransferIds.For(TransferIds.HostShare, epoch, subject), lease.Escrow, host.Earnings, hostShare, TransferIds.HostShare, clock.Now);
        Store.Ledger.Move(TransferIds.For(TransferIds.ProtocolShare, epoch, subject), lease.Escrow, Store.Ledger.Treasury, protocol, TransferIds.ProtocolShare, clock.Now);
        lease.CarriedMs = metered.CarriedMs;
        lease.ChargedSeconds += metered.Seconds;
        lease.SettledBilledMs += billedMs;
        lease.Charged += charge;
        truth.Counters.ChargedSeconds += metered.Seconds;
        if ((lease.ChargedSeconds * 1000) + lease.CarriedMs != lease.SettledBilledMs)
        {
            throw new SimulationInvariantException("billed-once",
                $"lease {lease.Id}: {lease.ChargedSeconds} s charged and {lease.CarriedMs} ms carried, for {lease.SettledBilledMs} ms billed");
        }
    }
}
