namespace Gpunet.Core.Hosts;

/// <summary>What the coordinator knows about one host's health when the policy runs.</summary>
/// <param name="HostId">The host's id (<c>host-…</c>).</param>
/// <param name="State">The host's current state.</param>
/// <param name="StateSince">When the host entered <paramref name="State"/> (UTC).</param>
/// <param name="Zone">The host's failure zone: its ISO 3166-1 alpha-2 country code.</param>
/// <param name="LastHeardAt">When the last heartbeat arrived (UTC); null if none ever did.</param>
public readonly record struct HostHealthSample(
    string HostId,
    HostState State,
    DateTimeOffset StateSince,
    string Zone,
    DateTimeOffset? LastHeardAt);
