using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The stored inputs of one epoch's settlement, as read (the rules are applied to them by <see cref="EpochService"/>).</summary>
/// <param name="UsageMs">Billed milliseconds per lease, from accepted usage received before the epoch's end.</param>
/// <param name="ServedGpuSeconds">GPU-seconds served per host, from the same usage.</param>
/// <param name="Transitions">Every host state change before the epoch's end, ordered by host, then time.</param>
/// <param name="Hosts">Every registered container.</param>
/// <param name="Open">Leases whose billing is not closed.</param>
/// <param name="Unbonding">Unreleased unbonding entries, ordered by transfer id.</param>
/// <param name="Slashes">Slash events not yet settled, before the epoch's end.</param>
/// <param name="Checks">What the epoch's checks say; null (as <see cref="EpochChecks.None"/>) where nothing is checked.</param>
internal sealed record EpochRows(
    Dictionary<string, long> UsageMs,
    Dictionary<string, long> ServedGpuSeconds,
    IReadOnlyList<(string HostId, HostState To, DateTimeOffset At)> Transitions,
    IReadOnlyList<EpochHost> Hosts,
    IReadOnlyList<OpenLeaseBilling> Open,
    IReadOnlyList<VestingTranche> Tranches,
    IReadOnlyList<UnbondingRecord> Unbonding,
    IReadOnlyList<SlashEventRecord> Slashes,
    EpochChecks? Checks = null);
