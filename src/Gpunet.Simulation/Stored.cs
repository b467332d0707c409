using Gpunet.Core.Hosts;
using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;

namespace Gpunet.Simulation;

/// <summary>A host as the store holds it.</summary>
internal sealed class StoredHost(int index, string id, AccountId earnings, AccountId stake, int gpus)
{
    public int Index { get; } = index;

    public string Id { get; } = id;

    /// <summary>The operator's available account, paid for the host's leases.</summary>
    public AccountId Earnings { get; } = earnings;

    /// <summary>The stake behind the host, slashed for downtime while serving.</summary>
    public AccountId Stake { get; } = stake;

    public int Gpus { get; } = gpus;

    public HostState State { get; set; } = HostState.Pending;

    public long StateSinceMs { get; set; }

    public string? StateReason { get; set; }

    /// <summary>When the host was last heard, to the second (the coordinator stores it every few seconds).</summary>
    public long? LastHeardMs { get; set; }

    /// <summary>Since when it was heard without a longer silence than the heard gap, as of <see cref="LastHeardMs"/>.</summary>
    public long? HeardSinceMs { get; set; }
}

/// <summary>An order's lease as the store holds it (one lease per order here).</summary>
internal sealed class StoredLease(string id, long number, int customer, AccountId escrow)
{
    public string Id { get; } = id;

    /// <summary>The lease's number: part of the ids of its ledger transfers.</summary>
    public long Number { get; } = number;

    public int Customer { get; } = customer;

    public AccountId Escrow { get; } = escrow;

    public int Gpus { get; init; }

    public long DurationMs { get; init; }

    public bool Restartable { get; init; }

    public decimal UsdPerGpuHour { get; init; }

    public LeaseState State { get; set; } = LeaseState.Pending;

    /// <summary>The end reason and its detail, e.g. <c>host-lost: host h3 went offline</c>.</summary>
    public string? EndReason { get; set; }

    public string? HostId { get; set; }

    public int[] GpuIndices { get; set; } = [];

    /// <summary>Its current placement, from 1; 0 before the first.</summary>
    public int Attempt { get; set; }

    /// <summary>When the current attempt's workload started, as its agent said; null until it says so.</summary>
    public long? StartedMs { get; set; }

    /// <summary>Whether any attempt ever started: then its escrow waits for the settlement of its last usage.</summary>
    public bool Ran { get; set; }

    public long? EndedMs { get; set; }

    /// <summary>When a queued lease expires; null once placed (a lease moving after a host loss waits with no deadline).</summary>
    public long? QueueDeadlineMs { get; set; }

    public long PlacedMs { get; set; }

    /// <summary>The end of the latest accepted usage report: earlier periods are billed.</summary>
    public long BilledThroughMs { get; set; } = long.MinValue;

    /// <summary>Metered milliseconds short of a second, carried to the next epoch's charge.</summary>
    public long CarriedMs { get; set; }

    /// <summary>Seconds charged so far, over every settled epoch.</summary>
    public long ChargedSeconds { get; set; }

    /// <summary>Billed milliseconds of every settled report.</summary>
    public long SettledBilledMs { get; set; }

    /// <summary>Tokens moved out of the escrow to the host and the treasury.</summary>
    public TokenAmount Charged { get; set; }

    /// <summary>True once what was left in the escrow went back to the customer.</summary>
    public bool EscrowClosed { get; set; }

    /// <summary>Accepted usage, in the order stored.</summary>
    public List<UsageRow> Usage { get; } = [];
}

/// <summary>One accepted usage report.</summary>
/// <param name="TruthHeardMs">What the whole run heard of the host over the period (for the invariants; the coordinator
/// never reads it).</param>
internal sealed record UsageRow(
    string Lease, string Host, int Attempt, long Sequence, long FromMs, long ToMs, long BilledMs, long ReceivedMs, long Epoch, long TruthHeardMs);

/// <summary>Downtime while serving, recorded for the next settlement to slash.</summary>
internal sealed record SlashRecord(string Host, long AtMs, string Reason);
