using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>A registered host as the matcher indexes it: its node, its GPUs and the store version of its capacity.</summary>
internal sealed class HostSlot(HostEntry entry, int node, int[] gpuIndex)
{
    public HostEntry Entry { get; } = entry;

    /// <summary>The host's node in the matcher.</summary>
    public int Node { get; } = node;

    /// <summary>The host's GPU index of each of the node's GPUs.</summary>
    public int[] GpuIndex { get; } = gpuIndex;

    /// <summary>The description the matcher's offer was made from.</summary>
    public required HostRecord Record { get; set; }

    /// <summary>What the matcher has as the host's offer.</summary>
    public required HostOffer Offer { get; set; }

    /// <summary>The catalog model the host offers.</summary>
    public required string Model { get; init; }

    /// <summary>The version of the host's capacity row this index is in step with.</summary>
    public long StoreVersion { get; set; }

    /// <summary>Its capacity row has been read (or created): only then is it matched.</summary>
    public bool Loaded { get; set; }

    /// <summary>Whether the matcher may place on it now.</summary>
    public bool Available { get; set; }

    /// <summary>The host's state at the last look (an Offline that is new means the host was lost).</summary>
    public HostState LastState { get; set; }

    /// <summary>The median of the checkers' round trips to it at the last look, in milliseconds (null: none kept); a
    /// new one may let a queued session through a tier's latency bound, or stop it.</summary>
    public double? RoundTripMs { get; set; }

    /// <summary>The stake its GPUs require before it is matched.</summary>
    public TokenAmount RequiredStake { get; init; }
}
