using Gpunet.Core.Marketplace;

namespace Gpunet.Simulation;

/// <summary>What survives a coordinator crash: hosts, leases, usage, settled epochs, slashes and the ledger. A coordinator
/// changes it only through a write that commits whole or not at all (<see cref="SimCoordinator"/>'s <c>Write</c>).</summary>
internal sealed class SimStore
{
    public List<StoredHost> Hosts { get; } = [];

    public Dictionary<string, StoredHost> HostsById { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, StoredLease> Leases { get; } = new(StringComparer.Ordinal);

    /// <summary>Leases not yet finished with: not ended, or ended with their escrow still open. Ordered by acceptance.</summary>
    public List<StoredLease> Open { get; } = [];

    /// <summary>Accepted usage by (lease, attempt, sequence).</summary>
    public Dictionary<(string Lease, int Attempt, long Sequence), UsageRow> Usage { get; } = [];

    /// <summary>Usage accepted per epoch, waiting for that epoch's settlement.</summary>
    public Dictionary<long, List<UsageRow>> UsageByEpoch { get; } = [];

    /// <summary>Stored output lines per attempt, as the batches' ranges.</summary>
    public Dictionary<(string Lease, int Attempt), List<(long First, long Last)>> Lines { get; } = [];

    /// <summary>Epochs settled, each once.</summary>
    public HashSet<long> SettledEpochs { get; } = [];

    /// <summary>The latest settled epoch; epochs settle in order.</summary>
    public long LastSettledEpoch { get; set; } = -1;

    public List<SlashRecord> Slashes { get; } = [];

    /// <summary>Downtime recorded and not yet slashed.</summary>
    public List<SlashRecord> UnsettledSlashes { get; } = [];

    public SimLedger Ledger { get; } = new();

    /// <summary>Each customer's available account.</summary>
    public List<Gpunet.Core.Ledger.AccountId> Customers { get; } = [];

    /// <summary>Leases placed on <paramref name="hostId"/> that hold GPUs.</summary>
    public IEnumerable<StoredLease> PlacedOn(string hostId) =>
        Open.Where(l => l.HostId == hostId && LeaseLifecycle.HoldsCapacity(l.State));

    /// <summary>Ends the lease with <paramref name="reason"/>: the only way into an end state.</summary>
    public static void End(StoredLease lease, LeaseEndReason reason, string detail, long nowMs)
    {
        Move(lease, LeaseLifecycle.EndState(reason));
        lease.EndReason = LeaseLifecycle.Spell(reason) + ": " + detail;
        lease.EndedMs = nowMs;
    }

    /// <summary>Moves the lease to <paramref name="to"/> when the lifecycle allows it; throws otherwise (a bug the run
    /// reports as a broken invariant).</summary>
    public static void Move(StoredLease lease, LeaseState to)
    {
        if (!LeaseLifecycle.CanMove(lease.State, to))
            throw new SimulationInvariantException("lease-lifecycle", $"lease {lease.Id} moved {lease.State} -> {to}, which the lifecycle forbids");
        lease.State = to;
    }
}
