namespace Gpunet.Core.Hosts;

/// <summary>The rule that a GPU serves one container: who may register a GPU another host already holds.</summary>
/// <remarks>A GPU's UUID is held by one host. Another host (another hardware fingerprint) claiming it is refused,
/// unless the holder is the same operator's and has been silent for the offline grace period: that is a machine whose
/// fingerprint changed (a new container on the same GPUs, which must stake again), and the GPUs move to the new
/// container. A GPU never moves between operators, nor away from a host that is still heard: one card counted in two
/// containers would be matched and rewarded twice, and a stranger must not take a host's GPUs during an outage.</remarks>
public static class GpuClaims
{
    /// <summary>Decides a registration by <paramref name="claimantAddress"/> against the hosts that hold the GPUs it claims.</summary>
    /// <param name="claimantAddress">The registering operator (a canonical, lower-case address).</param>
    /// <param name="holders">Every other host holding one of the claimed GPUs, one entry per GPU.</param>
    /// <param name="now">The current time (UTC).</param>
    /// <param name="offlineGracePeriod">Silence after which a host is Offline.</param>
    public static GpuClaimDecision Decide(string claimantAddress, IReadOnlyList<GpuHolder> holders, DateTimeOffset now, TimeSpan offlineGracePeriod)
    {
        ArgumentNullException.ThrowIfNull(claimantAddress);
        ArgumentNullException.ThrowIfNull(holders);
        foreach (var h in holders)
        {
            var silence = h.LastHeardAt is { } heard ? now - heard : TimeSpan.MaxValue;
            var live = h.Connected || silence < offlineGracePeriod;
            if (!string.Equals(h.Address, claimantAddress, StringComparison.Ordinal))
            {
                return new(h, $"GPU {h.Uuid} is registered to host {h.HostId} of another operator; a GPU serves one container, " +
                    "and it does not move between operators", [], live);
            }

            if (live)
            {
                var heardText = h.Connected ? "connected now" : $"heard {DurationText.Format(silence)} ago";
                return new(h, $"GPU {h.Uuid} is registered to your host {h.HostId} ({heardText}); a GPU serves one container at a time: " +
                    $"stop that host's agent, and once it has been silent for {DurationText.Format(offlineGracePeriod)} this container " +
                    "takes its GPUs (and must be staked anew)", [], true);
            }
        }

        return new(null, null, holders);
    }
}
