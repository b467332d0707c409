using System.Net;

namespace Gpunet.Core.Hosts;

/// <summary>The rule that one fingerprint is one machine: a fingerprint that registers from one public address while
/// its stream from another is still live is a cloned machine.</summary>
/// <remarks>Pure. The newer registration is refused and the live stream kept: the machine already serving (and holding
/// leases) goes on, the copy is told why, and the host is held (not matched) while both are seen. Refusing the older one
/// instead would let a copy take over a serving host's leases by connecting. A stream that is open but has not been heard
/// for <c>liveWithin</c> is not live: that is a machine whose address changed before its old connection broke, and the
/// new stream replaces it. Two copies behind one address cannot be told apart here.</remarks>
public static class ClonedFingerprints
{
    private static readonly CloneDecision Accepted = new(null, null);

    /// <summary>Decides a registration of host <paramref name="hostId"/> from <paramref name="place"/>.</summary>
    /// <param name="hostId">The host (its fingerprint) registering again.</param>
    /// <param name="current">The stream the host is on now.</param>
    /// <param name="place">The public address the new registration connects from; null when unknown.</param>
    /// <param name="now">The current time (UTC).</param>
    /// <param name="liveWithin">Silence after which an open stream no longer counts as live (the suspect threshold).</param>
    public static CloneDecision Decide(string hostId, LiveConnection current, IPAddress? place, DateTimeOffset now, TimeSpan liveWithin)
    {
        ArgumentNullException.ThrowIfNull(hostId);
        ArgumentNullException.ThrowIfNull(current);
        if (!current.Connected || current.Place is not { } live || place is null || SamePlace(live, place))
            return Accepted;
        var silence = current.LastHeardAt is { } heard ? now - heard : TimeSpan.MaxValue;
        if (silence >= liveWithin)
            return Accepted;
        return new(
            $"host {hostId} (this hardware fingerprint) is live from {live} (heard {DurationText.Format(silence)} ago) and registered " +
            $"again from {place}: one fingerprint is one machine, so this copy is refused and the host is not matched while both are seen",
            $"cloned fingerprint: seen from {live} and {place} at once");
    }

    private static bool SamePlace(IPAddress a, IPAddress b) =>
        (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);
}
