namespace Gpunet.Core.Hosts;

/// <summary>What the coordinator knows about one host's health when the policy runs.</summary>
/// <param name="HostId">The host's id (<c>host-…</c>).</param>
/// <param name="State">The host's current state.</param>
/// <param name="StateSince">When the host entered <paramref name="State"/> (UTC).</param>
/// <param name="Zone">The host's failure zone: its ISO 3166-1 alpha-2 country code.</param>
/// <param name="LastHeardAt">When the last heartbeat arrived (UTC); null if none ever did.</param>
/// <param name="ComplianceHold">Why compliance stops the host from serving (every rule, in one line); null when nothing
/// does. A held host that is heard stays Pending (or is Paused) instead of becoming Ready.</param>
/// <param name="StateReason">The reason of the current state, so that an unchanged hold is not recorded again.</param>
public readonly record struct HostHealthSample(
    string HostId,
    HostState State,
    DateTimeOffset StateSince,
    string Zone,
    DateTimeOffset? LastHeardAt,
    string? ComplianceHold = null,
    string? StateReason = null);
